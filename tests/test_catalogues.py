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


def test_labels_of_fixed_values_follow_each_request_language(app):
    """A label of a constant must not be folded into the compiled template in the first language."""
    from flask_babel import refresh

    # Compiled once, as the templates of a running site are.
    template = app.jinja_env.from_string(
        '{{ "has"|label("capacity_letter") }}|{{ "needs"|label("capacity") }}'
    )
    seen = {}
    for lang in ("fr", "ar", "en", "fr"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            refresh()  # the tests share one application context, where Flask-Babel keeps the locale
            seen[lang] = template.render()
    catalog = catalogues.read("ar")
    assert seen["ar"] == f"{catalog.get('H').string}|{catalog.get('Needs support').string}"
    assert seen["en"] == "H|Needs support"
    assert seen["fr"] != seen["ar"]


def test_counts_are_written_as_the_reader_language_writes_numbers(app):
    from flask_babel import refresh

    template = app.jinja_env.from_string('{{ ngettext("%(num)s lesson found", "%(num)s lessons found", n) }}')
    shown = {}
    for lang in ("en", "fr", "es", "ru"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            refresh()
            shown[lang] = str(template.render(n=12345))
    assert shown["en"] == "12,345 lessons found"
    assert shown["fr"].startswith("12\u202f345") or shown["fr"].startswith("12\xa0345")
    assert shown["es"].startswith("12.345") and "12\xa0345" in shown["ru"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert str(template.render(n=1)) == "1 lesson found"
