"""The kinds of news a member can hear about, and how often: a small registry.

A kind is registered with ``register(Kind(...))`` at import (``news``: lessons, offers, events;
``team_news``: assistance requests, peer reviews; ``digests`` imports both): a label, the default
frequency, and a function that gathers the items one reader may read, published in a window of
time. Account messages and moderation decisions are not news: they are always sent, at once, and
carry no unsubscribe link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from r2p_network.models import Frequency, User


@dataclass(frozen=True)
class Item:
    """One piece of news in a message: a title (member text), a one-line note and a link."""

    title: str
    note: str
    link: str
    when: datetime


# (reader, their saved filters for the kind, start, end) -> what they may read, newest first.
Collector = Callable[[User, dict[str, Any], datetime, datetime], list[Item]]


@dataclass(frozen=True)
class Kind:
    key: str
    label: LazyString
    description: LazyString
    collect: Collector
    default: Frequency = Frequency.WEEKLY
    # Names of the filters the preferences page offers for this kind ("regions", "countries", "themes").
    filters: tuple[str, ...] = field(default=())


KINDS: dict[str, Kind] = {}

# Always sent, whatever the preferences say; shown on the preferences page as such.
ALWAYS = (
    _l("Account messages: access decisions, password resets, changes of sign-in address"),
    _l("Moderation decisions on your lessons, translations and capacity maps"),
)


def register(kind: Kind) -> Kind:
    """Add a kind of news (once, at import)."""
    KINDS[kind.key] = kind
    return kind
