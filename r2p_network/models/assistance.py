"""Assistance requests: one team asks another for help with a capacity, and both follow it through."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.accounts import Network
from r2p_network.models.base import Base, enum_column, utcnow


class AssistanceStatus(enum.StrEnum):
    REQUESTED = "requested"
    COUNTER_PROPOSED = "counter_proposed"  # the offering team proposes something else
    ACCEPTED = "accepted"
    DECLINED = "declined"  # final, with a reason
    UNDER_WAY = "under_way"
    DELIVERED = "delivered"
    CLOSED = "closed"  # final
    WITHDRAWN = "withdrawn"  # final, by either team


class AssistanceRequest(Base):
    """A requesting team's request to an offering team, about one capacity."""

    __tablename__ = "assistance_request"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        Index("ix_assistance_request_requester", "requester_iso3", "requester_network"),
        Index("ix_assistance_request_provider", "provider_iso3", "provider_network"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), nullable=False)
    requester_network: Mapped[Network] = mapped_column(
        enum_column(Network, "assistance_requester_network"), nullable=False
    )
    provider_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), nullable=False)
    provider_network: Mapped[Network] = mapped_column(
        enum_column(Network, "assistance_provider_network"), nullable=False
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("capacity_category.id"), nullable=False)
    # The requesting team's need this answers, and the offer it was made from (either may be absent).
    need_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("capacity_entry.id", ondelete="SET NULL"), nullable=True
    )
    offer_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("capacity_entry.id", ondelete="SET NULL"), nullable=True
    )
    # Copied from the need when the request is made, so that it stays restricted if the need was.
    restricted: Mapped[bool] = mapped_column(nullable=False, default=False)
    what: Mapped[str] = mapped_column(String(200), nullable=False)
    why: Mapped[str] = mapped_column(Text, nullable=False, default="")
    timeframe: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    status: Mapped[AssistanceStatus] = mapped_column(
        enum_column(AssistanceStatus, "assistance_status"),
        nullable=False,
        default=AssistanceStatus.REQUESTED,
        index=True,
    )
    # The offering team's reason for declining, or its counter-proposal.
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    responded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AssistanceNote(Base):
    """A note, or a link to a document, that either team adds to a request."""

    __tablename__ = "assistance_note"
    renews_data: ClassVar[bool] = False  # no cached page shows notes

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    link: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
