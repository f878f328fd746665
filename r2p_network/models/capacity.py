"""Capacity mapping: a catalogue of capacities, and each team's submissions per cycle."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.accounts import Network
from r2p_network.models.base import Base, enum_column, utcnow


class SubmissionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for an administrator to verify it
    VERIFIED = "verified"
    RETURNED = "returned"  # sent back with a note; editable again


class CapacityStatus(enum.StrEnum):
    HAS = "has"  # has domestically
    OFFERS = "offers"  # can offer to others
    NEEDS = "needs"  # needs support


class CapacityCategory(Base):
    """One kind of capacity that helps prevent atrocity crimes."""

    __tablename__ = "capacity_category"
    renews_data: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    definition: Mapped[str] = mapped_column(Text, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    # Set for the seven inhibitors of atrocity crimes (1-7).
    inhibitor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(nullable=False, default=True)
    # {"fr": {"name": "...", ...}, ...}: the other five UN languages; English is in the columns above.
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSON, nullable=False, default=dict, server_default="{}"
    )


class CapacitySubmission(Base):
    """A team's capacity map for one cycle (a year)."""

    __tablename__ = "capacity_submission"
    renews_data: ClassVar[bool] = True
    # A revision shares its team and cycle with the map it revises, and takes the next number.
    __table_args__ = (UniqueConstraint("country_iso3", "network", "cycle", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), nullable=False)
    network: Mapped[Network] = mapped_column(enum_column(Network, "capacity_network"), nullable=False)
    cycle: Mapped[int] = mapped_column(Integer, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    # The verified map this one revises; that map stays current until this one is verified.
    revises_id: Mapped[int | None] = mapped_column(
        ForeignKey("capacity_submission.id", ondelete="SET NULL"), nullable=True
    )
    # Set on a verified map once a revision of it is verified: it is no longer on the map.
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("capacity_submission.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[SubmissionStatus] = mapped_column(
        enum_column(SubmissionStatus, "submission_status"), nullable=False, default=SubmissionStatus.DRAFT
    )
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # True for the team's latest verified cycle: its country's current map. Kept up to date by
    # ``capacity.queries.refresh_current_maps`` whenever a map is verified.
    is_current: Mapped[bool] = mapped_column(nullable=False, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )


class CapacityEntry(Base):
    """What a country has, can offer, or needs, for one category."""

    __tablename__ = "capacity_entry"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        CheckConstraint("maturity BETWEEN 1 AND 4", name="maturity_range"),
        # Only a need can be restricted to administrators.
        CheckConstraint("restricted = false OR status = 'needs'", name="restricted_needs_only"),
        Index("ix_capacity_entry_category_status", "category_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("capacity_submission.id", ondelete="CASCADE"), nullable=False, index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("capacity_category.id"), nullable=False)
    status: Mapped[CapacityStatus] = mapped_column(
        enum_column(CapacityStatus, "capacity_status"), nullable=False
    )
    maturity: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    institution: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    contact: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    restricted: Mapped[bool] = mapped_column(nullable=False, default=False)
    # In a revision: the entry of the revised map this one was copied from (for the verifier's diff).
    origin_id: Mapped[int | None] = mapped_column(
        ForeignKey("capacity_entry.id", ondelete="SET NULL"), nullable=True
    )
