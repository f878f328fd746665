"""Following a strategy's priority actions through: each action across versions, its reviews
(a status with a date and a note) and its milestones."""

from __future__ import annotations

import enum
import hashlib
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.base import Base, enum_column, utcnow


def action_key(text: str) -> str:
    """The identity of a priority action across versions: its wording, ignoring case and spacing."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()[:32]


class ActionStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    UNDER_WAY = "under_way"
    DONE = "done"
    DROPPED = "dropped"


class PriorityAction(Base):
    """One priority action of an assessment, from the first to the last version that lists it."""

    __tablename__ = "priority_action"
    renews_data: ClassVar[bool] = True  # the regional pages count actions by status
    __table_args__ = (UniqueConstraint("assessment_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True
    )
    key: Mapped[str] = mapped_column(String(32), nullable=False)
    action: Mapped[str] = mapped_column(String(300), nullable=False)  # as the latest version words it
    first_version: Mapped[int] = mapped_column(Integer, nullable=False)
    last_version: Mapped[int] = mapped_column(Integer, nullable=False)


class ActionReview(Base):
    """A review of one action: where it stands on a date, with a short note."""

    __tablename__ = "action_review"
    renews_data: ClassVar[bool] = True  # the latest review is the status the regional pages count

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("priority_action.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, "action_status"), nullable=False)
    reviewed_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )


class ActionMilestone(Base):
    """A step towards an action, with the date it is due and the date it was reached."""

    __tablename__ = "action_milestone"
    renews_data: ClassVar[bool] = False  # shown only on the team's dashboard, which is not cached

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("priority_action.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reached_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
