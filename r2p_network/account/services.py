"""Changes to a member's own account. Services add and flush; the route commits once."""

from __future__ import annotations

from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import CursorResult, delete

from r2p_network.auth.queries import normalise_email, user_by_email
from r2p_network.core import audit, emails
from r2p_network.extensions import db
from r2p_network.models import User, UserSession


class EmailTaken(Exception):
    """Another account already uses the address."""


def change_email(user: User, new_email: str) -> None:
    """Move the account to a new address and tell the old one."""
    new_email = normalise_email(new_email)
    existing = user_by_email(new_email)
    if existing is not None and existing.id != user.id:
        raise EmailTaken
    old = user.email
    user.email = new_email
    db.session.flush()
    audit.record("account.email_changed", actor_id=user.id, object_type="user", object_id=user.id)
    emails.send(old, _("Your sign-in address was changed"), "email_changed", user=user, new_email=new_email)


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
