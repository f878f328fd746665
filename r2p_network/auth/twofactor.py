"""Two-factor sign-in with time-based one-time codes (RFC 6238) and single-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, select

from r2p_network import audit
from r2p_network.extensions import db
from r2p_network.models import RecoveryCode, User, utcnow

ISSUER = "R2P Focal Point Network"
STEP_SECONDS = 30
TOLERANCE = 1  # one step either side, for clocks that drift a little
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> Markup:
    """The enrolment QR code drawn on the server as inline SVG (no external service sees the secret)."""
    # segno writes the SVG itself from the URI; no user text is interpreted as markup.
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#1b1f24", light="#ffffff"))  # noqa: S704


def _code_for_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).at(step * STEP_SECONDS)


def matching_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step *code* belongs to, within the tolerance and newer than *last_step*; else None."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in range(current - TOLERANCE, current + TOLERANCE + 1):
        if last_step is not None and step <= last_step:
            continue  # each code works once, and no older code after it
        if hmac.compare_digest(_code_for_step(secret, step), code):
            return step
    return None


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the member's recovery codes with ten new ones; return them once, in clear."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery(raw)))
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend a recovery code; True if it was valid and unused."""
    record = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if record is None:
        return False
    record.used_at = utcnow()
    audit.record("two_factor.recovery_code_used", actor_id=user.id)
    return True


def verify_second_factor(user: User, code: str) -> bool:
    """Accept a current one-time code (once) or an unused recovery code."""
    if not user.has_two_factor or user.totp_secret is None:
        return False
    step = matching_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    return "-" in code and use_recovery_code(user, code)


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-factor sign-in on if *code* proves the authenticator works; return the recovery codes."""
    step = matching_step(secret, code, None)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    audit.record("two_factor.enabled", actor_id=user.id, object_type="user", object_id=user.id)
    return new_recovery_codes(user)


def disable(user: User, actor: User) -> None:
    """Turn two-factor sign-in off (the member, or an administrator after a lost device)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    action = "two_factor.disabled" if actor.id == user.id else "two_factor.reset_by_admin"
    audit.record(action, actor_id=actor.id, object_type="user", object_id=user.id)
