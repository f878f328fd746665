"""Emails to members, rendered in the recipient's language and written to the outbox in the
caller's transaction; ``flask worker`` (or the app itself in development) delivers them."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import LazyString, force_locale
from jinja2 import TemplateNotFound
from markupsafe import Markup, escape

from r2p_network.core.i18n import LANGUAGES, text_direction
from r2p_network.core.transaction import queued_mail
from r2p_network.extensions import db
from r2p_network.models import OutboxMessage

_URL = re.compile(r"https?://[^\s<>\"']+")


def send(to: str | list[str], subject: LazyString, template: str, *, lang: str, **context: object) -> None:
    """Queue an email rendered from ``templates/email/<template>.txt`` in *lang*, one outbox row per
    recipient, in the caller's transaction.

    *lang* is the recipients' own language, never the sender's: the subject is a lazy string,
    and lazy values in *context*, so that they too are translated while *lang* is in force.
    """
    write(to, subject, template, lang=lang, context=context)


def subject(text: LazyString, **params: object) -> LazyString:
    """A subject chosen from a table of lazy strings, filled with *params* in the recipient's language
    (``lazy_gettext`` takes its parameters where it is written, a table's entries cannot)."""
    return LazyString(lambda: str(text) % params)


def write(
    to: str | list[str],
    subject: LazyString | str,
    template: str,
    *,
    lang: str,
    context: dict[str, object],
    headers: dict[str, str] | None = None,
) -> list[OutboxMessage]:
    """Render the text and HTML parts of an email in *lang* and add one outbox row per recipient."""
    recipients = [to] if isinstance(to, str) else to
    if not recipients:
        return []
    lang = lang if lang in LANGUAGES else "en"
    with force_locale(lang):
        text = render_template(f"email/{template}.txt", **context)
        subject_text = str(subject)
        html = _html(template, subject_text, text, lang, context)
    messages = [
        OutboxMessage(
            kind=template,
            to_address=address,
            lang=lang,
            subject=subject_text[:300],
            text_body=text,
            html_body=html,
            headers=headers or {},
        )
        for address in recipients
    ]
    db.session.add_all(messages)
    db.session.flush()
    for message in messages:
        queued_mail(message.id)
    return messages


def _html(template: str, subject: str, text: str, lang: str, context: dict[str, object]) -> str:
    # A kind may have its own HTML template; otherwise the text part is laid out as HTML, its
    # paragraphs kept and its links made clickable.
    try:
        return render_template(f"email/{template}.html", subject=subject, lang=lang, **context)
    except TemplateNotFound:
        paragraphs = [_linked(part.strip()) for part in text.split("\n\n") if part.strip()]
        return render_template(
            "email/layout.html", subject=subject, lang=lang, dir=text_direction(lang), paragraphs=paragraphs
        )


def _linked(paragraph: str) -> Markup:
    out, last = [], 0
    for match in _URL.finditer(paragraph):
        out.append(escape(paragraph[last : match.start()]))
        url = escape(match.group(0))
        out.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = match.end()
    out.append(escape(paragraph[last:]))
    return Markup("").join(out)


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for an email, built on ``BASE_URL`` and never on the request's Host."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
