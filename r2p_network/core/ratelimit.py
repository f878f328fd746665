"""Rate limits shared by every worker: each counted action is a row in the database.

A limit is a number of hits in a sliding window (``RATE_LIMITS`` names them). Nothing is kept
in a worker's memory, so any number of workers and hosts count the same hits. Hits join the
request's unit of work: a route that counts on GET commits them itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import delete, func, select
from werkzeug.exceptions import TooManyRequests

from r2p_network.core.audit import client_ip
from r2p_network.extensions import db
from r2p_network.models import RateLimitHit, utcnow

# Hits older than this are deleted when new ones of the same bucket arrive.
KEEP = timedelta(days=1)


class RateLimited(TooManyRequests):
    """Too many hits: a 429 that knows how long to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=max(1, retry_after))
        self.wait_seconds = max(1, retry_after)


@dataclass(frozen=True)
class Window:
    """How often (``hits``) an action may happen in ``seconds``."""

    hits: int
    seconds: int


def window(name: str) -> Window:
    """The configured limit called *name* (``RATE_LIMITS`` setting)."""
    hits, seconds = current_app.config["RATE_LIMITS"][name]
    return Window(int(hits), int(seconds))


def recent(bucket: str, key: str, seconds: int) -> tuple[int, datetime | None, datetime | None]:
    """(count, oldest, newest) of the hits of *key* in *bucket* in the last *seconds*."""
    since = utcnow() - timedelta(seconds=seconds)
    count, oldest, newest = db.session.execute(
        select(func.count(), func.min(RateLimitHit.created_at), func.max(RateLimitHit.created_at)).where(
            RateLimitHit.bucket == bucket, RateLimitHit.key == key[:254], RateLimitHit.created_at >= since
        )
    ).one()
    return int(count), _aware(oldest), _aware(newest)


def _aware(value: datetime | None) -> datetime | None:
    # Aggregates bypass the column type, so SQLite hands back a naive (UTC) value or a string.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


def add(bucket: str, key: str) -> None:
    """Count one hit of *key* in *bucket*, and forget the bucket's hits older than a day."""
    db.session.execute(
        delete(RateLimitHit).where(RateLimitHit.bucket == bucket, RateLimitHit.created_at < utcnow() - KEEP)
    )
    db.session.add(RateLimitHit(bucket=bucket, key=key[:254]))


def clear(bucket: str, key: str) -> None:
    """Forget every hit of *key* in *bucket* (a correct answer ends a run of failures)."""
    db.session.execute(
        delete(RateLimitHit).where(RateLimitHit.bucket == bucket, RateLimitHit.key == key[:254])
    )


def wait_seconds(name: str, key: str) -> int:
    """Seconds until *key* may act again under the limit *name*; 0 when it may act now."""
    limit = window(name)
    count, oldest, _newest = recent(name, key, limit.seconds)
    if count < limit.hits or oldest is None:
        return 0
    free_at = oldest + timedelta(seconds=limit.seconds)
    return max(1, math.ceil((free_at - utcnow()).total_seconds()))


def allow(name: str, key: str) -> bool:
    """Count a hit of *key* under the limit *name* if it is within the limit; False otherwise."""
    if wait_seconds(name, key):
        return False
    add(name, key)
    return True


def enforce(name: str, key: str) -> None:
    """Count a hit of *key* under the limit *name*, or refuse the request with a 429."""
    wait = wait_seconds(name, key)
    if wait:
        raise RateLimited(wait)
    add(name, key)


def requester() -> str:
    """Who is acting: the member's account when signed in, else the client address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{client_ip()}"


def describe_wait(seconds: int) -> str:
    """A translated, rounded-up duration such as "45 seconds" or "3 minutes"."""
    if seconds < 120:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)
