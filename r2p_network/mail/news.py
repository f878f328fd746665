"""Kinds of news: new lessons, new offers matching the reader's team's needs, and new events.

Each collector asks the same questions as the pages do (``permissions.published_lessons``, the
capacity map's verified, current, unrestricted entries, ``permissions.visible_events``), as the
reader, when the message is written: whatever was hidden, unpublished or restricted since is left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from sqlalchemy import ColumnElement, and_, or_, select

from r2p_network.core import emails
from r2p_network.core.geography import country_name_column
from r2p_network.core.i18n import current_lang, translated_column, venue_time
from r2p_network.core.labels import label
from r2p_network.extensions import db
from r2p_network.mail.kinds import Item, Kind, register
from r2p_network.models import (
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Country,
    Event,
    Frequency,
    Lesson,
    LessonTag,
    SubmissionStatus,
    TagKind,
    User,
)
from r2p_network.permissions import published_lessons, team_of, visible_events

LIMIT = 50  # items per message at most: a digest is a pointer to the site, not an archive


def new_lessons(reader: User, filters: dict[str, Any], start: datetime, end: datetime) -> list[Item]:
    """Lessons published in the window that the reader may read, in their chosen areas,
    countries and themes (any of each chosen list; nothing chosen: every lesson)."""
    stmt = select(Lesson.id, Lesson.title, Lesson.summary, Lesson.published_at).where(
        published_lessons(reader), Lesson.published_at >= start, Lesson.published_at < end
    )
    for name, tag in (("regions", TagKind.AREA), ("countries", TagKind.COUNTRY), ("themes", TagKind.THEME)):
        chosen = [str(value) for value in filters.get(name) or []]
        if chosen:
            stmt = stmt.where(
                Lesson.id.in_(
                    select(LessonTag.lesson_id).where(LessonTag.kind == tag, LessonTag.value.in_(chosen))
                )
            )
    rows = db.session.execute(stmt.order_by(Lesson.published_at.desc()).limit(LIMIT)).all()
    return [
        Item(
            title=row.title,
            note=row.summary[:200],
            link=emails.link("lessons.detail", lesson_id=row.id),
            when=row.published_at,
        )
        for row in rows
    ]


def new_offers(reader: User, _filters: dict[str, Any], start: datetime, end: datetime) -> list[Item]:
    """Offers in maps verified in the window, in a category where the reader's team's current
    map has a need (another team's own, never the reader's)."""
    team = team_of(reader)
    if team is None:
        return []
    iso3, network = team
    needed = (
        select(CapacityEntry.category_id)
        .join(CapacitySubmission, CapacitySubmission.id == CapacityEntry.submission_id)
        .where(
            CapacitySubmission.country_iso3 == iso3,
            CapacitySubmission.network == network,
            CapacitySubmission.is_current.is_(True),
            CapacityEntry.status == CapacityStatus.NEEDS,
        )
    )
    lang = current_lang()
    category = translated_column(CapacityCategory.name, CapacityCategory.translations, "name", lang)
    country = country_name_column()
    stmt = (
        select(
            CapacitySubmission.id,
            category.label("category"),
            country.label("country"),
            CapacityEntry.description,
            CapacitySubmission.decided_at,
        )
        .join(CapacitySubmission, CapacitySubmission.id == CapacityEntry.submission_id)
        .join(CapacityCategory, CapacityCategory.id == CapacityEntry.category_id)
        .join(Country, Country.iso3 == CapacitySubmission.country_iso3)
        .where(
            CapacitySubmission.status == SubmissionStatus.VERIFIED,
            CapacitySubmission.is_current.is_(True),
            CapacitySubmission.decided_at >= start,
            CapacitySubmission.decided_at < end,
            CapacityEntry.status == CapacityStatus.OFFERS,
            CapacityEntry.restricted.is_(False),
            CapacityEntry.category_id.in_(needed),
            ~and_(CapacitySubmission.country_iso3 == iso3, CapacitySubmission.network == network),
        )
        .order_by(CapacitySubmission.decided_at.desc(), CapacityEntry.id)
        .limit(LIMIT)
    )
    return [
        Item(
            title=_("%(country)s offers: %(category)s", country=row.country, category=row.category),
            note=row.description[:200],
            link=emails.link("capacity.detail", submission_id=row.id),
            when=row.decided_at,
        )
        for row in db.session.execute(stmt)
    ]


def event_items(reader: User | AnonymousUserMixin, *conditions: ColumnElement[bool]) -> list[Item]:
    """Events *reader* may see now (anonymous: public ones) and that meet *conditions*, newest first."""
    rows = db.session.execute(
        select(
            Event.id, Event.title, Event.kind, Event.starts_at, Event.time_zone, Event.place, Event.created_at
        )
        .where(visible_events(reader), *conditions)
        .order_by(Event.created_at.desc(), Event.id.desc())
        .limit(LIMIT)
    ).all()
    return [
        Item(
            title=row.title,
            note=" · ".join(
                part
                for part in (str(label(row.kind)), venue_time(row.starts_at, row.time_zone), row.place)
                if part
            ),
            link=emails.link("events.detail", event_id=row.id),
            when=row.created_at,
        )
        for row in rows
    ]


def new_events(reader: User, _filters: dict[str, Any], start: datetime, end: datetime) -> list[Item]:
    """Events announced in the window that the reader may see and that have not ended, except
    those the reader organised."""
    return event_items(
        reader,
        Event.created_at >= start,
        Event.created_at < end,
        Event.ends_at >= end,
        or_(Event.created_by_id.is_(None), Event.created_by_id != reader.id),
    )


register(
    Kind(
        key="lessons",
        label=_l("New lessons"),
        description=_l("Lessons published in the regions, countries and themes you choose."),
        collect=new_lessons,
        default=Frequency.WEEKLY,
        filters=("regions", "countries", "themes"),
    )
)
register(
    Kind(
        key="offers",
        label=_l("Offers matching your team's needs"),
        description=_l("Capacity other teams offer in a category where your team's map shows a need."),
        collect=new_offers,
        default=Frequency.WEEKLY,
    )
)
register(
    Kind(
        key="events",
        label=_l("New events"),
        description=_l("Meetings, trainings and webinars announced for you."),
        collect=new_events,
        default=Frequency.WEEKLY,
    )
)
