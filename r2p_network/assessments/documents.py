"""The documents a version travels as: an XLSX workbook (a cover, then one sheet per element with
one row per risk factor, inhibitor or table line and one column per field) and a PDF of the
print view."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from r2p_network.assessments.schema import ELEMENTS, option_label
from r2p_network.core.exports import Sheet


def cell(question: dict[str, Any], value: Any) -> Any:
    """An answer as a spreadsheet cell: numbers as numbers, dates as dates, choices by their label."""
    if value in (None, "", []):
        return None
    kind = question["type"]
    if kind == "number":
        return value
    if kind == "date":
        return date.fromisoformat(value)
    if kind in ("judgement", "choice"):
        return option_label(question, value)
    if kind == "multi_choice":
        return "; ".join(option_label(question, v) for v in value)
    return str(value)


def element_rows(sections: list[dict[str, Any]], answers: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(part, {field label: cell}) for every row of one element: the questions outside a group
    together, each group (a risk factor, an inhibitor), and each line of a table."""
    rows: list[tuple[str, dict[str, Any]]] = []
    by_part: dict[str, dict[str, Any]] = {}
    for section in sections:
        for question in section["questions"]:
            if question["type"] == "repeat":
                for line in answers.get(question["key"]) or []:
                    rows.append(
                        (
                            question["label"],
                            {c["label"]: cell(c, line.get(c["key"])) for c in question["columns"]},
                        )
                    )
                continue
            group = question.get("group")
            part = f"{section['key']}.{group['key']}" if group else section["key"]
            if part not in by_part:
                by_part[part] = {}
                rows.append((group["title"] if group else section["title"], by_part[part]))
            by_part[part][question["label"]] = cell(question, answers.get(question["key"]))
    return rows


def workbook_sheets(
    definition: dict[str, Any], answers: dict[str, Any], cover: Sequence[tuple[str, Any]]
) -> list[Sheet]:
    """The cover sheet, then one sheet per element of *definition* (localised) filled from *answers*."""
    sheets = [Sheet(name=_("Cover"), header=[_("Field"), _("Value")], rows=cover, widths=(28, 90))]
    for element in ELEMENTS:
        rows = element_rows([s for s in definition["sections"] if s["element"] == element], answers)
        columns: dict[str, None] = {}
        for _part, cells in rows:
            columns.update(dict.fromkeys(cells))
        sheets.append(
            Sheet(
                name=_("Element %(n)d", n=element),
                header=[_("Part"), *columns],
                rows=[[part, *(cells.get(column) for column in columns)] for part, cells in rows],
                widths=(40, *(30 for _column in columns)),
            )
        )
    return sheets


def pdf_document(html: str, base_url: str) -> bytes:
    """*html* (the print view) as an A4 PDF. Only the site's own static files are read, from disk:
    no request leaves the server."""
    # Imported here: WeasyPrint loads Pango, which only this download needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static = Path(current_app.static_folder or "").resolve()

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = urlsplit(url).path
            if not url.startswith(base_url) or not path.startswith("/static/"):
                raise ValueError(f"not fetched: {url}")
            file = (static / path.removeprefix("/static/")).resolve()
            if not file.is_relative_to(static) or not file.is_file():
                raise ValueError(f"not a static file: {url}")
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=file.read_bytes(), headers={"Content-Type": kind})

    # WeasyPrint warns about each screen-only CSS property it does not know; only errors matter here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).write_pdf()
