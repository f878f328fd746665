"""Lists sorted by country name follow each language's collation, by the same ORDER BY on
SQLite and PostgreSQL: stored sort keys, not the database's own collation."""

from __future__ import annotations

import pytest
from flask import current_app
from flask_babel import refresh
from pypinyin import lazy_pinyin
from sqlalchemy import select

from r2p_network.core.forms import country_choices
from r2p_network.core.geography import country_sort_column
from r2p_network.extensions import db
from r2p_network.models import Country
from r2p_network.models.collation import sort_key, uca_key
from tests.conftest import post_form
from tests.factories import make_member


def _names(lang: str) -> list[str]:
    with current_app.test_request_context("/", headers={"Accept-Language": lang}):
        refresh()  # the tests' application context outlives this request: forget its language
        return [choice.label for choice in country_choices()]


def test_egypt_sorts_with_the_e_in_french(app):
    names = _names("fr")
    assert names.index("Danemark") < names.index("Égypte") < names.index("Espagne") < names.index("Fidji")
    assert names.index("Égypte") < names.index("Équateur") < names.index("Érythrée")
    # A byte order would put every accented initial after Z.
    assert names[-1] != "Équateur" and names.index("Zimbabwe") == len(names) - 1


def test_cote_d_ivoire_comes_before_croatia_in_english(app):
    names = _names("en")
    assert (
        names.index("Costa Rica")
        < names.index("Côte d'Ivoire")
        < names.index("Croatia")
        < names.index("Cuba")
    )


def test_chinese_sorts_by_pinyin(app):
    names = _names("zh")
    assert names.index("阿富汗") < names.index("巴西") < names.index("德国") < names.index("中国")
    readings = [" ".join(lazy_pinyin(name)) for name in names]
    firsts = [reading[0] for reading in readings]
    assert firsts == sorted(firsts)  # by the first letter of the pinyin throughout


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru", "zh", "ar"])
def test_the_database_order_is_the_collation_order(app, lang):
    """The ORDER BY on the stored key gives exactly the order that Python's collation gives."""
    with current_app.test_request_context("/", headers={"Accept-Language": lang}):
        refresh()
        name = getattr(Country, f"name_{lang}")
        in_db = list(db.session.scalars(select(name).order_by(country_sort_column(), name)))
    assert len(in_db) > 190
    assert in_db == sorted(in_db, key=lambda n: (sort_key(n, lang), n))


def test_russian_and_arabic_follow_their_alphabets(app):
    def position(lang: str, iso3: str) -> int:
        return _names(lang).index(db.session.get(Country, iso3).name(lang))

    # Австралия, Египет, Йемен, Япония; and in Arabic alif (Argentina, Australia) before mim (Egypt).
    ru = [position("ru", iso3) for iso3 in ("AUS", "EGY", "YEM", "JPN")]
    assert ru == sorted(ru)
    assert position("ar", "ARG") < position("ar", "EGY") and position("ar", "AUS") < position("ar", "EGY")


def test_the_keys_follow_an_edited_name(app):
    country = db.session.get(Country, "EGY")
    country.name_fr = "Zanzibar imaginaire"
    db.session.flush()
    assert country.sort_fr == sort_key("Zanzibar imaginaire", "fr")
    assert country.sort_en == sort_key(country.name_en, "en")


def test_keys_compare_as_text_the_way_the_collation_does():
    words = ["côte", "cote", "Côte", "coté", "croatia", "Cuba", "ÉGYPTE", "egypte", "espagne", "a", "ab"]
    assert sorted(words, key=uca_key) == sorted(
        words, key=lambda w: tuple(int(uca_key(w)[i : i + 4], 16) for i in range(0, len(uca_key(w)), 4))
    )
    assert uca_key("Côte d'Ivoire") < uca_key("Croatia")
    assert set(uca_key("Égypte")) <= set("0123456789abcdef")


def test_the_directory_lists_countries_in_the_readers_collation(member_client, member):
    for iso3 in ("EGY", "ESP", "FJI"):
        make_member(iso3, institution=f"Institution {iso3}")
    post_form(member_client, "/language", {"lang": "fr", "next": "/"})
    page = member_client.get("/focal-points/").get_data(as_text=True)
    positions = [page.index(f"Institution {iso3}") for iso3 in ("EGY", "ESP", "FJI")]
    assert positions == sorted(positions)
