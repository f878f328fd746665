"""Changes to a member's own account. Services add and flush; the route commits once."""

from __future__ import annotations

from typing import Any, cast

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import CursorResult, delete

from r2p_network.auth.queries import normalise_email, user_by_email
from r2p_network.core import audit, emails
from r2p_network.extensions import db
from r2p_network.models import User, UserSession, utcnow


class EmailTaken(Exception):
    """Another account already uses the address."""


def change_email(user: User, new_email: str) -> None:
    """Move the account to a confirmed new address and tell the old one."""
    new_email = normalise_email(new_email)
    existing = user_by_email(new_email)
    if existing is not None and existing.id != user.id:
        raise EmailTaken
    old = user.email
    user.email = new_email
    db.session.flush()
    audit.record("account.email_changed", actor_id=user.id, object_type="user", object_id=user.id)
    emails.send(
        old,
        _l("Your sign-in address was changed"),
        "email_changed",
        lang=user.language,
        user=user,
        new_email=new_email,
    )


EMAIL_CHANGE_SALT = "email-change"
EMAIL_CHANGE_MAX_AGE = 3600


def _email_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=EMAIL_CHANGE_SALT)


def request_email_change(user: User, new_email: str) -> None:
    """Send a confirmation link to *new_email*; nothing changes until it is opened.

    If another account uses the address, its owner is told instead, so the page that
    asked never learns whether the address is taken.
    """
    new_email = normalise_email(new_email)
    audit.record("account.email_change_requested", actor_id=user.id, object_type="user", object_id=user.id)
    owner = user_by_email(new_email)
    if owner is not None:
        emails.send(
            new_email, _l("Someone asked to use your address"), "email_change_taken", lang=owner.language
        )
        return
    token = _email_serializer().dumps({"uid": user.id, "old": user.email, "new": new_email})
    emails.send(
        new_email,
        _l("Confirm your new sign-in address"),
        "email_change_confirm",
        lang=user.language,
        user=user,
        new_email=new_email,
        link=emails.link("account.confirm_email", token=token),
        minutes=EMAIL_CHANGE_MAX_AGE // 60,
    )


def email_change_for_token(user: User, token: str) -> str | None:
    """The new address a confirmation link names for *user*, or None if it is forged, expired,
    used (the account's address has changed since), or someone else's."""
    try:
        data = _email_serializer().loads(token, max_age=EMAIL_CHANGE_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or data.get("uid") != user.id or data.get("old") != user.email:
        return None
    new_email = data.get("new")
    return new_email if isinstance(new_email, str) else None


def revoke_session(user: User, session_id: int) -> bool:
    """End one of the member's own sessions; False if there is no such session of theirs."""
    # A DELETE returns a CursorResult (which has rowcount); Session.execute is typed as Result.
    result = cast(
        CursorResult[Any],
        db.session.execute(
            delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id)
        ),
    )
    if result.rowcount:
        audit.record("session.revoked", actor_id=user.id, object_type="session", object_id=session_id)
    return bool(result.rowcount)


def end_other_sessions(user: User, keep_token_hash: str) -> int:
    """End every session of the member except the one whose token hash is *keep_token_hash*."""
    result = cast(
        CursorResult[Any],
        db.session.execute(
            delete(UserSession).where(
                UserSession.user_id == user.id, UserSession.token_hash != keep_token_hash
            )
        ),
    )
    audit.record("session.revoked_others", actor_id=user.id, ended=result.rowcount)
    return result.rowcount


def set_preferences(user: User, language: str, time_zone: str) -> None:
    """Save the member's own language and time zone."""
    user.language = language
    user.time_zone = time_zone
    db.session.flush()


def finish_welcome(user: User) -> None:
    """The member has seen the first-run welcome: later sign-ins go straight to their page."""
    user.welcomed_at = utcnow()
    db.session.flush()
    audit.record("account.welcomed", actor_id=user.id)
