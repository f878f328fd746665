"""Emails to members, rendered from templates in the recipient's language and sent after the commit."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import LazyString, force_locale
from flask_mailman import EmailMessage

from r2p_network.core.i18n import LANGUAGES
from r2p_network.core.transaction import queue_email


def send(to: str | list[str], subject: LazyString, template: str, *, lang: str, **context: object) -> None:
    """Queue a plain-text email rendered from ``templates/email/<template>.txt`` in *lang*.

    *lang* is the recipients' own language, never the sender's: the subject is a lazy string,
    and lazy values in *context*, so that they too are translated while *lang* is in force.
    """
    recipients = [to] if isinstance(to, str) else to
    if not recipients:
        return
    with force_locale(lang if lang in LANGUAGES else "en"):
        body = render_template(f"email/{template}.txt", **context)
        subject_text = str(subject)
    queue_email(EmailMessage(subject=subject_text, body=body, to=recipients))


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for an email, built on ``BASE_URL`` and never on the request's Host."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
