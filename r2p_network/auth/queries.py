"""Reads for the accounts blueprint."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select

from r2p_network.extensions import db
from r2p_network.models import LoginFailure, Role, User, utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def active_admin_emails() -> list[str]:
    return list(
        db.session.scalars(
            select(User.email).where(User.role == Role.ADMIN, User.status == "active").order_by(User.id)
        )
    )


def login_is_throttled(email: str, ip_address: str) -> bool:
    """True when this account or this address has failed too often in the window."""
    cfg = current_app.config
    since = utcnow() - timedelta(minutes=cfg["LOGIN_FAILURE_WINDOW_MINUTES"])
    email = normalise_email(email)
    by_account, by_ip = db.session.execute(
        select(
            func.count().filter(LoginFailure.email == email),
            func.count().filter(LoginFailure.ip_address == ip_address),
        ).where(
            LoginFailure.created_at >= since,
            or_(LoginFailure.email == email, LoginFailure.ip_address == ip_address),
        )
    ).one()
    return by_account >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"] or by_ip >= cfg["LOGIN_MAX_FAILURES_PER_IP"]
