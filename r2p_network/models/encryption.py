"""Secrets kept at rest (two-factor keys) are encrypted with Fernet keys from the environment.

``TOTP_ENCRYPTION_KEYS`` lists one or more keys: the first encrypts, every one decrypts, so a
new key can be put first and the data re-encrypted with ``flask security rotate-keys``.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class UnreadableSecret(RuntimeError):
    """None of the configured keys opens a stored secret (a key is missing from TOTP_ENCRYPTION_KEYS)."""


@cache
def _ring(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def key_ring() -> MultiFernet:
    """The configured keys, first one used to encrypt."""
    return _ring(tuple(current_app.config["TOTP_ENCRYPTION_KEYS"]))


def encrypt(text: str) -> str:
    return key_ring().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return key_ring().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret(
            "A stored two-factor secret cannot be decrypted: add its key to TOTP_ENCRYPTION_KEYS."
        ) from None


def rotate(token: str) -> str:
    """*token* re-encrypted with the first key."""
    try:
        return key_ring().rotate(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret(
            "A stored two-factor secret cannot be decrypted: add its key to TOTP_ENCRYPTION_KEYS."
        ) from None
