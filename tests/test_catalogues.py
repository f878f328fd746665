"""The translation catalogues: complete, current, and really used by the pages."""

from __future__ import annotations

import pytest

from r2p_network.core import catalogues
from r2p_network.core.i18n import LANGUAGES


def test_every_message_is_translated_in_every_language():
    """What CI fails on: a message of the code missing from a catalogue, untranslated or fuzzy
    text, or a placeholder that differs between the source and a translation."""
    template = catalogues.extract()
    assert len(template) > 800
    assert list(catalogues.problems(template)) == []


def test_the_check_finds_each_kind_of_problem(monkeypatch):
    from babel.messages.catalog import Catalog

    template = Catalog()
    for text in ("Present", "Missing", "Empty", "Fuzzy", "Hello %(name)s"):
        template.add(text)
    catalog = Catalog(locale="fr")
    catalog.add("Present", "Présent")
    catalog.add("Empty", "")
    catalog.add("Fuzzy", "Flou", flags=["fuzzy"])
    catalog.add("Hello %(name)s", "Bonjour %(nom)s")
    monkeypatch.setattr(catalogues, "TRANSLATED", ("fr",))
    monkeypatch.setattr(catalogues, "read", lambda lang: catalog)
    found = list(catalogues.problems(template))
    assert found == [
        "fr: missing: 'Missing'",
        "fr: untranslated: 'Empty'",
        "fr: fuzzy: 'Fuzzy'",
        "fr: placeholders differ: 'Hello %(name)s' -> 'Bonjour %(nom)s'",
    ]


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_pages_come_in_the_chosen_language(client, lang):
    english = client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    page = client.get("/auth/login", headers={"Accept-Language": lang}).get_data(as_text=True)
    catalog = catalogues.read(lang)
    for source in ("Sign in", "Forgot your password?", "Request access"):
        if source in english:
            assert catalog.get(source).string in page, (lang, source)
    assert f'lang="{lang}"' in page
    assert ('dir="rtl"' in page) == (lang == "ar")
