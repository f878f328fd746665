"""Every file download the platform offers is written here.

Cells are neutralised against formula injection (a leading = + - @ tab or CR is
prefixed with an apostrophe), CSV is UTF-8 with a byte-order mark so spreadsheet
programs detect the encoding, and rows are streamed rather than built in memory.
Large CSV downloads from a query are written by PostgreSQL itself (``csv_query_response``).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from typing import IO, Any

import xlsxwriter
from flask import Response, stream_with_context
from sqlalchemy import ColumnElement, Select, String, case, func, literal

from r2p_network.extensions import db

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGERS = frozenset(FORMULA_TRIGGERS)
_TRIGGER_CODES = sorted(map(ord, FORMULA_TRIGGERS))
BOM = "\ufeff"
ROWS_PER_CHUNK = 500
SPOOL_BYTES = 8 * 1024 * 1024  # a spooled download moves from memory to disk beyond this


def neutralise(value: object) -> str:
    """Text for a spreadsheet cell that no spreadsheet will evaluate as a formula."""
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    # A set lookup of the first character: this runs for every cell of every export.
    return "'" + text if text[:1] in _TRIGGERS else text


def _cells(row: Sequence[object]) -> list[object]:
    """One CSV row: text neutralised, whole numbers as they are, anything else as neutralised text."""
    # Written out rather than calling neutralise(): this runs for every cell of every export.
    return [
        ("'" + v if v[:1] in _TRIGGERS else v) if type(v) is str else v if type(v) is int else neutralise(v)
        for v in row
    ]


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """CSV text in chunks of a few hundred rows, starting with the BOM and the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(_cells(header))
    remaining = iter(rows)
    while batch := list(islice(remaining, ROWS_PER_CHUNK)):
        writer.writerows(map(_cells, batch))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # the header of an empty selection
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


def csv_query_response(filename: str, header: Sequence[str], statement: Select) -> Response:
    """A CSV download of *statement*'s rows, cell for cell as ``csv_chunks`` writes them (only
    the line ends differ: PostgreSQL ends lines with LF, Python's writer with CR LF).

    On PostgreSQL the database writes the CSV itself (``COPY ... TO STDOUT``, about three times
    faster than Python), neutralising text in SQL; the file is spooled (to disk beyond a few
    megabytes) and streamed from there. Elsewhere the rows go through ``csv_chunks``.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        rows = connection.execute(statement.execution_options(yield_per=1000))
        return csv_response(filename, header, rows)
    cells = statement.with_only_columns(*map(_sql_cell, statement.selected_columns))
    # COPY takes no parameters, so values are written into the SQL: they come from validated
    # filter choices, and SQLAlchemy quotes them as literals of their column's type.
    sql = cells.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    with closing(connection.connection.cursor()) as cursor:
        cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", spool)
    head = next(csv_chunks(header, ())).encode()
    return Response(_spooled(spool, head), mimetype="text/csv", headers=_attachment(filename))


def _sql_cell(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """*column* neutralised in SQL as ``neutralise`` does it in Python."""
    if not isinstance(column.type, String):
        return column
    # ascii() gives the first character's code: an integer test, far cheaper than substr().
    return case((func.ascii(column).in_(_TRIGGER_CODES), literal("'") + column), else_=column)


def _spooled(spool: IO[bytes], head: bytes = b"") -> Iterator[bytes]:
    """*head*, then the spooled file from its start in 64 KiB chunks; the file is closed at the end."""
    try:
        if head:
            yield head
        spool.seek(0)
        while chunk := spool.read(64 * 1024):
            yield chunk
    finally:
        spool.close()


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
    """An XLSX download written in constant memory; text is never parsed as formulas or URLs.

    Numbers are written as numbers, dates as dates, None as an empty cell, anything else as text.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
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
    day = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
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
                elif isinstance(value, date):
                    worksheet.write_datetime(row_number, col, datetime.combine(value, time()), day)
                elif value is None:
                    continue  # an empty cell, not an empty string
                else:
                    worksheet.write_string(row_number, col, neutralise(value))
    workbook.close()
    return Response(_spooled(spool), mimetype=XLSX_MIMETYPE, headers=_attachment(filename))


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
