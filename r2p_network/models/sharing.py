"""Sharing a submitted assessment version with chosen readers, and peer reviews of it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.base import Base, enum_column, utcnow


class AudienceKind(enum.StrEnum):
    """Who a share is addressed to; the key says which one."""

    GOVERNMENT = "government"  # government focal points of every country (key "")
    TEAM = "team"  # one country's team (key "GHA:government")
    ORGANISATION = "organisation"  # one organisation's seat (key: its slug)
    UN_OFFICE = "un_office"  # the UN office's seat (key "")
    COORDINATORS = "coordinators"  # the coordinators of one scope (key "m49:002", "org:ecowas")


class VersionShare(Base):
    """One explicit share of a version with one audience, kept after it is withdrawn."""

    __tablename__ = "version_share"
    renews_data: ClassVar[bool] = True
    __table_args__ = (Index("ix_version_share_audience", "audience", "audience_key", "withdrawn_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_version.id", ondelete="CASCADE"), nullable=False, index=True
    )
    audience: Mapped[AudienceKind] = mapped_column(enum_column(AudienceKind, "audience_kind"), nullable=False)
    audience_key: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    shared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    shared_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ReviewStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PeerReview(Base):
    """A team's invitation to one reviewer (a team, an organisation seat or the UN office) to
    review one shared version."""

    __tablename__ = "peer_review"
    renews_data: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_version.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reviewer: Mapped[AudienceKind] = mapped_column(enum_column(AudienceKind, "reviewer_kind"), nullable=False)
    reviewer_key: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # A UPR or APRM recommendation the review looks at: free text and an optional link.
    recommendation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recommendation_url: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    overall_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, "review_status"), nullable=False, default=ReviewStatus.OPEN
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    invited_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ReviewComment(Base):
    """A reviewer's comment on one element, risk factor or inhibitor (``target``), or the team's
    reply to one (``reply_to_id``)."""

    __tablename__ = "review_comment"
    renews_data: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("peer_review.id", ondelete="CASCADE"), nullable=False, index=True
    )
    target: Mapped[str] = mapped_column(String(40), nullable=False)  # e.g. "element:1", "rf:04", "inh:3"
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_comment.id", ondelete="CASCADE"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
