"""The interface languages: which there are, which read right to left, and the current one."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_babel import get_locale

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


def select_locale() -> str | None:
    """The language chosen in the menu, else the browser's preference."""
    if not has_request_context():
        return None
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES)
