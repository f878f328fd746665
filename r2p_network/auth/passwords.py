"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import gzip
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"
MAX_LENGTH = 1024


@cache
def _hasher(time_cost: int | None, memory_cost: int | None, parallelism: int | None) -> PasswordHasher:
    options: dict[str, Any] = {
        key: value
        for key, value in (
            ("time_cost", time_cost),
            ("memory_cost", memory_cost),
            ("parallelism", parallelism),
        )
        if value is not None
    }
    return PasswordHasher(**options)


def hasher() -> PasswordHasher:
    """The argon2id hasher with the configured cost (argon2-cffi defaults in production)."""
    cfg = current_app.config
    return _hasher(cfg.get("ARGON2_TIME_COST"), cfg.get("ARGON2_MEMORY_COST"), cfg.get("ARGON2_PARALLELISM"))


def normalise(password: str) -> str:
    """NFKC-normalise so that the same password typed on two keyboards matches."""
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    """An argon2id hash of *password*."""
    return hasher().hash(normalise(password))


def verify_password(password_hash: str, password: str) -> tuple[bool, bool]:
    """(matches, needs_rehash) for *password* against a stored hash."""
    ph = hasher()
    try:
        ph.verify(password_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False, False
    return True, ph.check_needs_rehash(password_hash)


@cache
def _dummy_hash(time_cost: int | None, memory_cost: int | None, parallelism: int | None) -> str:
    return _hasher(time_cost, memory_cost, parallelism).hash("timing-equaliser")


def burn_verification_time(password: str) -> None:
    """Spend as long as a real check, so unknown accounts cannot be told apart by timing."""
    cfg = current_app.config
    args = (cfg.get("ARGON2_TIME_COST"), cfg.get("ARGON2_MEMORY_COST"), cfg.get("ARGON2_PARALLELISM"))
    verify_password(_dummy_hash(*args), password)


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Reasons why *password* may not be used; an empty list means it is acceptable."""
    problems: list[str] = []
    value = normalise(password)
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(value) < minimum:
        problems.append(str(_l("Use at least %(count)d characters.", count=minimum)))
    if len(value) > MAX_LENGTH:
        problems.append(str(_l("Use at most %(count)d characters.", count=MAX_LENGTH)))
    lowered = value.lower()
    if lowered in common_passwords():
        problems.append(str(_l("This password is too common. Choose one that is harder to guess.")))
    personal = {email.lower(), email.split("@")[0].lower(), name.lower().strip()} - {""}
    if lowered in personal:
        problems.append(str(_l("The password must not be your name or email address.")))
    return problems
