"""Participation of each country in the key legal instruments, with a full history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.base import Base, enum_column, utcnow


class TreatyParticipation(enum.StrEnum):
    PARTY = "party"
    SIGNATORY = "signatory"
    NOT_PARTY = "not_party"
    NOT_APPLICABLE = "not_applicable"
    # A withdrawal takes effect some time after it is notified (a year for the Rome Statute);
    # both statuses carry the date it takes (or took) effect.
    WITHDRAWAL_NOTIFIED = "withdrawal_notified"
    WITHDRAWN = "withdrawn"


WITHDRAWALS = (TreatyParticipation.WITHDRAWAL_NOTIFIED, TreatyParticipation.WITHDRAWN)


class Instrument(Base):
    """A legal instrument whose participation is a pillar I indicator."""

    __tablename__ = "instrument"
    renews_data: ClassVar[bool] = True

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    short_name: Mapped[str] = mapped_column(String(60), nullable=False)
    # When set, only members of this regional body can be parties (e.g. the Kampala Convention).
    body_slug: Mapped[str | None] = mapped_column(ForeignKey("regional_body.slug"), nullable=True)
    # {"fr": {"name": "...", ...}, ...}: the other five UN languages; English is in the columns above.
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSON, nullable=False, default=dict, server_default="{}"
    )


class TreatyStatus(Base):
    """A country's current status for one instrument."""

    __tablename__ = "treaty_status"
    renews_data: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("country_iso3", "instrument_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), nullable=False)
    instrument_slug: Mapped[str] = mapped_column(ForeignKey("instrument.slug"), nullable=False)
    status: Mapped[TreatyParticipation] = mapped_column(
        enum_column(TreatyParticipation, "treaty_participation"), nullable=False
    )
    source: Mapped[str] = mapped_column(Text, nullable=False)
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    # When a notified withdrawal takes effect, or when a withdrawal took effect.
    withdrawal_effective_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The national law that gives effect to the instrument, if any (e.g. an International Crimes Act).
    implementing_legislation: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )


class TreatyStatusChange(Base):
    """One edit of a treaty status; never changed or removed."""

    __tablename__ = "treaty_status_change"
    renews_data: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), nullable=False, index=True)
    instrument_slug: Mapped[str] = mapped_column(ForeignKey("instrument.slug"), nullable=False)
    old_status: Mapped[TreatyParticipation | None] = mapped_column(
        enum_column(TreatyParticipation, "old_participation"), nullable=True
    )
    new_status: Mapped[TreatyParticipation] = mapped_column(
        enum_column(TreatyParticipation, "new_participation"), nullable=False
    )
    source: Mapped[str] = mapped_column(Text, nullable=False)
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    withdrawal_effective_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    implementing_legislation: Mapped[str | None] = mapped_column(Text, nullable=True)
    changed_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
