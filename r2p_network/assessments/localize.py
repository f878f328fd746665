"""The templates' text in the reader's language.

A template definition is data in English; its translations are data too. The shipped ones are
``translations/<lang>.json`` beside this module (English text -> translation); a definition may
carry its own under ``"translations": {lang: {english: text}}`` (an administrator's edits in the
template editor), which win. Only text is translated (titles, labels, help, descriptions): keys,
values and structure stay as they are, so answers, progress and comparisons are unchanged, and
every version of a template reads in every language, old versions included.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from r2p_network.core.i18n import LANGUAGES, current_lang

TEXT_FIELDS = frozenset({"title", "label", "help", "description"})
DIRECTORY = Path(__file__).resolve().parent / "translations"


@cache
def shipped(lang: str) -> Mapping[str, str]:
    """The shipped translations of the templates' text into *lang* (empty for English)."""
    path = DIRECTORY / f"{lang}.json"
    if lang == "en" or not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def translate(text: str, lang: str | None = None, own: Mapping[str, Any] | None = None) -> str:
    """*text* of a template in *lang* (the reader's by default), or the English text."""
    lang = lang or current_lang()
    if lang == "en":
        return text
    return ((own or {}).get(lang) or {}).get(text) or shipped(lang).get(text) or text


def _text(item: Any, lang: str, own: Mapping[str, Any]) -> Any:
    return translate(item, lang, own) if isinstance(item, str) else item


def localized(definition: dict[str, Any], lang: str | None = None) -> dict[str, Any]:
    """A copy of *definition* whose text reads in *lang*; the definition itself is left untouched."""
    lang = lang or current_lang()
    if lang == "en":
        return definition
    own = definition.get("translations") or {}

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: translate(item, lang, own)
                if key in TEXT_FIELDS and isinstance(item, str)
                else walk(item)
                for key, item in value.items()
                if key != "translations"
            }
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk(definition)


def texts(definition: dict[str, Any]) -> list[str]:
    """Every translatable text of *definition*, in order, once each."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "translations":
                    continue
                if key in TEXT_FIELDS and isinstance(item, str):
                    if item not in found:
                        found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(definition)
    return found


def check_translations(translations: Any) -> str | None:
    """Why a definition's own ``translations`` are unusable, or None when they are fine."""
    if translations is None:
        return None
    if not isinstance(translations, dict) or not set(translations) <= set(LANGUAGES) - {"en"}:
        return "translations must map a language (ar, es, fr, ru, zh) to its texts"
    for lang, table in translations.items():
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in table.items()
        ):
            return f"translations.{lang} must map each English text to its translation"
    return None
