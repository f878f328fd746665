"""Creating and reading notifications. Services add and flush; the route commits once."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update

from r2p_network.core.i18n import current_lang
from r2p_network.core.labels import label
from r2p_network.extensions import db
from r2p_network.models import Notification, utcnow


# How each kind of notification reads, in the reader's language.
def _in_reader_language(value: Any) -> str:
    """A name stored in every language (older notifications: in English only), in the reader's."""
    if isinstance(value, dict):
        return str(value.get(current_lang()) or value.get("en", ""))
    return str(value)


MESSAGES = {
    "access_approved": lambda p: _("Welcome: your access to the network is approved."),
    "capacity_verified": lambda p: _("Your capacity map for %(cycle)s is verified.", cycle=p["cycle"]),
    "capacity_returned": lambda p: _("Your capacity map for %(cycle)s was returned: %(note)s", **p),
    "coordinator_granted": lambda p: _(
        "You are now a regional coordinator. Turn on two-factor sign-in to use the administration pages."
    ),
    "version_shared": lambda p: _(
        "The team of %(team)s shared version %(number)s of “%(title)s” with you.",
        **{**p, "team": _in_reader_language(p["team"])},
    ),
    "review_invited": lambda p: _("You are invited to review “%(title)s”.", **p),
    "review_commented": lambda p: _("A reviewer commented on “%(title)s”.", **p),
    "review_replied": lambda p: _("The team replied to your review of “%(title)s”.", **p),
    "review_closed": lambda p: _("The team closed the review of “%(title)s”.", **p),
    "two_factor_reset": lambda p: _("An administrator reset your two-factor sign-in. Turn it on again."),
    "lesson_approve": lambda p: _("Your lesson “%(title)s” is published.", **p),
    "lesson_request_changes": lambda p: _("Changes are asked for in your lesson “%(title)s”: %(note)s", **p),
    "lesson_reject": lambda p: _("Your lesson “%(title)s” was not accepted: %(note)s", **p),
    "lesson_edit_approve": lambda p: _("Your edit of “%(title)s” is published.", **p),
    "lesson_edit_request_changes": lambda p: _(
        "Changes are asked for in your edit of “%(title)s”: %(note)s", **p
    ),
    "lesson_edit_reject": lambda p: _(
        "Your edit of “%(title)s” was not accepted; the published text stays: %(note)s", **p
    ),
    "translation_approve": lambda p: _("Your translation “%(title)s” is published.", **p),
    "translation_request_changes": lambda p: _(
        "Changes are asked for in your translation “%(title)s”: %(note)s", **p
    ),
    "translation_reject": lambda p: _("Your translation “%(title)s” was not accepted: %(note)s", **p),
    "lesson_hidden": lambda p: _("A moderator hid your lesson: %(note)s", **p),
    "comment_hidden": lambda p: _("A moderator hid your comment: %(note)s", **p),
    "assistance_requested": lambda p: _("Your team is asked for assistance: “%(what)s”.", **p),
    "assistance_changed": lambda p: _(
        "The assistance request “%(what)s” is now: %(status)s.",
        what=p["what"],
        status=label(p["status"], "assistance"),
    ),
    "assistance_note": lambda p: _("A note was added to the assistance request “%(what)s”.", **p),
    "assistance_lesson": lambda p: _(
        "The assistance “%(what)s” is closed: a draft lesson awaits your account of it.", **p
    ),
}


def notify(user_id: int, kind: str, link: str = "", **params: Any) -> None:
    """Leave a message for a member, shown on their notifications page."""
    if kind not in MESSAGES:
        raise ValueError(kind)
    db.session.add(Notification(user_id=user_id, kind=kind, params=params, link=link))


def message(notification: Notification) -> str:
    return MESSAGES[notification.kind](notification.params)


def mark_all_read(user_id: int) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
