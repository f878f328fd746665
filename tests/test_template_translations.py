"""The assessment templates read in the six UN languages: every text translated, structure kept."""

from __future__ import annotations

import pytest

from r2p_network.assessments import localize
from r2p_network.assessments.catalogue import SHIPPED
from r2p_network.assessments.schema import DefinitionError, validate_definition
from r2p_network.core.i18n import LANGUAGES
from r2p_network.extensions import db
from tests.conftest import login
from tests.factories import make_assessment, make_member

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_of_every_shipped_template_is_translated(lang):
    table = localize.shipped(lang)
    missing = [
        text for t in SHIPPED for text in localize.texts(t.definition()) if not table.get(text, "").strip()
    ]
    assert missing == []
    assert all(value.strip() != "" for value in table.values())


def test_a_localized_definition_keeps_keys_values_and_structure():
    definition = SHIPPED[0].definition()
    french = localize.localized(definition, "fr")

    def shape(value):
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items() if k not in localize.TEXT_FIELDS}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return value

    assert shape(french) == shape(definition)
    assert french["sections"][0]["title"] != definition["sections"][0]["title"]
    assert localize.localized(definition, "en") is definition


def test_a_definitions_own_translations_win_and_are_checked():
    definition = SHIPPED[0].definition()
    title = definition["sections"][0]["title"]
    definition["translations"] = {"fr": {title: "Évaluation (texte de l'administrateur)"}}
    validate_definition(definition)
    assert (
        localize.localized(definition, "fr")["sections"][0]["title"]
        == "Évaluation (texte de l'administrateur)"
    )
    definition["translations"] = {"de": {title: "Bewertung"}}
    with pytest.raises(DefinitionError, match="translations"):
        validate_definition(definition)
    definition["translations"] = {"fr": {title: 3}}
    with pytest.raises(DefinitionError, match=r"translations\.fr"):
        validate_definition(definition)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_assessment_editor_reads_in_the_members_language(app, lang):
    member = make_member("GHA")
    member.language = lang
    assessment = make_assessment(draft={})
    db.session.commit()
    client = app.test_client()
    login(client, member.email)
    page = client.get(f"/assessments/{assessment.id}/edit").get_data(as_text=True)
    table = localize.shipped(lang)
    english = SHIPPED[0].definition()
    section = english["sections"][0]
    first_factor = section["questions"][0]["group"]["title"]
    assert table[section["title"]] in page and table[first_factor] in page
    assert first_factor not in page


def test_reference_check_lists_templates_with_untranslated_text(app, monkeypatch):
    from r2p_network import reference

    assert not any(
        entry.startswith("template:")
        for rows in reference.missing_translations_by_language(db.session).values()
        for entry in rows
    )
    monkeypatch.setattr(
        reference,
        "shipped_template_translations",
        lambda lang: {} if lang == "fr" else localize.shipped(lang),
    )
    missing = reference.missing_translations_by_language(db.session)
    assert any(entry.startswith("template: national-strategy (") for entry in missing["fr"])
    assert not any(entry.startswith("template:") for entry in missing.get("es", []))
