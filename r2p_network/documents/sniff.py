"""What a file really is, judged from its content, never from its name, against an allow-list."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
CSV = "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"

# The allow-list: each type and the file-name extensions it may carry.
ALLOWED: dict[str, frozenset[str]] = {
    PDF: frozenset({"pdf"}),
    PNG: frozenset({"png"}),
    JPEG: frozenset({"jpg", "jpeg"}),
    TEXT: frozenset({"txt", "md"}),
    CSV: frozenset({"csv"}),
    DOCX: frozenset({"docx"}),
    XLSX: frozenset({"xlsx"}),
    PPTX: frozenset({"pptx"}),
    ODT: frozenset({"odt"}),
    ODS: frozenset({"ods"}),
    ODP: frozenset({"odp"}),
    DOC: frozenset({"doc"}),
    XLS: frozenset({"xls"}),
    PPT: frozenset({"ppt"}),
}
# Legacy Office files share one container (OLE2); its extension says which program made it.
_OLE2_BY_EXTENSION = {"doc": DOC, "xls": XLS, "ppt": PPT}
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_ODF_TYPES = frozenset({ODT, ODS, ODP})
_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


class Refused(ValueError):
    """The file is not accepted; ``reason`` is one of "type", "mismatch", "empty"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    filename: str


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[1].lower() if "." in filename else ""


def _zip_type(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            # ODF: an uncompressed "mimetype" entry names the format.
            with archive.open("mimetype") as entry:
                declared = entry.read(100).decode("ascii", "replace").strip()
            return declared if declared in _ODF_TYPES else None
        if "[Content_Types].xml" in names:
            return next((kind for part, kind in _OOXML_PARTS if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return all(ch in "\t\n\r\f" or unicodedata.category(ch) != "Cc" for ch in text[:20000])


def content_type(data: bytes, ext: str) -> str | None:
    """The allowed type that *data* is, or None; *ext* only tells apart what content cannot
    (legacy Office programs, plain text against CSV)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(_OLE2):
        return _OLE2_BY_EXTENSION.get(ext)
    if data.startswith(_ZIP):
        return _zip_type(data)
    if _is_text(data):
        return CSV if ext == "csv" else TEXT
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_filename(name: str) -> str:
    """The last part of a browser's file name, without folders, control characters or leading dots."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" ._")
    if len(base) > 120:
        stem, _, ext = base.rpartition(".")
        base = f"{stem[: 119 - len(ext)]}.{ext}" if stem else base[:120]
    return base or "document"


def sniff(data: bytes, filename: str) -> Sniffed:
    """The file's type from its content, checked against the allow-list and against its name's
    extension (a PDF named "report.docx" is refused)."""
    if not data:
        raise Refused("empty")
    clean = safe_filename(filename)
    ext = extension(clean)
    kind = content_type(data, ext)
    if kind is None:
        raise Refused("type")
    if ext not in ALLOWED[kind]:
        raise Refused("mismatch")
    return Sniffed(kind, clean)
