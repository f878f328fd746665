"""The demo's texts, read from the top-level ``seed/`` folder: they are data, not code."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


@cache
def seed_file(name: str) -> dict[str, Any]:
    """The parsed ``seed/<name>.json`` (read once per process)."""
    path = SEED_DIR / f"{name}.json"
    if not path.is_file():
        raise FileNotFoundError(f"The demo data file {path} is missing: run seed-demo from a full checkout.")
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data
