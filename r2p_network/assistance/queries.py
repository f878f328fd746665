"""Reads for assistance requests: the offer a request starts from, lists, one request, and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, func, or_, select
from sqlalchemy.orm import aliased

from r2p_network.capacity.queries import on_the_map
from r2p_network.core.geography import country_name_column
from r2p_network.core.i18n import current_lang, translated_column
from r2p_network.extensions import db
from r2p_network.models import (
    AssistanceNote,
    AssistanceRequest,
    AssistanceStatus,
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Country,
    Network,
    User,
)
from r2p_network.permissions import readable_assistance

UNDER_WAY = (AssistanceStatus.UNDER_WAY,)
DELIVERED = (AssistanceStatus.DELIVERED, AssistanceStatus.CLOSED)


def _current_entries(*conditions: ColumnElement[bool]) -> Select:
    return (
        select(CapacityEntry, CapacitySubmission.country_iso3, CapacitySubmission.network)
        .join(CapacitySubmission, CapacitySubmission.id == CapacityEntry.submission_id)
        .where(on_the_map(CapacitySubmission), CapacitySubmission.is_current.is_(True), *conditions)
    )


def offer_on_map(entry_id: int) -> tuple[CapacityEntry, str, Network, str] | None:
    """An offer on the current map, with its team (country, network) and the country's name."""
    row = db.session.execute(
        _current_entries(CapacityEntry.id == entry_id, CapacityEntry.status == CapacityStatus.OFFERS)
        .join(Country, Country.iso3 == CapacitySubmission.country_iso3)
        .add_columns(country_name_column())
    ).first()
    return (row[0], row[1], row[2], row[3]) if row else None


def best_offer(iso3: str, category_slug: str) -> int | None:
    """The id of a country's most mature offer of a capacity on the current map (a match names a
    country, not a team)."""
    return db.session.scalar(
        _current_entries(
            CapacitySubmission.country_iso3 == iso3,
            CapacityEntry.status == CapacityStatus.OFFERS,
            CapacityCategory.slug == category_slug,
        )
        .join(CapacityCategory, CapacityCategory.id == CapacityEntry.category_id)
        .with_only_columns(CapacityEntry.id)
        .order_by(CapacityEntry.maturity.desc(), CapacityEntry.id)
        .limit(1)
    )


def team_needs(team: tuple[str, Network], category_id: int) -> list[CapacityEntry]:
    """The team's needs of one capacity on its current map (restricted ones too: they are its own)."""
    return list(
        db.session.scalars(
            _current_entries(
                CapacitySubmission.country_iso3 == team[0],
                CapacitySubmission.network == team[1],
                CapacityEntry.category_id == category_id,
                CapacityEntry.status == CapacityStatus.NEEDS,
            )
            .with_only_columns(CapacityEntry)
            .order_by(CapacityEntry.id)
        )
    )


@dataclass(frozen=True)
class RequestRow:
    id: int
    requester_iso3: str
    requester_country: str
    requester_network: Network
    provider_iso3: str
    provider_country: str
    provider_network: Network
    category_name: str
    what: str
    status: AssistanceStatus
    updated_at: datetime


def _listing() -> Select:
    requester = aliased(Country)
    provider = aliased(Country)
    lang = current_lang()
    name = country_name_column().key
    return (
        select(
            AssistanceRequest.id,
            AssistanceRequest.requester_iso3,
            getattr(requester, name),
            AssistanceRequest.requester_network,
            AssistanceRequest.provider_iso3,
            getattr(provider, name),
            AssistanceRequest.provider_network,
            translated_column(CapacityCategory.name, CapacityCategory.translations, "name", lang),
            AssistanceRequest.what,
            AssistanceRequest.status,
            AssistanceRequest.updated_at,
        )
        .join(requester, requester.iso3 == AssistanceRequest.requester_iso3)
        .join(provider, provider.iso3 == AssistanceRequest.provider_iso3)
        .join(CapacityCategory, CapacityCategory.id == AssistanceRequest.category_id)
    )


def requests_for(user: User | Any) -> list[RequestRow]:
    """Every request *user* may read, the most recently changed first (one query)."""
    stmt = (
        _listing()
        .where(readable_assistance(user))
        .order_by(AssistanceRequest.updated_at.desc(), AssistanceRequest.id.desc())
    )
    return [RequestRow(*row) for row in db.session.execute(stmt)]


def request_row(request_id: int) -> RequestRow:
    return RequestRow(*db.session.execute(_listing().where(AssistanceRequest.id == request_id)).one())


@dataclass(frozen=True)
class NoteRow:
    body: str
    link: str
    created_at: datetime
    author: str | None


def notes(request_id: int) -> list[NoteRow]:
    return [
        NoteRow(*row)
        for row in db.session.execute(
            select(AssistanceNote.body, AssistanceNote.link, AssistanceNote.created_at, User.name)
            .outerjoin(User, User.id == AssistanceNote.author_id)
            .where(AssistanceNote.request_id == request_id)
            .order_by(AssistanceNote.created_at, AssistanceNote.id)
        )
    ]


def need_of(request: AssistanceRequest) -> CapacityEntry | None:
    return db.session.get(CapacityEntry, request.need_entry_id) if request.need_entry_id else None


def counts_by_capacity(scope: Subquery) -> dict[str, tuple[int, int]]:
    """Per capacity slug: (under way, delivered) requests that involve a country of *scope* (one
    place's subquery from ``core.geography``), leaving out requests about restricted needs.

    Counts only, never details: country and regional pages show them to every member.
    """
    inside = select(scope.c.iso3)
    rows = db.session.execute(
        select(
            CapacityCategory.slug,
            func.count().filter(AssistanceRequest.status.in_(UNDER_WAY)),
            func.count().filter(AssistanceRequest.status.in_(DELIVERED)),
        )
        .join(CapacityCategory, CapacityCategory.id == AssistanceRequest.category_id)
        .where(
            AssistanceRequest.restricted.is_(False),
            AssistanceRequest.status.in_(UNDER_WAY + DELIVERED),
            or_(AssistanceRequest.requester_iso3.in_(inside), AssistanceRequest.provider_iso3.in_(inside)),
        )
        .group_by(CapacityCategory.slug)
    )
    return {slug: (under_way, delivered) for slug, under_way, delivered in rows}
