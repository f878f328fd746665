"""Every file download the platform offers is written here.

Cells are neutralised against formula injection (a leading = + - @ tab or CR is
prefixed with an apostrophe), CSV is UTF-8 with a byte-order mark so spreadsheet
programs detect the encoding, and rows are streamed rather than built in memory.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from flask import Response, stream_with_context

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGERS = frozenset(FORMULA_TRIGGERS)
BOM = "\ufeff"
ROWS_PER_CHUNK = 500


def neutralise(value: object) -> str:
    """Text for a spreadsheet cell that no spreadsheet will evaluate as a formula."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    # A set lookup of the first character: this runs for every cell of every export.
    return "'" + text if text[:1] in _TRIGGERS else text


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """CSV text in chunks of a few hundred rows, starting with the BOM and the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(list(map(neutralise, header)))
    for count, row in enumerate(rows, start=1):
        writer.writerow(list(map(neutralise, row)))
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """A streamed CSV download."""
    return Response(
        stream_with_context(csv_chunks(header, rows)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def json_response(filename: str, payload: Any) -> Response:
    """A JSON download (UTF-8, readable indentation)."""
    body = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json", headers=_attachment(filename))


@dataclass
class Sheet:
    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[int] = ()


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, sheets: Iterable[Sheet], *, right_to_left: bool = False) -> Response:
    """An XLSX download written in constant memory; text is never parsed as formulas or URLs."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned to the response
    workbook = xlsxwriter.Workbook(
        spool,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name[:31])
        if right_to_left:
            worksheet.right_to_left()
        for col, width in enumerate(sheet.widths):
            worksheet.set_column(col, col, width, wrap)
        worksheet.write_row(0, 0, [neutralise(h) for h in sheet.header], bold)
        for row_number, row in enumerate(sheet.rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    worksheet.write_number(row_number, col, value)
                else:
                    worksheet.write_string(row_number, col, neutralise(value))
    workbook.close()
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := spool.read(64 * 1024):
                yield chunk
        finally:
            spool.close()

    return Response(chunks(), mimetype=XLSX_MIMETYPE, headers=_attachment(filename))


def json_stream_response(filename: str, head: dict[str, Any], key: str, items: Iterable[Any]) -> Response:
    """A JSON object whose *key* holds a list written item by item, so memory stays flat."""
    opening = json.dumps(head, ensure_ascii=False, default=str)[:-1]
    separator = ", " if head else ""

    def chunks() -> Iterator[str]:
        yield f'{opening}{separator}"{key}": ['
        for n, item in enumerate(items):
            yield ("," if n else "") + json.dumps(item, ensure_ascii=False, default=str)
        yield "]}"

    return Response(stream_with_context(chunks()), mimetype="application/json", headers=_attachment(filename))


def geojson_response(
    filename: str, features: Iterable[dict[str, Any]], properties: dict[str, Any]
) -> Response:
    """A GeoJSON FeatureCollection (RFC 7946) of the given features."""
    head = {"type": "FeatureCollection", **properties}
    response = json_stream_response(filename, head, "features", features)
    response.mimetype = "application/geo+json"
    return response


def point_feature(longitude: float, latitude: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(longitude, 5), round(latitude, 5)]},
        "properties": properties,
    }
