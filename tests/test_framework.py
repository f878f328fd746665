"""The Framework of Analysis in the templates, template versions and choice, and the demo's assessments."""

from __future__ import annotations

import copy
import inspect
import re

from sqlalchemy import func, select

from r2p_network import demo, demo_assessments
from r2p_network.admin.reference_services import publish_template_version
from r2p_network.assessments import catalogue, services
from r2p_network.assessments.queries import latest_template_version
from r2p_network.assessments.schema import validate_definition
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    Network,
    StrategyTemplate,
    TemplateVersion,
)
from tests.conftest import login, page_locks, post_form
from tests.factories import make_assessment, make_member

# How many indicators each risk factor of the Framework of Analysis has, in the template.
INDICATORS_PER_FACTOR = {
    1: 11,
    2: 8,
    3: 10,
    4: 9,
    5: 8,
    6: 11,
    7: 14,
    8: 12,
    9: 6,
    10: 9,
    11: 7,
    12: 10,
    13: 10,
    14: 8,
}
FRAMEWORK_NUMBERS = [f"{f}.{i}" for f, count in INDICATORS_PER_FACTOR.items() for i in range(1, count + 1)]
CRIMES = {
    n: ["genocide", "war_crimes", "ethnic_cleansing", "crimes_against_humanity"] for n in range(1, 9)
} | {
    9: ["genocide"],
    10: ["genocide"],
    11: ["crimes_against_humanity"],
    12: ["crimes_against_humanity"],
    13: ["war_crimes"],
    14: ["war_crimes"],
}


def _questions(definition: dict) -> dict[str, dict]:
    return {q["key"]: q for s in definition["sections"] for q in s["questions"]}


def _indicators(definition: dict, factor: int) -> dict[str, str]:
    question = _questions(definition)[f"rf{factor:02d}_indicators"]
    return {option["value"]: option["label"] for option in question["options"]}


def test_every_indicator_of_the_framework_has_a_numbered_prompt_under_its_factor():
    definition = latest_template_version("national-strategy").definition
    found = [key for factor in range(1, 15) for key in _indicators(definition, factor)]
    assert found == FRAMEWORK_NUMBERS
    for factor in range(1, 15):
        for key, label in _indicators(definition, factor).items():
            assert (
                key.split(".")[0] == str(factor)
                and label.startswith(f"{key} ")
                and len(label) > len(key) + 10
            )
    for key in ("4.4", "6.11", "7.6", "7.9", "8.2", "8.7", "8.12"):
        assert key in found
    assert "homogeneous" in _indicators(definition, 4)["4.4"]
    assert "early-warning" in _indicators(definition, 6)["6.11"]
    # Emergency rule is an enabling circumstance (7.1), not a sign of instability (factor 1).
    assert "emergency laws" in _indicators(definition, 7)["7.1"].lower()
    assert not any("emergency rule" in label.lower() for label in _indicators(definition, 1).values())
    assert not any("state presence" in label.lower() for label in _indicators(definition, 3).values())


def test_each_factor_names_the_crimes_it_signals_on_the_page(member_client):
    definition = latest_template_version("national-strategy").definition
    groups = {q["group"]["key"]: q["group"] for q in _questions(definition).values() if q.get("group")}
    assert {n: groups[f"rf{n:02d}"]["crimes"] for n in range(1, 15)} == CRIMES
    assessment = make_assessment(draft={})
    page = member_client.get(f"/assessments/{assessment.id}/edit?section=assessment").get_data(as_text=True)
    factor_10 = page[page.index('id="part-rf10"') : page.index('id="part-rf11"')]
    assert "Signals a risk of: Genocide<" in factor_10
    assert "Signals a risk of: Genocide, War crimes, Ethnic cleansing, and Crimes against humanity" in page


