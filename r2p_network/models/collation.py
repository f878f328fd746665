"""Sort keys that order names as each language does, stored as plain ASCII strings.

The same ORDER BY then gives the same collated order on SQLite and PostgreSQL: the key is the
Unicode Collation Algorithm key (pyuca, the default table) written as fixed-width hexadecimal, so
comparing the strings byte by byte compares the keys. Chinese names are ordered by their pinyin
(with tone numbers), which is the usual order of Chinese reference lists.
"""

from __future__ import annotations

from functools import cache

import pyuca
from pypinyin import Style, lazy_pinyin

# The languages with a sort key column on the country table (the six UN languages).
SORTED_LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")


@cache
def _collator() -> pyuca.Collator:
    return pyuca.Collator()


def uca_key(text: str) -> str:
    """The Unicode collation key of *text* as a string that sorts byte by byte like the key."""
    return "".join(f"{weight:04x}" for weight in _collator().sort_key(text))


def pinyin(text: str) -> str:
    """*text* written in pinyin with tone numbers; characters that are not Chinese stay as they are."""
    return " ".join(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True))


def sort_key(text: str, lang: str) -> str:
    """The key that puts *text* in its place in a list sorted for readers of *lang*."""
    if lang == "zh":
        return uca_key(pinyin(text))
    return uca_key(text)
