"""Housekeeping run by the worker (and ``flask maintenance prune``): forget what no longer counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, Delete, delete, or_

from r2p_network.core.ratelimit import KEEP
from r2p_network.extensions import db
from r2p_network.models import OutboxMessage, OutboxStatus, RateLimitHit, UsedToken, UserSession, utcnow

# A used single-use link is remembered as long as the link itself could still be followed.
USED_TOKEN_KEEP = timedelta(days=400)
SENT_MAIL_KEEP = timedelta(days=90)


@dataclass(frozen=True)
class Pruned:
    sessions: int
    rate_limit_hits: int
    used_tokens: int = 0
    sent_mail: int = 0

    def summary(self) -> str:
        return (
            f"{self.sessions} sessions, {self.rate_limit_hits} rate-limit hits and sign-in failures, "
            f"{self.used_tokens} used tokens, {self.sent_mail} old sent messages deleted"
        )


def _deleted(stmt: Delete) -> int:
    # A DELETE returns a CursorResult (which has rowcount); Session.execute is typed as Result.
    return cast(CursorResult[Any], db.session.execute(stmt)).rowcount or 0


def prune(now: datetime | None = None) -> Pruned:
    """Delete expired sessions (idle or too old), rate-limit hits (sign-in failures among them)
    older than a day, used tokens past their links' lifetime, and sent mail older than 90 days.

    Joins the unit of work; the caller commits.
    """
    now = now or utcnow()
    cfg = current_app.config
    idle_since = now - timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    started_before = now - timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"])
    return Pruned(
        sessions=_deleted(
            delete(UserSession).where(
                or_(UserSession.last_seen_at < idle_since, UserSession.created_at < started_before)
            )
        ),
        rate_limit_hits=_deleted(delete(RateLimitHit).where(RateLimitHit.created_at < now - KEEP)),
        used_tokens=_deleted(delete(UsedToken).where(UsedToken.used_at < now - USED_TOKEN_KEEP)),
        sent_mail=_deleted(
            delete(OutboxMessage).where(
                OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < now - SENT_MAIL_KEEP
            )
        ),
    )