def test_groups_at_risk_and_perpetrators_are_saved_and_shown(member_client):
    assessment = make_assessment(draft={})
    edit = f"/assessments/{assessment.id}/edit?section=assessment"
    response = post_form(
        member_client,
        edit,
        {
            "section_locks": page_locks(member_client, edit),
            "groups_at_risk": "Herding communities displaced from the border districts",
            "group_kinds": ["ethnical", "religious"],
            "perpetrators": "both",
            "rf07_indicators": ["7.6", "7.9"],
        },
        form_page=edit,
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Assessment, assessment.id).answers
    assert saved["group_kinds"] == ["ethnical", "religious"] and saved["perpetrators"] == "both"
    assert saved["rf07_indicators"] == ["7.6", "7.9"]
    page = member_client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Populations at risk and potential perpetrators" in member_client.get(edit).get_data(as_text=True)
    post_form(
        member_client,
        f"/assessments/{assessment.id}/submit",
        {"incomplete": "y"},
        form_page=f"/assessments/{assessment.id}",
    )
    page = member_client.get(f"/assessments/{assessment.id}/versions/1").get_data(as_text=True)
    assert "Herding communities displaced" in page
    assert "Ethnical; Religious" in page and "Both State and non-State actors" in page
    assert "7.6 Strict control of communication channels" in page


def test_reference_load_publishes_a_changed_template_as_a_new_version_and_leaves_old_ones(monkeypatch):
    template = db.session.scalar(select(StrategyTemplate).where(StrategyTemplate.slug == "national-strategy"))
    before = {v.id: copy.deepcopy(v.definition) for v in db.session.scalars(select(TemplateVersion))}
    assert services.install_default_template(db.session) == 0  # nothing changed: nothing published

    def revised() -> dict:
        definition = catalogue.SHIPPED[0].definition()
        definition["sections"][0]["title"] = "Risk and resilience (revised wording)"
        return definition

    shipped = (
        catalogue.ShippedTemplate("national-strategy", "National strategy", Network.GOVERNMENT, revised),
    )
    monkeypatch.setattr(services, "SHIPPED", shipped)
    assert services.install_default_template(db.session) == 1
    assert services.install_default_template(db.session) == 0
    newest = latest_template_version("national-strategy")
    assert newest.template_id == template.id and newest.published_by_id is None
    assert newest.definition["sections"][0]["title"] == "Risk and resilience (revised wording)"
    for version in db.session.scalars(select(TemplateVersion).where(TemplateVersion.id != newest.id)):
        assert version.definition == before[version.id]


def test_an_old_version_renders_with_its_own_template(member_client, member):
    current = latest_template_version("national-strategy")
    template = db.session.get(StrategyTemplate, current.template_id)
    old_definition = copy.deepcopy(current.definition)
    rf03 = _questions(old_definition)["rf03_indicators"]
    rf03["options"] = [{"value": "i5", "label": "Limited State presence in parts of the territory"}]
    old = publish_template_version(template, old_definition, member)
    publish_template_version(template, copy.deepcopy(current.definition), member)  # the current one again
    assessment = Assessment(
        country_iso3="GHA",
        network=Network.GOVERNMENT,
        title="Begun on the old template",
        template_version_id=old.id,
    )
    db.session.add(assessment)
    db.session.flush()
    answers = {"rf03_indicators": ["i5"]}
    db.session.add(
        AssessmentVersion(assessment_id=assessment.id, number=1, template_version_id=old.id, answers=answers)
    )
    assessment.answers = answers
    db.session.flush()

    page = member_client.get(f"/assessments/{assessment.id}/versions/1").get_data(as_text=True)
    assert "Limited State presence in parts of the territory" in page
    edit = member_client.get(f"/assessments/{assessment.id}/edit?section=assessment").get_data(as_text=True)
    assert "Limited State presence" in edit and 'value="3.1"' not in edit
    post_form(
        member_client,
        "/assessments/new",
        {"title": "On the framework", "template": "national-strategy"},
        form_page="/assessments/new",
    )
    newest = db.session.scalar(select(Assessment).order_by(Assessment.id.desc()))
    assert newest.template_version_id == latest_template_version("national-strategy").id != old.id
    assert 'value="3.1"' in member_client.get(f"/assessments/{newest.id}/edit").get_data(as_text=True)


