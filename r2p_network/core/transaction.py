"""The single commit of a request. Mail is written to the outbox in the same transaction
(``core.emails``), so a change and its mail are saved together or not at all."""

from __future__ import annotations

from flask import current_app, g

from r2p_network.core import outbox
from r2p_network.extensions import db


def queued_mail(message_id: int) -> None:
    """Remember an outbox row written in this unit of work, for delivery from the app after commit."""
    g.setdefault("pending_mail", []).append(message_id)


def commit() -> int:
    """Commit the unit of work; with ``MAIL_SEND_IN_APP`` (development), then send the mail it queued.

    Returns how many of its messages are already sent (0 when the worker will send them), so a
    page can say "sent" or "queued" truthfully.
    """
    db.session.commit()
    pending: list[int] = g.pop("pending_mail", [])
    if pending and current_app.config["MAIL_SEND_IN_APP"]:
        return outbox.deliver_now(pending)
    return 0


def discard() -> None:
    """Roll back the unit of work, its outbox rows with it."""
    db.session.rollback()
    g.pop("pending_mail", None)
