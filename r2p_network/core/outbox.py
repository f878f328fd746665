"""Delivering the outbox: one message at a time, locked so that no two workers send it, each
attempt recorded, retried with exponential back-off and marked failed after the last attempt."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import Select, select

from r2p_network.extensions import db, mail
from r2p_network.models import OutboxAttempt, OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

ERROR_LENGTH = 500


def _locked(stmt: Select[OutboxMessage]) -> OutboxMessage | None:
    # PostgreSQL: a row another worker holds is skipped, never sent twice. SQLite has no row
    # locks (and renders no FOR UPDATE); it runs a single worker, and its writers queue anyway.
    return db.session.scalar(stmt.limit(1).with_for_update(skip_locked=True))


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        to=[message.to_address],
        headers=dict(message.headers or {}),
    )
    email.attach_alternative(message.html_body, "text/html")
    return email


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after *attempts* failed ones: 1, 2, 4, 8 ... base periods."""
    base = int(current_app.config["MAIL_RETRY_BASE_SECONDS"])
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def attempt(message: OutboxMessage, now: datetime | None = None) -> bool:
    """Try to send *message* once, record the attempt, and set its status; the caller commits."""
    now = now or utcnow()
    error: str | None = None
    connection = mail.get_connection()
    try:
        # Opened and closed here: the backend leaves the connection open when the server refuses.
        connection.open()
        connection.send_messages([_email(message)])
    except (OSError, smtplib.SMTPException) as exc:
        error = (f"{type(exc).__name__}: {exc}".strip())[:ERROR_LENGTH]
        state = current_app.extensions["mailman"]
        log.error(
            "could not send mail %r to %s via %s:%s (attempt %s): %s",
            message.subject,
            message.to_address,
            state.server,
            state.port,
            message.attempts + 1,
            error,
        )
    finally:
        connection.close()
    message.attempts += 1
    db.session.add(OutboxAttempt(message_id=message.id, attempted_at=now, error=error))
    if error is None:
        message.status, message.sent_at, message.last_error = OutboxStatus.SENT, now, None
    else:
        message.last_error = error
        if message.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
            message.status = OutboxStatus.FAILED
        else:
            message.next_attempt_at = now + backoff(message.attempts)
    db.session.flush()
    return error is None


def deliver_due(limit: int = 100, now: datetime | None = None) -> int:
    """Send queued messages whose time has come, committing after each; returns how many were tried."""
    tried = 0
    while tried < limit:
        moment = now or utcnow()
        message = _locked(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= moment)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        )
        if message is None:
            break
        attempt(message, moment)
        db.session.commit()
        tried += 1
    return tried


def deliver_now(ids: Iterable[int]) -> int:
    """Send these just-committed messages from the app itself (development, tests: ``MAIL_SEND_IN_APP``);
    returns how many were sent."""
    sent = 0
    for message_id in ids:
        message = _locked(
            select(OutboxMessage).where(
                OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.QUEUED
            )
        )
        if message is not None:
            sent += attempt(message)
        db.session.commit()
    return sent


def retry(message: OutboxMessage) -> None:
    """Queue a failed message again, with a fresh set of attempts; the caller commits."""
    message.status, message.attempts, message.next_attempt_at = OutboxStatus.QUEUED, 0, utcnow()
    db.session.flush()
