"""Where files are kept: a small interface, with a local folder outside the web root by default.

Another backend (an S3-compatible store, say) implements ``Storage`` and is chosen in ``storage()``.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Protocol

from flask import current_app

_KEY = re.compile(r"^[0-9a-f]{32}$")


def new_key() -> str:
    """A random name for a new file: nothing of the uploader's file name reaches the storage."""
    return secrets.token_hex(16)


class Storage(Protocol):
    def save(self, key: str, data: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files in a folder, spread over sub-folders named by the first two characters of the key."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError("not a storage key")
        return self.root / key[:2] / key

    def save(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # "x": never overwrite an existing file.
        with path.open("xb") as handle:
            handle.write(data)

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage() -> Storage:
    """The configured storage (``DOCUMENT_STORAGE_PATH``)."""
    return LocalStorage(current_app.config["DOCUMENT_STORAGE_PATH"])
