"""Forms that survive signing in again.

A form sent when the member's session had expired, or when the action needed a fresh
password check, is kept on the server under the hash of a random token (the cookie holds
nothing of it). The token travels in the ``next`` address of the sign-in or confirmation
page; once the member is back, the resume page sends the same fields again, with a new
CSRF token, to the address they were first sent to. Only forms that passed the CSRF check
get here, so only forms the member's own browser filled in are ever sent again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import request, session, url_for
from sqlalchemy import delete, select

from r2p_network.extensions import db
from r2p_network.models import FormRecovery, User, utcnow

# As long as a session may last: a form kept longer than that was abandoned.
KEEP_FOR = timedelta(hours=12)
RESUME_ENDPOINT = "auth.resume"
# Flask-Login's key: it stays in the cookie after the server-side session expired.
LOGIN_USER_KEY = "_user_id"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def expired_member_id() -> int | None:
    """The member whose session this browser held, when it expired (None if there was none)."""
    value = session.get(LOGIN_USER_KEY)
    if not isinstance(value, str) or not value.isdigit():
        return None
    user_id = int(value)
    return user_id if db.session.get(User, user_id) is not None else None


def keep_form(user_id: int) -> str:
    """Keep this request's posted fields for *user_id*; return the token that finds them again."""
    db.session.execute(delete(FormRecovery).where(FormRecovery.created_at < utcnow() - KEEP_FOR))
    token = secrets.token_urlsafe(32)
    fields = [[name, value] for name, value in request.form.items(multi=True) if name != "csrf_token"]
    path = request.full_path.rstrip("?")
    db.session.add(FormRecovery(token_hash=_digest(token), user_id=user_id, path=path, fields=fields))
    db.session.flush()
    return token


def return_path(user_id: int | None) -> str:
    """Where to come back after signing in: this page, or, for a form sent, the page sending it again.

    Forms with files are not kept (the files are not stored): they come back to this address.
    """
    if request.method == "POST" and user_id is not None and not request.files:
        return url_for(RESUME_ENDPOINT, token=keep_form(user_id))
    return request.full_path.rstrip("?")


def take_form(token: str, user_id: int) -> tuple[str, list[list[str]]] | None:
    """The address and fields kept under *token* for *user_id*, removed as they are handed back."""
    kept = db.session.scalar(
        select(FormRecovery).where(
            FormRecovery.token_hash == _digest(token),
            FormRecovery.user_id == user_id,
            FormRecovery.created_at >= utcnow() - KEEP_FOR,
        )
    )
    if kept is None:
        return None
    found = (kept.path, kept.fields)
    db.session.delete(kept)
    db.session.flush()
    return found
