"""Reads for the accounts blueprint."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from r2p_network.core import ratelimit
from r2p_network.extensions import db
from r2p_network.models import Role, User, utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def active_admin_emails_by_language() -> dict[str, list[str]]:
    """The active administrators' addresses, grouped by each one's own language."""
    grouped: dict[str, list[str]] = {}
    for email, language in db.session.execute(
        select(User.email, User.language)
        .where(User.role == Role.ADMIN, User.status == "active")
        .order_by(User.id)
    ):
        grouped.setdefault(language, []).append(email)
    return grouped


ACCOUNT_BUCKET = "login.account"  # wrong passwords, per account
ADDRESS_BUCKET = "login.address"  # wrong passwords and codes, per client address
SECOND_FACTOR_BUCKET = "login.second_factor"  # wrong codes, per account; a password never clears them


def sign_in_wait(email: str, ip_address: str) -> int:
    """Seconds before this account or this address may try a password again; 0 for now.

    An account is never locked outright (a stranger could lock a member out): after the
    allowed failures each further one doubles the wait, up to a ceiling. An address that
    fails too often in the window waits until its oldest failure leaves the window.
    """
    cfg = current_app.config
    window = cfg["LOGIN_FAILURE_WINDOW_MINUTES"] * 60
    now = utcnow()
    wait = 0.0
    failures, _oldest, last = ratelimit.recent(ACCOUNT_BUCKET, normalise_email(email), window)
    allowed = cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    if failures >= allowed and last is not None:
        delay = min(cfg["LOGIN_DELAY_SECONDS"] * 2 ** (failures - allowed), cfg["LOGIN_DELAY_MAX_SECONDS"])
        wait = (last + timedelta(seconds=delay) - now).total_seconds()
    by_address, oldest, _last = ratelimit.recent(ADDRESS_BUCKET, ip_address, window)
    if by_address >= cfg["LOGIN_MAX_FAILURES_PER_IP"] and oldest is not None:
        wait = max(wait, (oldest + timedelta(seconds=window) - now).total_seconds())
    return max(0, math.ceil(wait))


def second_factor_wait(user: User, ip_address: str) -> int:
    """Seconds before this account may try a code again; 0 for now.

    Wrong codes are counted on their own, so a correct password does not reset them:
    after the allowed failures the second step stays locked until the oldest leaves the window.
    """
    cfg = current_app.config
    window = cfg["LOGIN_FAILURE_WINDOW_MINUTES"] * 60
    now = utcnow()
    wait = 0.0
    failures, oldest, _last = ratelimit.recent(SECOND_FACTOR_BUCKET, str(user.id), window)
    if failures >= cfg["SECOND_FACTOR_MAX_FAILURES"] and oldest is not None:
        wait = (oldest + timedelta(seconds=window) - now).total_seconds()
    by_address, oldest, _last = ratelimit.recent(ADDRESS_BUCKET, ip_address, window)
    if by_address >= cfg["LOGIN_MAX_FAILURES_PER_IP"] and oldest is not None:
        wait = max(wait, (oldest + timedelta(seconds=window) - now).total_seconds())
    return max(0, math.ceil(wait))
