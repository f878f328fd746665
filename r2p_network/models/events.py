"""Meetings and events: their audiences, registrations, action points and members' calendar feeds."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.base import Base, EncryptedString, enum_column, utcnow


class EventKind(enum.StrEnum):
    ANNUAL_MEETING = "annual_meeting"
    REGIONAL_MEETING = "regional_meeting"
    TRAINING = "training"
    WEBINAR = "webinar"
    WORKING_GROUP = "working_group"


class EventAudienceKind(enum.StrEnum):
    """Who an event is for. Each row of ``event_audience`` is one (kind, key); a new kind is a new
    member here and a clause in ``permissions._audience_matches``. TEAM, ORG_SEAT and UN_OFFICE also
    name the owner of an action point (``ActionPoint.owner_kind``)."""

    PUBLIC = "public"  # anyone, signed in or not; key ""
    NETWORK = "network"  # every approved member; key ""
    NETWORK_KIND = "network_kind"  # one network: key "government", "civil_society" or "parliament"
    M49 = "m49"  # teams of countries in an M49 region; key the M49 code
    GROUP = "group"  # teams of countries in a UN regional group; key its slug
    ORG = "org"  # teams of countries in a regional organisation; key its slug
    TEAM = "team"  # one team; key "ISO3:network", e.g. "GHA:government"
    ORG_SEAT = "org_seat"  # the focal points of one organisation's seat; key its slug
    UN_OFFICE = "un_office"  # the focal points of the UN office; key ""


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    DECLINED = "declined"


class ActionPointStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


def team_key(country_iso3: str, network: str) -> str:
    """How a team is named in audiences and action points: "ISO3:network"."""
    return f"{country_iso3}:{network}"


class Event(Base):
    """A meeting, training or webinar. Times are stored in UTC with the IANA zone of the place."""

    __tablename__ = "event"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="positive_capacity"),
        Index("ix_event_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    description_html: Mapped[str] = mapped_column(Text, nullable=False, default="")
    starts_at: Mapped[datetime] = mapped_column(nullable=False)
    ends_at: Mapped[datetime] = mapped_column(nullable=False)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    online_url: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    # The scope under which it was organised: organisers holding ORGANISE_EVENTS over it manage it.
    scope_kind: Mapped[str] = mapped_column(String(16), nullable=False, default="network")
    scope_key: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    registration_open: Mapped[bool] = mapped_column(nullable=False, default=False)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    registration_deadline: Mapped[datetime | None] = mapped_column(nullable=True)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    summary_html: Mapped[str] = mapped_column(Text, nullable=False, default="")
    summary_published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Raised on each change so calendar programs replace their copy (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)


class EventAudience(Base):
    """One audience of an event (see ``EventAudienceKind``)."""

    __tablename__ = "event_audience"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        UniqueConstraint("event_id", "kind", "key"),
        Index("ix_event_audience_kind_key", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[EventAudienceKind] = mapped_column(
        enum_column(EventAudienceKind, "audience_kind"), nullable=False
    )
    key: Mapped[str] = mapped_column(String(60), nullable=False, default="")


class EventRegistration(Base):
    """A member's answer to an invitation: registered or declined."""

    __tablename__ = "event_registration"
    renews_data: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status"), nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)


class ActionPoint(Base):
    """Something a meeting asked of a seat, shown on its members' home page until it is done.

    The owner is (kind, key) like an audience: ``team`` with "ISO3:network", ``org_seat`` with an
    organisation's slug, or ``un_office`` with ""."""

    __tablename__ = "action_point"
    renews_data: ClassVar[bool] = True
    __table_args__ = (Index("ix_action_point_owner", "owner_kind", "owner_key", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    owner_kind: Mapped[str] = mapped_column(String(16), nullable=False, default="team")
    owner_key: Mapped[str] = mapped_column(String(60), nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[ActionPointStatus] = mapped_column(
        enum_column(ActionPointStatus, "action_status"), nullable=False, default=ActionPointStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)


class CalendarFeed(Base):
    """A member's private calendar address. The token is looked up by its hash and kept encrypted so
    the member can copy the address again; revoking deletes the row."""

    __tablename__ = "calendar_feed"
    renews_data: ClassVar[bool] = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    token: Mapped[str] = mapped_column(EncryptedString(255), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
