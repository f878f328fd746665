"""Reads for mail: the outbox for administrators, its health, and members' preferences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, func, select

from r2p_network.core.pagination import paginate
from r2p_network.extensions import db
from r2p_network.models import (
    FeedToken,
    JobRun,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    utcnow,
)

OUTBOX_PER_PAGE = 50


def outbox_page(status: OutboxStatus | None, page: int) -> tuple[Sequence[Row], int, int]:
    """One page of outbox messages (newest first), optionally of one status."""
    stmt = select(
        OutboxMessage.id,
        OutboxMessage.kind,
        OutboxMessage.to_address,
        OutboxMessage.subject,
        OutboxMessage.status,
        OutboxMessage.attempts,
        OutboxMessage.last_error,
        OutboxMessage.created_at,
        OutboxMessage.sent_at,
        OutboxMessage.next_attempt_at,
    ).order_by(OutboxMessage.id.desc())
    if status is not None:
        stmt = stmt.where(OutboxMessage.status == status)
    return paginate(stmt, page, OUTBOX_PER_PAGE)


def outbox_counts() -> dict[OutboxStatus, int]:
    """How many messages are queued, sent and failed."""
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    counts = dict.fromkeys(OutboxStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


@dataclass(frozen=True)
class OutboxHealth:
    queued: int
    oldest_queued_at: datetime | None
    failed: int
    stuck: bool


def outbox_health(stuck_after: timedelta, now: datetime | None = None) -> OutboxHealth:
    """Queued mail, its oldest, and failed mail; stuck when something has waited past *stuck_after*."""
    now = now or utcnow()
    queued, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == OutboxStatus.QUEUED
        )
    ).one()
    failed = db.session.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.FAILED))
    stuck = oldest is not None and now - oldest > stuck_after
    return OutboxHealth(queued=queued or 0, oldest_queued_at=oldest, failed=failed or 0, stuck=stuck)


def job_runs() -> Sequence[JobRun]:
    """Every scheduled job's last run."""
    return db.session.scalars(select(JobRun).order_by(JobRun.name)).all()


def preferences_of(user_id: int) -> dict[str, NotificationPreference]:
    """The member's saved preferences, by kind (a kind without a row takes its default)."""
    rows = db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id)
    ).all()
    return {row.kind: row for row in rows}


def has_feed(user_id: int) -> bool:
    return db.session.get(FeedToken, user_id) is not None
