"""Reference data in the reader's language, with the English fallback marked as such."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from markupsafe import escape
from sqlalchemy import select, update

from r2p_network.core.i18n import Localized, clean_translations, localized, missing_translations
from r2p_network.extensions import db
from r2p_network.models import CapacityCategory, Instrument, LessonTheme, RegionalBody
from tests.conftest import count_queries, post_form

FR = {"Accept-Language": "fr"}


def _reads(member, lang: str) -> None:
    """The member's own language: after sign-in it, not the browser's, chooses the pages' language."""
    member.language = lang
    db.session.flush()


def test_localized_picks_the_language_and_marks_the_english_fallback():
    translations = {"fr": {"name": "Union africaine"}, "es": {"name": "  "}}
    assert localized(translations, "name", "African Union", "fr") == "Union africaine"
    assert not localized(translations, "name", "African Union", "fr").fallback
    assert str(escape(localized(translations, "name", "African Union", "en"))) == "African Union"
    fallback = localized(translations, "name", "African Union", "es")  # blank counts as missing
    assert fallback == "African Union" and fallback.fallback
    assert localized(None, "name", "A <b>", "ru").fallback
    assert isinstance(fallback, Localized)


def test_a_fallback_renders_in_html_as_english_with_a_note(app):
    with app.test_request_context(headers=FR):
        html = str(escape(localized({}, "name", "Tom & Jerry", "ru")))
    assert html.startswith('<span lang="en" class="fallback">Tom &amp; Jerry')
    assert 'class="visually-hidden"' in html
    assert str(escape(localized({"ru": {"name": "Том"}}, "name", "Tom", "ru"))) == "Том"


def test_missing_and_cleaned_translations():
    assert missing_translations({"fr": {"name": "x", "definition": ""}}, ("name", "definition")) == [
        "fr",
        "es",
        "ru",
        "zh",
        "ar",
    ]
    full = {lang: {"name": "x"} for lang in ("fr", "es", "ru", "zh", "ar")}
    assert missing_translations(full, ("name",)) == []
    assert clean_translations({"fr": {"name": " Nom "}, "es": {"name": ""}, "xx": {"name": "y"}}) == {
        "fr": {"name": "Nom"}
    }


def test_every_shipped_row_is_translated_into_the_five_languages(db_session):
    for model, texts in (
        (CapacityCategory, ("name", "definition")),
        (LessonTheme, ("name",)),
        (RegionalBody, ("name",)),
        (Instrument, ("name", "short_name")),
    ):
        for row in db.session.scalars(select(model)):
            assert missing_translations(row.translations, texts) == [], (model.__name__, row.slug)


def test_a_french_reader_sees_french_names_of_ecowas_and_of_a_capacity_category(member_client, member):
    _reads(member, "fr")
    regions = member_client.get("/regions/").get_data(as_text=True)
    assert "Communauté économique des États de l&#39;Afrique de l&#39;Ouest" in regions
    assert "Groupe des États d&#39;Afrique" in regions
    capacity = member_client.get("/capacity/").get_data(as_text=True)
    assert "Un secteur de la sécurité professionnel et responsable" in capacity
    _reads(member, "ar")
    arabic = member_client.get("/regions/").get_data(as_text=True)
    assert "الجماعة الاقتصادية لدول غرب أفريقيا" in arabic


def test_a_missing_translation_shows_english_marked_as_such(member_client, member):
    _reads(member, "fr")
    db.session.execute(update(RegionalBody).where(RegionalBody.slug == "ecowas").values(translations={}))
    db.session.flush()
    page = member_client.get("/regions/").get_data(as_text=True)
    assert '<span lang="en" class="fallback">Economic Community of West African States' in page
    # Not inside an attribute: there the English name stays plain text.
    assert 'title="Economic Community of West African States"' in page


def test_country_page_names_bodies_and_treaties_in_the_language_in_constant_queries(member_client, member):
    _reads(member, "fr")
    member_client.get("/countries/GHA")
    with count_queries() as few:
        page = member_client.get("/countries/GHA").get_data(as_text=True)
    assert "Statut de Rome" in page and "Union africaine" in page
    db.session.add(
        Instrument(slug="test-treaty", position=99, name="A test treaty", short_name="Test treaty")
    )
    db.session.flush()
    with count_queries() as more:
        page = member_client.get("/countries/GHA").get_data(as_text=True)
    assert '<span lang="en" class="fallback">Test treaty' in page
    assert len(more) == len(few)


def test_lesson_themes_in_the_language(member_client, member):
    _reads(member, "fr")
    page = member_client.get("/lessons/").get_data(as_text=True)
    assert "Diplomatie préventive" in page


def test_reference_check_lists_missing_translations_per_language(app, db_session):
    theme = db.session.scalar(select(LessonTheme).where(LessonTheme.slug == "sanctions"))
    theme.translations = {lang: {"name": "x"} for lang in ("fr", "es", "ru", "zh")}
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["reference", "check"])
    assert result.exit_code == 1, result.output
    assert "ar: 1 reference texts without a translation: lesson theme: sanctions" in result.output
    assert "fr:" not in result.output


def test_the_editor_saves_a_translation_and_keeps_blanks_out(admin_client):
    category = db.session.scalar(select(CapacityCategory).where(CapacityCategory.slug == "mediation"))
    path = f"/admin/capacity-categories/{category.id}"
    form = admin_client.get(path).get_data(as_text=True)
    assert 'value="Médiation et dialogue"' in form and 'dir="rtl" id="name_ar" lang="ar"' in form
    response = post_form(
        admin_client,
        path,
        {
            "name": category.name,
            "definition": category.definition,
            "active": "y",
            "name_fr": "Médiation",
            "definition_fr": "Des médiateurs disponibles.",
            "name_es": "",
        },
        form_page=path,
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(CapacityCategory, category.id).translations
    assert saved == {"fr": {"name": "Médiation", "definition": "Des médiateurs disponibles."}}


def test_the_body_editor_saves_the_names(admin_client):
    path = "/admin/bodies/ecowas"
    assert "Comunidad Económica de los Estados de África Occidental" in admin_client.get(path).get_data(
        as_text=True
    )
    long = "x" * 301
    bad = post_form(admin_client, f"{path}/names", {"name_fr": long}, form_page=path)
    assert bad.status_code == 400
    response = post_form(
        admin_client, f"{path}/names", {"name_fr": "CEDEAO", "name_zh": "西共体"}, form_page=path
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RegionalBody, "ecowas").translations == {
        "fr": {"name": "CEDEAO"},
        "zh": {"name": "西共体"},
    }


def _migration():
    path = next(Path("migrations/versions").glob("*_reference_data_translations_4f1b7c9e2d60.py"))
    spec = importlib.util.spec_from_file_location("translations_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_fills_rows_but_not_those_whose_english_an_administrator_rewrote(db_session):
    db.session.execute(update(RegionalBody).values(translations={}))
    db.session.execute(update(CapacityCategory).values(translations={}))
    edited = db.session.scalar(select(CapacityCategory).where(CapacityCategory.slug == "funding"))
    edited.name = "Money for prevention"
    db.session.flush()
    _migration().fill_translations(db.session.connection())
    db.session.expire_all()
    assert db.session.get(RegionalBody, "au").translations["fr"]["name"] == "Union africaine"
    assert (
        db.session.scalar(select(CapacityCategory).where(CapacityCategory.slug == "funding")).translations
        == {}
    )
    mediation = db.session.scalar(select(CapacityCategory).where(CapacityCategory.slug == "mediation"))
    assert mediation.translations["ru"]["name"] == "Посредничество и диалог"
