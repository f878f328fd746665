"""Values and filters that every template can use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from babel.dates import get_timezone_location
from babel.lists import format_list
from flask import Flask, has_request_context, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_timedelta,
    get_locale,
    get_timezone,
)
from flask_login import current_user
from jinja2 import pass_context

from r2p_network.assessments.localize import translate as translate_template_text
from r2p_network.assessments.schema import display, option_label
from r2p_network.core.i18n import (
    LANGUAGE_NAMES,
    current_lang,
    localized,
    missing_translations,
    text_direction,
)
from r2p_network.core.labels import label, label_items
from r2p_network.core.richtext import as_html, plain_text
from r2p_network.main.forms import LanguageForm
from r2p_network.models import utcnow
from r2p_network.notifications.queries import unread_count
from r2p_network.profiles.vocabulary import expertise_label, language_name


def _context() -> dict[str, Any]:
    lang = current_lang()
    context: dict[str, Any] = {
        "lang": lang,
        "text_direction": text_direction(lang),
        "language_names": LANGUAGE_NAMES,
        "expertise_label": expertise_label,
        "language_name": lambda code: language_name(code, lang),
    }
    # Emails are also rendered by the worker, outside any request: pages alone need the menu's form.
    if has_request_context():
        context["language_form"] = LanguageForm(
            formdata=None, data={"lang": lang, "next": request.full_path.rstrip("?")}
        )
    return context


def form_errors(form: Any) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error, including those inside repeated rows."""
    found: list[tuple[str, str, str]] = []

    def walk(fields: Any, prefix: str = "") -> None:
        for field in fields:
            if field.name == "csrf_token":
                continue
            if field.type == "FieldList":
                for n, entry in enumerate(field.entries, start=1):
                    walk(
                        entry.form if entry.type == "FormField" else [entry],
                        f"{prefix}{field.label.text} {n} – ",
                    )
            elif field.type == "FormField":
                walk(field.form, prefix)
            else:
                found.extend(
                    (field.id, f"{prefix}{field.label.text}", str(message)) for message in field.errors
                )

    walk(form)
    return found


def _when(value: datetime | None, fmt: str = "medium") -> str:
    """A moment in the reader's time zone, formatted for their language, with the zone named."""
    if not value:
        return ""
    zone = get_timezone()
    # CLDR names a zone by its place ("France Time", "heure : France"); UTC has no place.
    name = "UTC" if str(zone) == "UTC" else get_timezone_location(zone, locale=get_locale())
    return f"{format_datetime(value, fmt)} ({name})"


def is_current_section(url: str) -> bool:
    """True when the page being shown is *url* or lies under it (the navigation marks it)."""
    path = url.split("?", 1)[0]
    if path == "/":
        return request.path == "/"
    return request.path == path or request.path.startswith(path.rstrip("/") + "/")


def _ago(value: datetime | None) -> str:
    """How long ago, in words of the reader's language ("3 days ago"); empty when unknown."""
    if not value:
        return ""
    if value.tzinfo is None:  # a time read back from a union of timestamps keeps no zone
        value = value.replace(tzinfo=UTC)
    return format_timedelta(value - utcnow(), add_direction=True, threshold=1)


def _date_medium(value: date | None) -> str:
    return format_date(value, "medium") if value else ""


@pass_context
def _label(_context: Any, value: Any, vocabulary: str | None = None) -> str:
    # Taking the context keeps Jinja from folding ``"has"|label(...)`` into the compiled template,
    # which would freeze the first request's language into every later page.
    return label(value, vocabulary)


@pass_context
def _listing(_context: Any, items: Any) -> str:
    """Items joined as the reader's language lists them ("a, b and c", "أ، ب و ج", "甲、乙和丙")."""
    words = [str(item) for item in items]
    return format_list(words, locale=get_locale()) if words else ""


def _counting(installed: Any) -> Any:
    """Jinja's ``ngettext`` with the count formatted for the reader's language ("12 345" in French)."""

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, num: int, **variables: Any) -> Any:
        variables.setdefault("num", format_decimal(num))
        return installed(context, singular, plural, num, **variables)

    return ngettext


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["ngettext"] = _counting(app.jinja_env.globals["ngettext"])
    # Globals, unlike context values, are visible inside imported macros too.
    app.jinja_env.globals.update(
        option_label=option_label,
        display_answer=display,
        form_errors=form_errors,
        label_items=label_items,
        translate_template_text=translate_template_text,
        localized=localized,
        missing_translations=missing_translations,
        is_current_section=is_current_section,
        unread_notifications=lambda: unread_count(current_user.id) if current_user.is_authenticated else 0,
    )
    app.context_processor(_context)
    app.jinja_env.filters["label"] = _label
    app.jinja_env.filters["listing"] = _listing
    # Text without markup, for attributes, menu options and SVG titles (see core.i18n.Localized).
    app.jinja_env.filters["plain"] = lambda value: "" if value is None else str.__str__(value)
    app.jinja_env.filters["when"] = _when
    app.jinja_env.filters["date_medium"] = _date_medium
    app.jinja_env.filters["ago"] = _ago
    app.jinja_env.filters["plain_text"] = plain_text
    app.jinja_env.filters["sanitised"] = as_html
