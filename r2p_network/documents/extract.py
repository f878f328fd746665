"""The text of a document, for search: PDF with pypdf, Office and OpenDocument from their XML."""

from __future__ import annotations

import html
import io
import logging
import re
import zipfile

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from r2p_network.documents import sniff

log = logging.getLogger(__name__)

# What the index keeps of one document (PostgreSQL's tsvector holds at most 1 MB).
MAX_CHARS = 100_000
# What is read of one XML part, so a zip bomb cannot exhaust memory.
MAX_PART_BYTES = 8 * 1024 * 1024
MAX_PDF_PAGES = 200

# Text runs of Word (w:t), PowerPoint and drawings (a:t) and Excel's shared strings (t).
_OOXML_TEXT = re.compile(r"<(?:w:t|a:t|t)(?:\s[^>]*)?>([^<]*)</(?:w:t|a:t|t)>")
_TAG = re.compile(r"<[^>]+>")
_OOXML_PARTS = re.compile(r"^(word/document\.xml|xl/sharedStrings\.xml|ppt/slides/slide\d+\.xml)$")


def _read_parts(data: bytes, wanted: re.Pattern[str]) -> list[str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = []
    for info in archive.infolist():
        if wanted.match(info.filename):
            with archive.open(info) as part:
                parts.append(part.read(MAX_PART_BYTES).decode("utf-8", "replace"))
    return parts


def _pdf(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    texts = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        texts.append(page.extract_text() or "")
        if sum(map(len, texts)) > MAX_CHARS:
            break
    return "\n".join(texts)


def _ooxml(data: bytes) -> str:
    return " ".join(
        html.unescape(run) for xml in _read_parts(data, _OOXML_PARTS) for run in _OOXML_TEXT.findall(xml)
    )


def _odf(data: bytes) -> str:
    # Paragraph ends become spaces, so words of adjacent paragraphs do not run together.
    return " ".join(
        html.unescape(_TAG.sub(" ", xml)) for xml in _read_parts(data, re.compile(r"^content\.xml$"))
    )


_EXTRACTORS = {
    sniff.PDF: _pdf,
    sniff.DOCX: _ooxml,
    sniff.XLSX: _ooxml,
    sniff.PPTX: _ooxml,
    sniff.ODT: _odf,
    sniff.ODS: _odf,
    sniff.ODP: _odf,
    sniff.TEXT: lambda data: data.decode("utf-8-sig", "replace"),
    sniff.CSV: lambda data: data.decode("utf-8-sig", "replace"),
}


def text_of(data: bytes, content_type: str) -> str:
    """Up to ``MAX_CHARS`` of the document's text; empty for images, legacy Office files and files
    whose text cannot be read (the upload still succeeds: only content search misses them)."""
    extractor = _EXTRACTORS.get(content_type)
    if extractor is None:
        return ""
    try:
        text = extractor(data)
    except (PyPdfError, zipfile.BadZipFile, OSError, ValueError, KeyError, RecursionError) as error:
        log.warning("could not extract the text of a %s: %s", content_type, error)
        return ""
    return " ".join(text.split())[:MAX_CHARS]
