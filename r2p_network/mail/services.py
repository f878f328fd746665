"""Changes for mail: preferences, single-use unsubscribe links, private feed tokens.
Services add and flush; the route commits once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from r2p_network.core import audit
from r2p_network.extensions import db
from r2p_network.mail.kinds import KINDS
from r2p_network.models import FeedToken, Frequency, NotificationPreference, UsedToken, User, utcnow

UNSUBSCRIBE_SALT = "unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def set_preference(
    user: User, kind: str, frequency: Frequency, filters: dict[str, Any] | None = None
) -> NotificationPreference:
    """Save how often *user* hears about *kind* (and its filters); news starts from now."""
    row = db.session.get(NotificationPreference, (user.id, kind))
    if row is None:
        row = NotificationPreference(user_id=user.id, kind=kind, frequency=frequency, digested_until=utcnow())
        db.session.add(row)
    elif row.frequency == Frequency.OFF and frequency != Frequency.OFF:
        row.digested_until = utcnow()  # no flood of what happened while it was off
    row.frequency = frequency
    if filters is not None:
        row.filters = filters
    db.session.flush()
    return row


def save_preferences(user: User, choices: dict[str, tuple[Frequency, dict[str, Any]]]) -> None:
    """Save the preferences page: a frequency (and filters) per kind."""
    for kind, (frequency, filters) in choices.items():
        if kind in KINDS:
            set_preference(user, kind, frequency, filters)
    audit.record("notifications.preferences_saved", actor_id=user.id)


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed link token that turns off one kind of news for one member."""
    return _serializer().dumps({"u": user_id, "k": kind, "n": secrets.token_hex(8)})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(member, kind) of a genuine, unexpired token whose kind still exists; None otherwise."""
    try:
        data = _serializer().loads(token, max_age=int(UNSUBSCRIBE_MAX_AGE.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["k"]


def token_used(token: str) -> bool:
    return db.session.get(UsedToken, _digest(token)) is not None


def unsubscribe(token: str) -> str | None:
    """Follow an unsubscribe link once: turn the kind off and spend the token. Returns the kind,
    or None for a forged, expired or already used link."""
    found = read_unsubscribe_token(token)
    if found is None or token_used(token):
        return None
    user_id, kind = found
    user = db.session.get(User, user_id)
    if user is None:
        return None
    db.session.add(UsedToken(digest=_digest(token), purpose=UNSUBSCRIBE_SALT))
    set_preference(user, kind, Frequency.OFF)
    audit.record("notifications.unsubscribed", actor_id=user_id, kind=kind)
    return kind


def new_feed_token(user: User) -> str:
    """Give *user* a new private feed address (the old one stops working); returns its secret."""
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(FeedToken).where(FeedToken.user_id == user.id))
    db.session.add(FeedToken(user_id=user.id, digest=_digest(token)))
    db.session.flush()
    audit.record("feed.token_created", actor_id=user.id)
    return token


def revoke_feed_token(user: User) -> None:
    """Turn off the member's private feed."""
    db.session.execute(delete(FeedToken).where(FeedToken.user_id == user.id))
    audit.record("feed.token_revoked", actor_id=user.id)


def feed_reader(token: str) -> User | None:
    """The active member whose private feed *token* opens, if any, with their profile (their team
    decides which events they see)."""
    user = db.session.scalar(
        select(User)
        .join(FeedToken, FeedToken.user_id == User.id)
        .where(FeedToken.digest == _digest(token))
        .options(joinedload(User.profile))
    )
    return user if user is not None and user.is_active else None
