"""The interface languages: which there are, which read right to left, and the current one."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_datetime, get_timezone_location
from flask import has_request_context, request, session
from flask_babel import get_locale, gettext
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import func

# The six official UN languages, in the order the language menu lists them.
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
RTL_LANGUAGES = frozenset({"ar"})
# Each language named in itself, as language menus conventionally do.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "zh": "中文",
    "ar": "العربية",
}


def current_lang() -> str:
    """The two-letter language of the current request."""
    locale = get_locale()
    return locale.language if locale else "en"


def text_direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


# The session key of the language chosen in the menu. It is kept when a member signs in or
# out, so a language picked on the sign-in page stays the language of the next page.
SESSION_LANGUAGE = "lang"


def select_locale() -> str | None:
    """The language chosen in the menu, else the member's own language, else the browser's."""
    if not has_request_context():
        return None
    chosen = session.get(SESSION_LANGUAGE)
    if chosen in LANGUAGES:
        return chosen
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(LANGUAGES)


# Reference data (capacity categories, lesson themes, regional bodies, instruments) carries its
# own translations: {"fr": {"name": "...", "definition": "..."}, ...}. English is the row's own
# columns, so an administrator's edit of the English text never hides behind a translation.
Translations = dict[str, dict[str, str]]
TRANSLATED_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != "en")


class Localized(str):
    """A text of reference data in the reader's language, or its English text as a fallback.

    It is a plain string everywhere (sorting, form choices, exports); rendered in HTML, a
    fallback is marked as English, in a span with ``lang="en"`` and a note for screen readers.
    Where markup cannot go (an attribute, a menu option, an SVG title) use ``|plain``.
    """

    fallback: bool

    def __new__(cls, text: str, fallback: bool = False) -> Localized:
        value = super().__new__(cls, text)
        value.fallback = fallback
        return value

    def __html__(self) -> Markup:
        if not self.fallback:
            return escape(str(self))
        return Markup(
            '<span lang="en" class="fallback">{}<span class="visually-hidden"> {}</span></span>'
        ).format(str(self), gettext("(in English)"))


def localized(
    translations: Translations | None, field: str, english: str, lang: str | None = None
) -> Localized:
    """*field* of a reference row in *lang* (the reader's language by default), else its English text."""
    lang = lang or current_lang()
    if lang == "en":
        return Localized(english)
    text = ((translations or {}).get(lang) or {}).get(field, "").strip()
    return Localized(text) if text else Localized(english, fallback=True)


def missing_translations(translations: Translations | None, fields: tuple[str, ...]) -> list[str]:
    """The languages in which any of *fields* has no translation yet."""
    return [
        lang
        for lang in TRANSLATED_LANGUAGES
        if any(not ((translations or {}).get(lang) or {}).get(field, "").strip() for field in fields)
    ]


def clean_translations(values: dict[str, dict[str, str | None]]) -> Translations:
    """Translations as an editor submitted them, with blanks dropped and spaces trimmed."""
    cleaned: Translations = {}
    for lang in TRANSLATED_LANGUAGES:
        fields = {
            field: text.strip() for field, text in (values.get(lang) or {}).items() if text and text.strip()
        }
        if fields:
            cleaned[lang] = fields
    return cleaned


def translated_column(english: Any, translations: Any, field: str, lang: str) -> Any:
    """SQL for *field* in *lang* with the English column as its fallback, for listings sorted or
    exported in the reader's language (the fallback is not marked there: it is one cell of many)."""
    if lang == "en":
        return english
    return func.coalesce(func.nullif(translations[lang][field].as_string(), ""), english)


DEFAULT_TIME_ZONE = "UTC"
# IANA zones named after a place; the old aliases (US/Eastern, Etc/GMT+3, ...) are left out.
_ZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def is_time_zone(name: str) -> bool:
    """Whether *name* is an IANA time zone that this system knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def time_zones() -> tuple[str, ...]:
    """The time zones a member can choose from: UTC, then every place-named IANA zone."""
    places = sorted(zone for zone in available_timezones() if zone.split("/", 1)[0] in _ZONE_AREAS)
    return (DEFAULT_TIME_ZONE, *places)


def select_timezone() -> str | None:
    """The signed-in member's time zone (Flask-Babel uses UTC for everyone else)."""
    if has_request_context() and current_user.is_authenticated and is_time_zone(current_user.time_zone):
        return current_user.time_zone
    return None


def venue_time(moment: datetime, zone_name: str) -> str:
    """A moment as the wall-clock time at the place, with the place's zone named."""
    zone = ZoneInfo(zone_name)
    locale = get_locale()
    place = get_timezone_location(zone, locale=locale)
    return f"{format_datetime(moment, 'medium', tzinfo=zone, locale=locale)} ({place})"
