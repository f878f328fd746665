"""Atom feeds (feedgen): public lessons and public events for anyone, and a member's private feed
of the lessons and events they may read, opened by a revocable token. Another feed is one more
function that gathers ``Item``s and hands them to ``atom``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from feedgen.feed import FeedGenerator
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from r2p_network.core import emails
from r2p_network.extensions import db
from r2p_network.mail.kinds import Item
from r2p_network.mail.news import event_items
from r2p_network.models import Lesson, User
from r2p_network.permissions import published_lessons

LIMIT = 50


def atom(title: str, self_link: str, page_link: str, items: Sequence[Item], lang: str) -> bytes:
    """An Atom document of *items*, newest first, with the feed's own and its page's links."""
    feed = FeedGenerator()
    feed.id(self_link)
    feed.title(title)
    feed.link(href=self_link, rel="self", type="application/atom+xml")
    feed.link(href=page_link, rel="alternate", type="text/html")
    feed.language(lang)
    feed.author({"name": _("R2P focal point network")})
    if items:
        feed.updated(max(item.when for item in items))
    for item in reversed(items):  # feedgen puts each new entry first
        entry = feed.add_entry()
        entry.id(item.link)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate", type="text/html")
        entry.summary(item.note)
        entry.published(item.when)
        entry.updated(item.when)
    result: bytes = feed.atom_str(pretty=True)
    return result


def lesson_items(reader: User | Any) -> list[Item]:
    """The latest lessons *reader* may read (an anonymous reader: public lessons only)."""
    rows = db.session.execute(
        select(Lesson.id, Lesson.title, Lesson.summary, Lesson.published_at)
        .where(published_lessons(reader))
        .order_by(Lesson.published_at.desc(), Lesson.id.desc())
        .limit(LIMIT)
    ).all()
    return [
        Item(
            title=row.title,
            note=row.summary,
            link=emails.link("lessons.detail", lesson_id=row.id),
            when=row.published_at,
        )
        for row in rows
    ]


def public_lessons(lang: str) -> bytes:
    """The public lessons feed."""
    return atom(
        _("Lessons learned: R2P focal point network"),
        emails.link("mail.public_lessons_feed"),
        emails.link("lessons.index"),
        lesson_items(AnonymousUserMixin()),
        lang,
    )


def public_events(lang: str) -> bytes:
    """The public events feed: events whose audience includes anyone, signed in or not."""
    return atom(
        _("Meetings and events: R2P focal point network"),
        emails.link("mail.public_events_feed"),
        emails.link("events.index"),
        event_items(AnonymousUserMixin()),
        lang,
    )


def private_feed(reader: User, token: str, lang: str) -> bytes:
    """A member's private feed: every lesson and event they may read, network-only ones included."""
    items = sorted(lesson_items(reader) + event_items(reader), key=lambda item: item.when, reverse=True)
    return atom(
        _("R2P focal point network: for %(name)s", name=reader.name),
        emails.link("mail.private_feed", token=token),
        emails.link("lessons.index"),
        items[:LIMIT],
        lang,
    )
