"""Server-side sessions: the cookie holds a random token, the database its hash.

Looking the token up on every request lets the platform end a session anywhere
(logout, password change, deactivation) and enforce idle and absolute timeouts,
in any number of worker processes.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

from flask import current_app, g, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from r2p_network.core import audit
from r2p_network.core.audit import client_ip
from r2p_network.core.i18n import SESSION_LANGUAGE
from r2p_network.extensions import db, login_manager
from r2p_network.models import User, UserSession, utcnow

SESSION_KEY = "sid"
# Refresh last-seen at most this often, to keep reads from becoming writes.
TOUCH_INTERVAL = timedelta(seconds=60)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clear_session() -> None:
    """Empty the session, keeping only the language chosen in the menu (it is not a secret)."""
    lang = session.get(SESSION_LANGUAGE)
    session.clear()
    if lang:
        session[SESSION_LANGUAGE] = lang


def start_session(user: User, *, second_factor: bool) -> None:
    """Sign *user* in with a fresh session identifier (no fixation); *second_factor*: it was proved."""
    clear_session()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=digest(token),
            user_id=user.id,
            ip_address=client_ip(),
            user_agent=(request.user_agent.string or "")[:255],
            second_factor_at=utcnow() if second_factor else None,
        )
    )
    session[SESSION_KEY] = token
    session.permanent = True
    mark_password_checked()  # signing in is a password check: a recent one counts for confirming
    login_user(user, remember=False)


REAUTH_KEY = "reauth_at"
RECENT_PASSWORD_SECONDS = 300


def mark_password_checked() -> None:
    """The member just entered their password (and code, with two-factor sign-in) in this browser."""
    session[REAUTH_KEY] = int(time.time())


def password_recently_checked() -> bool:
    """True when this browser entered the password within the last five minutes."""
    return time.time() - session.get(REAUTH_KEY, 0) <= RECENT_PASSWORD_SECONDS


def mark_second_factor_passed() -> None:
    """This browser just proved the second factor (by enrolling): record it on its session row only."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == digest(token))
            .values(second_factor_at=utcnow())
        )
        g.second_factor_passed = True


PENDING_KEY = "pending_2fa"
SECOND_FACTOR_SECONDS = 300


def begin_second_factor(user: User, next_url: str | None) -> None:
    """The password was right: remember who is signing in, but sign no one in yet."""
    clear_session()
    session[PENDING_KEY] = {"uid": user.id, "at": int(time.time()), "next": next_url}


def pending_second_factor() -> tuple[User | None, str | None]:
    """The member half-way through signing in, if the step has not expired."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > SECOND_FACTOR_SECONDS:
        return None, None
    user = db.session.get(User, pending.get("uid"))
    if user is None or not user.is_active or not user.has_two_factor:
        return None, None
    return user, pending.get("next")


def end_session() -> None:
    """Sign out: end every session of the member, on every device, and clear this cookie."""
    if current_user.is_authenticated:
        end_all_sessions(current_user.id)
        audit.record("logout", actor_id=current_user.id)
    logout_user()
    clear_session()


def end_all_sessions(user_id: int) -> None:
    """End every session of a member (password change, deactivation, 'sign out everywhere')."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def _signed_in(token: str, user_id: int) -> tuple[User, UserSession] | None:
    row = db.session.execute(
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .options(joinedload(User.profile))
        .where(UserSession.token_hash == digest(token), User.id == user_id)
    ).first()
    return None if row is None else (row[0], row[1])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the member only if this browser's session row is alive and unexpired."""
    token = session.get(SESSION_KEY)
    if not token or not user_id.isdigit():
        return None
    found = _signed_in(token, int(user_id))
    if found is None:
        return None
    user, user_session = found
    now = utcnow()
    cfg = current_app.config
    idle = timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"])
    expired = now - user_session.last_seen_at > idle or now - user_session.created_at > absolute
    if expired or not user.is_active:
        # Delete at once: this runs before the view, with nothing else pending.
        db.session.execute(delete(UserSession).where(UserSession.id == user_session.id))
        db.session.commit()
        return None
    g.second_factor_passed = user_session.second_factor_at is not None
    if now - user_session.last_seen_at > TOUCH_INTERVAL:
        db.session.execute(
            update(UserSession).where(UserSession.id == user_session.id).values(last_seen_at=now)
        )
        db.session.commit()
    return user
