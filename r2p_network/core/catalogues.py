"""The interface's translation catalogues: extract, update, compile and check them.

The messages come from the code and templates (``babel.cfg``); each language keeps its
catalogue in ``r2p_network/translations/<lang>/LC_MESSAGES/messages.po``. ``check`` is what CI
runs: every message of the code is in every catalogue, translated, not fuzzy, and with the same
placeholders as its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from r2p_network.core.i18n import LANGUAGES

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
MAPPING = PROJECT_ROOT / "babel.cfg"
TRANSLATIONS = PROJECT_ROOT / "r2p_network" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\{?\s*[\w.]+\s*\}?\}")
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")


def extract() -> Catalog:
    """Every message that the code and templates mark for translation."""
    with MAPPING.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="R2P Focal Point Network", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def read(lang: str) -> Catalog:
    with path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def update(template: Catalog) -> dict[str, int]:
    """Merge the extracted messages into every catalogue; return how many are untranslated in each."""
    missing = {}
    for lang in TRANSLATED:
        catalog = read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        with path(lang).open("wb") as handle:
            write_po(handle, catalog, width=0, sort_by_file=True, ignore_obsolete=True)
        missing[lang] = sum(1 for message in catalog if message.id and not _complete(message))
    return missing


def compile_all() -> list[Path]:
    """Write the .mo file of every catalogue (fuzzy entries are left out, as gettext does)."""
    written = []
    for lang in TRANSLATED:
        catalog = read(lang)
        target = path(lang).with_suffix(".mo")
        with target.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(target)
    return written


def _complete(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def _placeholders(text: str) -> set[str]:
    return {match.group(0).replace(" ", "") for match in PLACEHOLDER.finditer(text)}


def problems(template: Catalog | None = None) -> Iterator[str]:
    """Every reason the catalogues are not ready: missing, untranslated, fuzzy, or placeholders differ."""
    template = template or extract()
    for lang in TRANSLATED:
        catalog = read(lang)
        for source in template:
            if not source.id:
                continue
            message = catalog.get(source.id, context=source.context)
            name = source.id if isinstance(source.id, str) else source.id[0]
            if message is None:
                yield f"{lang}: missing: {name!r}"
                continue
            if message.fuzzy:
                yield f"{lang}: fuzzy: {name!r}"
            if not _complete(message):
                yield f"{lang}: untranslated: {name!r}"
                continue
            ids = source.id if isinstance(source.id, tuple) else (source.id,)
            wanted = set().union(*(_placeholders(str(text)) for text in ids))
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in map(str, strings):
                # A plural form may leave the number out (e.g. "one comment"), nothing else.
                found = _placeholders(text)
                if found - wanted or (wanted - found) - {"%(num)d", "%(num)s"}:
                    yield f"{lang}: placeholders differ: {name!r} -> {text!r}"
