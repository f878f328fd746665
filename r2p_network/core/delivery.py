"""How responses travel: compressed with gzip, and static files under fingerprinted names.

``url_for('static', filename='css/site.css')`` gives ``/static/css/site.<hash>.css``, the hash
being the first twelve hex digits of the file's SHA-256: a changed file gets a new name, so a
fingerprinted URL can be cached for a year ("immutable"); the plain name still works, briefly
cached. nginx serves the same names from disk (deploy/nginx/r2p.conf) and compresses too; the
application compresses as well so that gunicorn alone (development, small installations)
sends small pages. Streamed answers (the exports) pass through untouched.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask.typing import ResponseReturnValue

FINGERPRINT = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")
IMMUTABLE = "public, max-age=31536000, immutable"
BRIEF = "public, max-age=3600"
COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "application/json",
    "application/geo+json",
    "application/javascript",
    "text/javascript",
    "image/svg+xml",
    "application/atom+xml",
    "application/xml",
)
MIN_SIZE = 512  # below this, gzip's header costs more than it saves


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int) -> str:
    # Keyed by the modification time too, so a file edited while the server runs gets a new name.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def fingerprint(static_folder: str, filename: str) -> str | None:
    """The content hash of a static file, or None if there is no such file."""
    path = Path(static_folder) / filename
    try:
        stat = path.stat()
    except OSError:
        return None
    return _digest(str(path), stat.st_mtime_ns)


def _add_fingerprint(app: Flask):
    def url_defaults(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "filename" not in values or app.static_folder is None:
            return
        filename = values["filename"]
        digest = fingerprint(app.static_folder, filename)
        if digest:
            stem, dot, suffix = filename.rpartition(".")
            values["filename"] = f"{stem}.{digest}.{suffix}" if dot else f"{filename}.{digest}"

    return url_defaults


def _static_view(app: Flask):
    def static(filename: str) -> ResponseReturnValue:
        """A static file by its plain or fingerprinted name; fingerprinted names are cached for a year."""
        match = FINGERPRINT.match(filename)
        plain = f"{match['stem']}{match['suffix']}" if match else filename
        current = fingerprint(app.static_folder or "", plain)
        fixed = match is not None and current == match["digest"]
        response = app.send_static_file(plain if match and current else filename)
        response.headers["Cache-Control"] = IMMUTABLE if fixed else BRIEF
        return response

    return static


def compress(response: Response) -> Response:
    """Gzip a whole (not streamed) text answer when the browser accepts it."""
    if (
        response.status_code != 200
        or (response.is_streamed and not response.direct_passthrough)
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
        or "gzip" not in request.headers.get("Accept-Encoding", "")
    ):
        return response
    response.direct_passthrough = False  # static files arrive as a file wrapper: read them
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag and not weak:
        # The compressed body differs byte for byte from the plain one.
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(_add_fingerprint(app))
    app.view_functions["static"] = _static_view(app)
    app.after_request(compress)
