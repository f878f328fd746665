"""The single commit of a request, and side effects that must wait for it."""

from __future__ import annotations

import logging

from flask import current_app, g
from flask_mailman import EmailMessage

from r2p_network.extensions import db

log = logging.getLogger(__name__)


def queue_email(message: EmailMessage) -> None:
    """Send *message* once the request's changes are committed, never before."""
    g.setdefault("pending_mail", []).append(message)


def commit() -> None:
    """Commit the unit of work, then send the mail it queued."""
    db.session.commit()
    pending: list[EmailMessage] = g.pop("pending_mail", [])
    for message in pending:
        try:
            message.send()
        except OSError as error:
            # The change is saved; a mail server outage must not undo it. One line, no traceback.
            cfg = current_app.config
            log.error(
                "could not send mail %r: mail server %s:%s unreachable (%s)",
                message.subject,
                cfg.get("MAIL_SERVER"),
                cfg.get("MAIL_PORT"),
                error,
            )


def discard() -> None:
    """Roll back the unit of work and drop its queued mail."""
    db.session.rollback()
    g.pop("pending_mail", None)
