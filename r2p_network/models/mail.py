"""Mail that is never lost: the outbox, each delivery attempt, scheduled jobs, and what each
member chose to hear about."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.base import Base, enum_column, utcnow


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Frequency(enum.StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class OutboxMessage(Base):
    """One email, rendered in its recipient's language, written in the transaction that causes it."""

    __tablename__ = "outbox_message"
    renews_data: ClassVar[bool] = False  # shown only on the administrators' outbox page
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    to_address: Mapped[str] = mapped_column(String(254), nullable=False)
    lang: Mapped[str] = mapped_column(String(2), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    text_body: Mapped[str] = mapped_column(Text, nullable=False)
    html_body: Mapped[str] = mapped_column(Text, nullable=False)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), nullable=False, default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)


class OutboxAttempt(Base):
    """One try at handing a message to the mail server, and what the server said."""

    __tablename__ = "outbox_attempt"
    renews_data: ClassVar[bool] = False

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), nullable=False, index=True
    )
    attempted_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)


class JobRun(Base):
    """When a scheduled job of the worker last ran, and what it did."""

    __tablename__ = "job_run"
    renews_data: ClassVar[bool] = False

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    result: Mapped[str] = mapped_column(String(300), nullable=False, default="")


class NotificationPreference(Base):
    """How often a member hears about one kind of news, with the filters that kind takes, and up
    to when their digest of it has been sent."""

    __tablename__ = "notification_preference"
    renews_data: ClassVar[bool] = False

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "frequency"), nullable=False)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    digested_until: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class UsedToken(Base):
    """A single-use signed link already followed (stored as a hash), so it cannot work twice."""

    __tablename__ = "used_token"
    renews_data: ClassVar[bool] = False

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40), nullable=False)
    used_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class FeedToken(Base):
    """The secret in a member's private feed address (stored as a hash); deleting it revokes the feed."""

    __tablename__ = "feed_token"
    renews_data: ClassVar[bool] = False

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
