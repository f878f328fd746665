"""Housekeeping run by the maintenance timer: forget what no longer counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, delete, or_

from r2p_network.core.ratelimit import KEEP
from r2p_network.extensions import db
from r2p_network.models import RateLimitHit, UserSession, utcnow


@dataclass(frozen=True)
class Pruned:
    sessions: int
    rate_limit_hits: int


def prune(now: datetime | None = None) -> Pruned:
    """Delete expired sessions (idle or too old) and rate-limit hits older than a day.

    Joins the unit of work; the caller commits.
    """
    now = now or utcnow()
    cfg = current_app.config
    idle_since = now - timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    started_before = now - timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"])
    # A DELETE returns a CursorResult (which has rowcount); Session.execute is typed as Result.
    sessions = cast(
        CursorResult[Any],
        db.session.execute(
            delete(UserSession).where(
                or_(UserSession.last_seen_at < idle_since, UserSession.created_at < started_before)
            )
        ),
    )
    hits = cast(
        CursorResult[Any],
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.created_at < now - KEEP)),
    )
    return Pruned(sessions=sessions.rowcount or 0, rate_limit_hits=hits.rowcount or 0)
