"""Emails to members, rendered from templates and sent after the commit."""

from __future__ import annotations

from flask import render_template
from flask_mailman import EmailMessage

from r2p_network.core.transaction import queue_email


def send(to: str | list[str], subject: str, template: str, **context: object) -> None:
    """Queue a plain-text email rendered from ``templates/email/<template>.txt``."""
    recipients = [to] if isinstance(to, str) else to
    if not recipients:
        return
    body = render_template(f"email/{template}.txt", **context)
    queue_email(EmailMessage(subject=subject, body=body, to=recipients))