def _version_id(assessment: Assessment) -> int:
    return db.session.scalar(
        select(AssessmentVersion.id).where(AssessmentVersion.assessment_id == assessment.id)
    )


def test_the_three_shipped_templates_are_valid_and_installed():
    for shipped in catalogue.SHIPPED:
        definition = latest_template_version(shipped.slug).definition
        validate_definition(definition)
        assert definition == shipped.definition()
    civil = _questions(latest_template_version("civil-society-assessment").definition)
    assert (
        list(_indicators(latest_template_version("civil-society-assessment").definition, 1))
        == FRAMEWORK_NUMBERS[:11]
    )
    assert "monitoring_methods" in civil and "engagement_obstacles" in civil
    parliament = latest_template_version("parliamentary-oversight").definition
    assert [s["key"] for s in parliament["sections"]] == [
        "hearings",
        "legislation",
        "treaties",
        "awareness",
        "budget",
        "strategy",
    ]


def test_teams_choose_their_template_without_javascript(app):
    civil = make_member("KEN", Network.CIVIL_SOCIETY)
    client = app.test_client()
    login(client, civil.email)
    page = client.get("/assessments/new").get_data(as_text=True)
    checked = re.findall(r'<input[^>]*\bchecked\b[^>]*name="template"[^>]*>', page)
    assert len(checked) == 1 and 'value="civil-society-assessment"' in checked[0]
    assert "Parliamentary oversight checklist" in page and "National strategy for atrocity prevention" in page

    refused = post_form(
        client,
        "/assessments/new",
        {"title": "Ours", "template": "no-such-template"},
        form_page="/assessments/new",
    )
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
    missing = post_form(client, "/assessments/new", {"title": "Ours"}, form_page="/assessments/new")
    assert missing.status_code == 400 and "Choose a template." in missing.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0

    created = post_form(
        client,
        "/assessments/new",
        {"title": "Oversight 2027", "template": "parliamentary-oversight"},
        form_page="/assessments/new",
    )
    assert created.status_code == 302
    assessment = db.session.scalar(select(Assessment).where(Assessment.title == "Oversight 2027"))
    assert assessment.template_version_id == latest_template_version("parliamentary-oversight").id
    page = client.get(f"/assessments/{assessment.id}/edit?section=treaties").get_data(as_text=True)
    assert "Treaty ratification" in page and "Rome Statute of the International Criminal Court" in page


def test_demo_assessments_come_only_from_the_hand_written_set():
    source = inspect.getsource(demo._seed_assessments)
    assert "rng" not in source and "random" not in source.replace("drawn at random", "")
    assert "random" not in inspect.getsource(demo_assessments).replace("at random", "")
    assert demo._seed_assessments() == len(demo_assessments.DEMO_ASSESSMENTS)
    definition = latest_template_version("national-strategy").definition
    questions = _questions(definition)
    for iso3, title, versions, draft in demo_assessments.DEMO_ASSESSMENTS:
        assessment = db.session.scalar(select(Assessment).where(Assessment.country_iso3 == iso3))
        assert assessment.title == title
        stored = db.session.scalars(
            select(AssessmentVersion)
            .where(AssessmentVersion.assessment_id == assessment.id)
            .order_by(AssessmentVersion.number)
        ).all()
        assert [(v.visibility, v.answers) for v in stored] == versions
        assert assessment.answers == (draft if draft is not None else versions[-1][1])
        for answers in [a for _v, a in versions] + ([draft] if draft else []):
            for key, value in answers.items():
                question = questions[key]
                if question["type"] in ("judgement", "choice"):
                    assert value in {o["value"] for o in question["options"]}, (iso3, key)
                if question["type"] == "multi_choice" and key.startswith("rf"):
                    assert set(value) <= {o["value"] for o in question["options"]}, (iso3, key)
            assert "serious_concern" not in answers.values()
            assert answers["rf11_judgement"] in ("no_concern", "not_assessed")
