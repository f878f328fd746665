"""Writing events, registrations, summaries, action points and calendar feeds. Flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.core.geography import in_body, in_region
from r2p_network.core.richtext import render
from r2p_network.extensions import db
from r2p_network.models import (
    ActionPoint,
    ActionPointStatus,
    CalendarFeed,
    Country,
    Event,
    EventAudience,
    EventAudienceKind,
    EventKind,
    EventRegistration,
    RegistrationStatus,
    User,
    utcnow,
)

Audience = tuple[EventAudienceKind, str]


def to_utc(local: datetime, zone: str) -> datetime:
    """A wall-clock time at the place (naive, as a form gives it) as an aware UTC moment."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def at_place(moment: datetime, zone: str) -> datetime:
    """A stored UTC moment as the wall-clock time at the place (naive, to fill a form)."""
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


@dataclass
class EventData:
    """What an organiser enters; times are wall-clock times at the place, in *time_zone*."""

    kind: EventKind
    title: str
    starts: datetime
    ends: datetime
    time_zone: str
    audiences: list[Audience]
    scope: tuple[str, str] = ("network", "")
    description: str = ""
    place: str = ""
    online_url: str = ""
    languages: list[str] = field(default_factory=list)
    registration_open: bool = False
    capacity: int | None = None
    deadline: datetime | None = None


def outside_scope(scope: tuple[str, str], audiences: list[Audience]) -> list[Audience]:
    """The audiences an organiser of *scope* may not address: beyond the whole network, only the
    scope itself, teams of its countries and, for an organisation, its own seat (the UN office
    belongs to no region, so only organisers of the whole network invite it)."""
    kind, key = scope
    if kind == "network":
        return []
    inside = in_region(key) if kind == "m49" else in_body(key)
    team_countries = {k.split(":", 1)[0] for a, k in audiences if a == EventAudienceKind.TEAM}
    allowed = set(db.session.scalars(select(Country.iso3).where(Country.iso3.in_(team_countries), inside)))
    return [
        (a, k)
        for a, k in audiences
        if not (a.value == kind and k == key)
        and not (a == EventAudienceKind.TEAM and k.split(":", 1)[0] in allowed)
        and not (a == EventAudienceKind.ORG_SEAT and kind == EventAudienceKind.ORG.value and k == key)
    ]


def _apply(event: Event, data: EventData) -> None:
    event.kind = data.kind
    event.title = data.title.strip()
    event.description = data.description
    event.description_html = render(data.description)
    event.starts_at = to_utc(data.starts, data.time_zone)
    event.ends_at = to_utc(data.ends, data.time_zone)
    event.time_zone = data.time_zone
    event.place = data.place.strip()
    event.online_url = data.online_url.strip()
    event.languages = list(data.languages)
    event.scope_kind, event.scope_key = data.scope
    event.registration_open = data.registration_open
    event.capacity = data.capacity
    event.registration_deadline = to_utc(data.deadline, data.time_zone) if data.deadline else None


def _set_audiences(event: Event, audiences: list[Audience]) -> None:
    db.session.execute(delete(EventAudience).where(EventAudience.event_id == event.id))
    db.session.add_all(
        EventAudience(event_id=event.id, kind=kind, key=key) for kind, key in dict.fromkeys(audiences)
    )


def create_event(organiser: User, data: EventData) -> Event:
    """A new event with its audiences."""
    event = Event(created_by_id=organiser.id)
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    _set_audiences(event, data.audiences)
    audit.record("event.create", actor_id=organiser.id, object_type="event", object_id=event.id)
    db.session.flush()
    return event


def update_event(event: Event, organiser: User, data: EventData) -> None:
    """Change an event; calendars that hold it see a new sequence number."""
    _apply(event, data)
    event.sequence += 1
    _set_audiences(event, data.audiences)
    audit.record("event.update", actor_id=organiser.id, object_type="event", object_id=event.id)
    db.session.flush()


def registered_count(event_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(EventRegistration)
            .where(
                EventRegistration.event_id == event_id,
                EventRegistration.status == RegistrationStatus.REGISTERED,
            )
        )
        or 0
    )


def registration_problem(event: Event, now: datetime | None = None) -> str | None:
    """Why no one can register now ("closed", "deadline", "started", "full"), or None."""
    now = now or utcnow()
    if not event.registration_open:
        return "closed"
    if event.starts_at <= now:
        return "started"
    if event.registration_deadline is not None and event.registration_deadline < now:
        return "deadline"
    if event.capacity is not None and registered_count(event.id) >= event.capacity:
        return "full"
    return None


def _answer(event: Event, user: User) -> EventRegistration:
    answer = db.session.scalar(
        select(EventRegistration).where(
            EventRegistration.event_id == event.id, EventRegistration.user_id == user.id
        )
    )
    if answer is None:
        answer = EventRegistration(event_id=event.id, user_id=user.id, status=RegistrationStatus.DECLINED)
        db.session.add(answer)
    return answer


def register(event: Event, user: User, now: datetime | None = None) -> None:
    """Register *user*; raises StateError with the reason when registration is closed or full."""
    # Lock the event row so two last-seat registrations cannot both pass the capacity check.
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    answer = _answer(event, user)
    if answer.status == RegistrationStatus.REGISTERED:
        return
    problem = registration_problem(event, now)
    if problem:
        raise StateError(problem)
    answer.status = RegistrationStatus.REGISTERED
    audit.record("event.register", actor_id=user.id, object_type="event", object_id=event.id)
    db.session.flush()


def decline(event: Event, user: User) -> None:
    """Record that *user* will not attend (freeing their seat if they had registered)."""
    answer = _answer(event, user)
    answer.status = RegistrationStatus.DECLINED
    audit.record("event.decline", actor_id=user.id, object_type="event", object_id=event.id)
    db.session.flush()


def publish_summary(event: Event, organiser: User, text: str, now: datetime | None = None) -> None:
    """Publish (or correct) the summary of an event that has taken place."""
    now = now or utcnow()
    if event.starts_at > now:
        raise StateError("not_held")
    event.summary = text
    event.summary_html = render(text)
    event.summary_published_at = event.summary_published_at or now
    audit.record("event.summary", actor_id=organiser.id, object_type="event", object_id=event.id)
    db.session.flush()


def add_action_point(
    event: Event, organiser: User, text: str, owner: Audience, due_on: date | None
) -> ActionPoint:
    """An action point for a seat (a team, an organisation's seat or the UN office), open until its
    owners or an organiser close it."""
    kind, key = owner
    point = ActionPoint(
        event_id=event.id, text=text.strip(), owner_kind=kind.value, owner_key=key, due_on=due_on
    )
    db.session.add(point)
    db.session.flush()
    audit.record("event.action_point", actor_id=organiser.id, object_type="action_point", object_id=point.id)
    return point


def set_action_status(point: ActionPoint, user: User, status: ActionPointStatus) -> None:
    """Move an action point to *status*."""
    point.status = status
    audit.record(
        "event.action_point_status",
        actor_id=user.id,
        object_type="action_point",
        object_id=point.id,
        status=status.value,
    )
    db.session.flush()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(user: User) -> str:
    """A fresh private calendar address for *user*; any previous one stops working."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=token_hash(token), token=token))
    audit.record("calendar_feed.create", actor_id=user.id, object_type="user", object_id=user.id)
    db.session.flush()
    return token


def revoke_feed(user: User) -> None:
    """Stop the member's calendar address from working."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    audit.record("calendar_feed.revoke", actor_id=user.id, object_type="user", object_id=user.id)
    db.session.flush()
