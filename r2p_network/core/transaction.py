"""The single commit of a request. Mail is written to the outbox in the same transaction
(``core.emails``), so a change and its mail are saved together or not at all."""

from __future__ import annotations

from flask import current_app, g

from r2p_network.core import outbox
from r2p_network.extensions import db


def queued_mail(message_id: int) -> None:
    """Remember an outbox row written in this unit of work, for delivery from the app after commit."""
    g.setdefault("pending_mail", []).append(message_id)


def commit() -> None:
    """Commit the unit of work; with ``MAIL_SEND_IN_APP`` (development), then send the mail it queued."""
    db.session.commit()
    pending: list[int] = g.pop("pending_mail", [])
    if pending and current_app.config["MAIL_SEND_IN_APP"]:
        outbox.deliver_now(pending)


def discard() -> None:
    """Roll back the unit of work, its outbox rows with it."""
    db.session.rollback()
    g.pop("pending_mail", None)
