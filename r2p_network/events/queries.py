"""Reads for the events pages, the home page's action points and the calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, null, select

from r2p_network.core.geography import country_name_column, region_name
from r2p_network.core.i18n import current_lang, localized
from r2p_network.core.labels import VOCABULARIES, label
from r2p_network.extensions import db
from r2p_network.models import (
    ActionPoint,
    ActionPointStatus,
    BodyKind,
    CalendarFeed,
    Country,
    Event,
    EventAudience,
    EventRegistration,
    FocalPointProfile,
    Network,
    Region,
    RegionalBody,
    RegistrationStatus,
    SeatKind,
    User,
    utcnow,
)
from r2p_network.permissions import Scope, event_seat, is_member, visible_events

PER_PAGE = 20


@dataclass(frozen=True)
class EventRow:
    event: Event
    registered: int
    my_status: RegistrationStatus | None


def _registered() -> Any:
    return (
        select(func.count())
        .where(
            EventRegistration.event_id == Event.id, EventRegistration.status == RegistrationStatus.REGISTERED
        )
        .correlate(Event)
        .scalar_subquery()
    )


def event_rows(user: Any, past: bool, page: int = 1) -> tuple[list[EventRow], int]:
    """The events the reader may see, upcoming (soonest first) or past (latest first), one page of
    them with their registration counts and the reader's own answer, and how many there are."""
    now = utcnow()
    condition = visible_events(user)
    when = Event.ends_at < now if past else Event.ends_at >= now
    mine: Any = (
        select(EventRegistration.status)
        .where(EventRegistration.event_id == Event.id, EventRegistration.user_id == user.id)
        .correlate(Event)
        .scalar_subquery()
        if is_member(user)
        else null()
    )
    order = Event.starts_at.desc() if past else Event.starts_at.asc()
    stmt = (
        select(Event, _registered(), mine, func.count().over())
        .where(condition, when)
        .order_by(order, Event.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    rows = db.session.execute(stmt).all()
    total = rows[0][3] if rows else 0
    return [EventRow(r[0], r[1], r[2]) for r in rows], total


def audiences_of(event_id: int) -> list[tuple[str, str]]:
    return [
        (kind.value, key)
        for kind, key in db.session.execute(
            select(EventAudience.kind, EventAudience.key)
            .where(EventAudience.event_id == event_id)
            .order_by(EventAudience.kind, EventAudience.key)
        )
    ]


@dataclass(frozen=True)
class Participant:
    name: str
    country: str | None
    network: str | None


def participants(event_id: int) -> list[Participant]:
    """Registered participants, by country then name."""
    name = country_name_column()
    rows = db.session.execute(
        select(User.name, name, FocalPointProfile.network)
        .join(EventRegistration, EventRegistration.user_id == User.id)
        .outerjoin(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .outerjoin(Country, Country.iso3 == FocalPointProfile.country_iso3)
        .where(
            EventRegistration.event_id == event_id, EventRegistration.status == RegistrationStatus.REGISTERED
        )
        .order_by(name, User.name)
    )
    return [Participant(n, c, getattr(net, "value", None)) for n, c, net in rows]


def my_answer(user: Any, event_id: int) -> RegistrationStatus | None:
    if not is_member(user):
        return None
    return db.session.scalar(
        select(EventRegistration.status).where(
            EventRegistration.event_id == event_id, EventRegistration.user_id == user.id
        )
    )


def action_points(event_id: int) -> list[ActionPoint]:
    return list(
        db.session.scalars(
            select(ActionPoint)
            .where(ActionPoint.event_id == event_id)
            .order_by(ActionPoint.due_on, ActionPoint.id)
        )
    )


@dataclass(frozen=True)
class OpenAction:
    id: int
    text: str
    due_on: date | None
    status: ActionPointStatus
    event_id: int
    event_title: str


def open_actions(user: Any) -> list[OpenAction]:
    """The action points of the member's seat (team, organisation or UN office) that are not done
    yet, soonest due first."""
    seat = event_seat(user)
    if seat is None:
        return []
    rows = db.session.execute(
        select(
            ActionPoint.id, ActionPoint.text, ActionPoint.due_on, ActionPoint.status, Event.id, Event.title
        )
        .join(Event, Event.id == ActionPoint.event_id)
        .where(
            ActionPoint.owner_kind == seat[0].value,
            ActionPoint.owner_key == seat[1],
            ActionPoint.status != ActionPointStatus.DONE,
        )
        .order_by(case((ActionPoint.due_on.is_(None), 1), else_=0), ActionPoint.due_on, ActionPoint.id)
    )
    return [OpenAction(*row) for row in rows]


def feed_token(user_id: int) -> str | None:
    return db.session.scalar(select(CalendarFeed.token).where(CalendarFeed.user_id == user_id))


def feed_owner(token_hash: str) -> User | None:
    return db.session.scalar(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == token_hash)
    )


def registered_events(user_id: int, since: datetime) -> list[Event]:
    """Events the member registered for that end after *since*."""
    return list(
        db.session.scalars(
            select(Event)
            .join(EventRegistration, EventRegistration.event_id == Event.id)
            .where(
                EventRegistration.user_id == user_id,
                EventRegistration.status == RegistrationStatus.REGISTERED,
                Event.ends_at >= since,
            )
            .order_by(Event.starts_at)
        )
    )


def scope_names(scopes: list[Scope]) -> list[tuple[str, str, str]]:
    """(kind, key, name) of organiser scopes, named in the reader's language."""
    described = describe_audiences([(s.kind, s.key) for s in scopes if s.kind != "network"])
    return [
        (s.kind, s.key, str(_l("The whole network")) if s.kind == "network" else described[(s.kind, s.key)])
        for s in scopes
    ]


def describe_audiences(audiences: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A readable name for each (kind, key) of an audience or action-point owner, in two queries."""
    lang = current_lang()
    wanted = {key for kind, key in audiences if kind in ("m49", "group", "org", "org_seat")}
    bodies = {
        slug: str(localized(translations, "name", name, lang)) if kind == BodyKind.UN_GROUP else acronym
        for slug, kind, acronym, name, translations in db.session.execute(
            select(
                RegionalBody.slug,
                RegionalBody.kind,
                RegionalBody.acronym,
                RegionalBody.name,
                RegionalBody.translations,
            ).where(RegionalBody.slug.in_(wanted))
        )
    }
    regions = dict(db.session.execute(select(Region.code, Region.name).where(Region.code.in_(wanted))).all())
    iso3s = {key.split(":", 1)[0] for kind, key in audiences if kind == "team"}
    countries = dict(
        db.session.execute(select(Country.iso3, country_name_column()).where(Country.iso3.in_(iso3s))).all()
    )
    fixed = {
        "public": _l("The public"),
        "network": _l("The whole network"),
        "un_office": VOCABULARIES["seat"][SeatKind.UN_OFFICE],
    }
    names: dict[tuple[str, str], str] = {}
    for kind, key in audiences:
        if kind in fixed:
            names[(kind, key)] = str(fixed[kind])
        elif kind == "network_kind":
            names[(kind, key)] = _("%(network)s network", network=label(Network(key)))
        elif kind == "m49":
            names[(kind, key)] = region_name(key, regions.get(key, key), lang)
        elif kind in ("group", "org"):
            names[(kind, key)] = bodies.get(key, key)
        elif kind == "org_seat":
            names[(kind, key)] = _("Focal points of %(organisation)s", organisation=bodies.get(key, key))
        else:
            iso3, network = key.split(":", 1)
            names[(kind, key)] = _(
                "%(country)s (%(network)s)",
                country=countries.get(iso3, iso3),
                network=label(Network(network)),
            )
    return names
