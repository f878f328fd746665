"""National strategy assessments: the permission matrix, lifecycle, locking, versions, exports."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from r2p_network.assessments.schema import DefinitionError, complete_elements, validate_definition
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    AuditEvent,
    Country,
    ImmutableVersionError,
    Network,
    TemplateVersion,
    Visibility,
)
from tests.conftest import enrol_two_factor, login, page_locks, post_form
from tests.factories import make_assessment, make_member

ANSWERS_V1 = {
    "rf01_judgement": "some_concern",
    "rf01_evidence": "Tension ahead of the census.",
    "endorsements": "x",
}
ANSWERS_V2 = {
    "rf01_judgement": "serious_concern",
    "rf01_evidence": "Tension ahead of the census.",
    "endorsements": "x",
}

ROLES = ("anonymous", "team", "same_country_other_network", "other_country", "admin")


@pytest.fixture
def clients(app):
    """A signed-in client for each role (the team is Ghana's government network)."""
    users = {
        "team": make_member("GHA", Network.GOVERNMENT),
        "same_country_other_network": make_member("GHA", Network.CIVIL_SOCIETY),
        "other_country": make_member("KEN", Network.GOVERNMENT),
        "admin": make_member(None, admin=True),
        "admin_password_only": make_member(None, admin=True),  # powers unusable without 2FA
    }
    enrol_two_factor(users["admin"])
    result = {"anonymous": app.test_client()}
    for role, user in users.items():
        client = app.test_client()
        assert login(client, user.email).status_code == 302
        result[role] = client
    return result


def _assessment(visibility: Visibility) -> Assessment:
    return make_assessment(versions=[(ANSWERS_V1, Visibility.PRIVATE), (ANSWERS_V2, visibility)])


def _expect(response, outcome: str, path: str) -> None:
    if outcome == "login":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], path
    elif outcome == "redirect":
        assert response.status_code == 302 and "/auth/login" not in response.headers["Location"], path
    else:
        assert response.status_code == int(outcome), (path, response.status_code)


# What each role gets for each visibility of version 2, on the routes that read content.
READ_MATRIX = {
    Visibility.PRIVATE: {
        "anonymous": "login",
        "team": "200",
        "same_country_other_network": "404",
        "other_country": "404",
        "admin": "404",
    },
    Visibility.NETWORK: {
        "anonymous": "login",
        "team": "200",
        "same_country_other_network": "200",
        "other_country": "200",
        "admin": "200",
    },
    Visibility.PUBLIC: {
        "anonymous": "200",
        "team": "200",
        "same_country_other_network": "200",
        "other_country": "200",
        "admin": "200",
    },
}


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(clients, role, visibility):
    assessment = _assessment(visibility)
    client = clients[role]
    expected = READ_MATRIX[visibility][role]
    path = f"/assessments/{assessment.id}/versions/2"
    _expect(client.get(path), expected, path)
    # Version 1 stays private whatever happens to version 2.
    _expect(
        client.get(f"/assessments/{assessment.id}/versions/1"), READ_MATRIX[Visibility.PRIVATE][role], "v1"
    )
    # Comparing needs both versions readable: only the team can compare with the private version 1.
    compare = f"/assessments/{assessment.id}/compare?from=1&to=2"
    _expect(client.get(compare), READ_MATRIX[Visibility.PRIVATE][role], compare)
    # The assessment page: the team sees it; others are sent to what they may read, or get a 404.
    page = client.get(f"/assessments/{assessment.id}")
    if role == "team":
        _expect(page, "200", "view")
    elif role == "anonymous":
        _expect(page, "login", "view")
    else:
        _expect(page, "redirect" if expected == "200" else "404", "view")


TEAM_ONLY_GETS = ("/edit", "/versions/2/export.json", "/versions/2/export.xlsx")
TEAM_ONLY_POSTS = ("/submit", "/new-draft", "/versions/2/visibility")


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("role", ROLES)
def test_write_and_export_routes_are_for_the_team_only(clients, role, visibility):
    assessment = _assessment(visibility)
    client = clients[role]
    for suffix in TEAM_ONLY_GETS:
        path = f"/assessments/{assessment.id}{suffix}"
        response = client.get(path)
        if role == "team":
            assert response.status_code in (200, 302), path
        else:
            _expect(response, "login" if role == "anonymous" else "404", path)
    for suffix in TEAM_ONLY_POSTS:
        if role == "team":
            continue
        path = f"/assessments/{assessment.id}{suffix}"
        response = post_form(client, path, {"visibility": "public", "confirm": "y"}, form_page="/")
        _expect(response, "login" if role == "anonymous" else "404", path)
    db.session.expire_all()
    assert db.session.get(AssessmentVersion, _version_id(assessment, 2)).visibility == visibility


def _version_id(assessment: Assessment, number: int) -> int:
    return db.session.scalar(
        select(AssessmentVersion.id).where(
            AssessmentVersion.assessment_id == assessment.id, AssessmentVersion.number == number
        )
    )


def test_unknown_assessment_is_404(clients):
    for path in ("/assessments/999999", "/assessments/999999/edit", "/assessments/1/versions/999"):
        assert clients["team"].get(path).status_code == 404


def test_listing_shows_own_and_shared_but_never_private_others(clients):
    mine = make_assessment(title="Ghana plan", versions=[(ANSWERS_V1, Visibility.PRIVATE)])
    make_assessment("KEN", title="Kenya shared plan", versions=[(ANSWERS_V1, Visibility.NETWORK)])
    make_assessment("SEN", title="Senegal secret plan", versions=[(ANSWERS_V1, Visibility.PRIVATE)])
    page = clients["team"].get("/assessments/").get_data(as_text=True)
    assert "Ghana plan" in page and "Kenya shared plan" in page
    assert "Senegal secret plan" not in page
    other = clients["other_country"].get("/assessments/").get_data(as_text=True)
    assert "Ghana plan" not in other
    admin = clients["admin"].get("/assessments/").get_data(as_text=True)
    assert "All assessments (administrators)" in admin and "Senegal" in admin
    assert f"/assessments/{mine.id}" not in admin  # existence and status, no link to content
    password_only = clients["admin_password_only"].get("/assessments/").get_data(as_text=True)
    assert "All assessments (administrators)" not in password_only


def test_full_lifecycle(clients):
    team = clients["team"]
    response = post_form(
        team,
        "/assessments/new",
        {"title": "National strategy 2027-2030", "template": "national-strategy"},
        form_page="/assessments/new",
    )
    assert response.status_code == 302
    assessment = db.session.scalar(select(Assessment).order_by(Assessment.id.desc()))
    assert assessment.status == AssessmentStatus.DRAFT and assessment.country_iso3 == "GHA"

    edit = f"/assessments/{assessment.id}/edit?section=assessment"
    page = team.get(edit).get_data(as_text=True)
    assert "Risk factor 1: Situations of armed conflict" in page
    assert "Risk factor 14" in page and "Source of resilience 7" in page
    response = post_form(
        team,
        edit,
        {
            "section_locks": page_locks(team, edit),
            "rf01_judgement": "some_concern",
            "rf01_indicators": ["1.1", "1.3"],
            "rf01_trend": "worsening",
            "rf01_evidence": "Clashes reported in two districts.",
        },
        form_page=edit,
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Assessment, assessment.id)
    assert saved.answers["rf01_judgement"] == "some_concern"
    assert saved.answers["rf01_indicators"] == ["1.1", "1.3"]

    # Repeatable rows: two filled rows are kept, blank ones dropped.
    priorities = f"/assessments/{assessment.id}/edit?section=priorities"
    response = post_form(
        team,
        priorities,
        {
            "section_locks": page_locks(team, priorities),
            "priority_actions-0-action": "Set up a national prevention committee",
            "priority_actions-0-scope": "domestic",
            "priority_actions-0-inhibitors": ["inh04"],
            "priority_actions-1-action": "Train border police",
            "priority_actions-2-action": "",
        },
        form_page=priorities,
    )
    assert response.status_code == 302
    db.session.expire_all()
    rows = db.session.get(Assessment, assessment.id).answers["priority_actions"]
    assert [row["action"] for row in rows] == [
        "Set up a national prevention committee",
        "Train border police",
    ]
    assert rows[0]["inhibitors"] == ["inh04"]

    response = post_form(
        team,
        f"/assessments/{assessment.id}/submit",
        {"incomplete": "y"},
        form_page=f"/assessments/{assessment.id}",
    )
    assert response.status_code == 302
    version = db.session.scalar(
        select(AssessmentVersion).where(AssessmentVersion.assessment_id == assessment.id)
    )
    assert version.number == 1 and version.visibility == Visibility.PRIVATE
    assert version.element2_complete is True and version.element1_complete is False
    # A submitted assessment is not editable until a new draft starts.
    assert team.get(edit).status_code == 302
    post_form(team, f"/assessments/{assessment.id}/new-draft", {}, form_page=f"/assessments/{assessment.id}")
    db.session.expire_all()
    draft = db.session.get(Assessment, assessment.id)
    assert draft.status == AssessmentStatus.DRAFT and draft.answers["rf01_judgement"] == "some_concern"
    post_form(
        team,
        edit,
        {"section_locks": page_locks(team, edit), "rf01_judgement": "serious_concern"},
        form_page=edit,
    )
    post_form(
        team,
        f"/assessments/{assessment.id}/submit",
        {"incomplete": "y"},
        form_page=f"/assessments/{assessment.id}",
    )

    comparison = team.get(f"/assessments/{assessment.id}/compare?from=1&to=2").get_data(as_text=True)
    assert "Some concern" in comparison and "Serious concern" in comparison
    assert "1 judgement changed" in comparison

    # Share version 2 with the network: the confirmation is required.
    share = f"/assessments/{assessment.id}/versions/2/visibility"
    post_form(team, share, {"visibility": "network"}, form_page=f"/assessments/{assessment.id}/versions/2")
    assert db.session.get(AssessmentVersion, _version_id(assessment, 2)).visibility == Visibility.PRIVATE
    post_form(
        team,
        share,
        {"visibility": "network", "confirm": "y"},
        form_page=f"/assessments/{assessment.id}/versions/2",
    )
    db.session.expire_all()
    assert db.session.get(AssessmentVersion, _version_id(assessment, 2)).visibility == Visibility.NETWORK
    other = clients["other_country"]
    assert other.get(f"/assessments/{assessment.id}/versions/2").status_code == 200
    assert other.get(f"/assessments/{assessment.id}/versions/1").status_code == 404
    # Withdraw it again.
    post_form(
        team,
        share,
        {"visibility": "private", "confirm": "y"},
        form_page=f"/assessments/{assessment.id}/versions/2",
    )
    assert other.get(f"/assessments/{assessment.id}/versions/2").status_code == 404
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "assessment.shared" in actions and "assessment.unshared" in actions


def test_edit_reports_bad_input_by_field(clients):
    assessment = make_assessment(draft={})
    path = f"/assessments/{assessment.id}/edit?section=training"
    response = post_form(
        clients["team"],
        path,
        {
            "section_locks": page_locks(clients["team"], path),
            "training_courses-0-audience": "astronauts",
            "training_courses-0-planned": "-5",
            "training_courses-0-start": "not a date",
        },
        form_page=path,
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please correct the following" in page
    assert "Not a valid choice" in page
    assert "Number must be between 0 and 1000000" in page
    assert "Not a valid date value" in page
    assert db.session.get(Assessment, assessment.id).answers == {}


def test_second_save_of_the_same_part_shows_both_texts_and_nothing_is_lost(app, clients):
    assessment = make_assessment(draft={"rf01_judgement": "no_concern"})
    colleague = make_member("GHA", Network.GOVERNMENT)
    other_client = app.test_client()
    login(other_client, colleague.email)
    path = f"/assessments/{assessment.id}/edit?section=assessment"
    stale_locks = page_locks(clients["team"], path)

    first = post_form(
        other_client,
        path,
        {"section_locks": page_locks(other_client, path), "rf01_judgement": "some_concern"},
        form_page=path,
    )
    assert first.status_code == 302
    second = post_form(
        clients["team"],
        path,
        {
            "section_locks": stale_locks,
            "rf01_judgement": "serious_concern",
            "rf01_evidence": "My careful notes",
        },
        form_page=path,
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "A teammate saved the same part while you were editing" in page
    assert "My careful notes" in page  # the second member's work is still in the form
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).answers["rf01_judgement"] == "some_concern"


def test_versions_are_immutable():
    assessment = make_assessment(versions=[(ANSWERS_V1, Visibility.PRIVATE)])
    db.session.commit()
    version = db.session.get(AssessmentVersion, _version_id(assessment, 1))
    version.answers = {"rf01_judgement": "no_concern"}
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()
    version = db.session.get(AssessmentVersion, _version_id(assessment, 1))
    version.visibility = Visibility.NETWORK  # who may read it can change
    db.session.flush()


def test_template_versioning_keeps_old_assessments_intact(clients):
    old = make_assessment(draft={"rf01_judgement": "some_concern"})
    template = db.session.get(TemplateVersion, old.template_version_id)
    definition = json.loads(json.dumps(template.definition))
    definition["sections"][0]["title"] = "Risk and resilience (revised wording)"
    db.session.add(
        TemplateVersion(template_id=template.template_id, number=template.number + 1, definition=definition)
    )
    db.session.flush()
    page = clients["team"].get(f"/assessments/{old.id}/edit?section=assessment").get_data(as_text=True)
    assert "Assessment of atrocity risks and sources of resilience" in page
    assert "revised wording" not in page
    post_form(
        clients["team"],
        "/assessments/new",
        {"title": "On the new template", "template": "national-strategy"},
        form_page="/assessments/new",
    )
    newest = db.session.scalar(select(Assessment).order_by(Assessment.id.desc()))
    assert newest.template_version_id != old.template_version_id
    assert "revised wording" in clients["team"].get(f"/assessments/{newest.id}/edit").get_data(as_text=True)


def test_default_template_has_the_four_elements_14_risk_factors_and_7_inhibitors():
    template = db.session.scalar(select(TemplateVersion).order_by(TemplateVersion.id))
    definition = template.definition
    validate_definition(definition)
    assert [s["element"] for s in definition["sections"]] == [1, 2, 3, 4]
    keys = [q["key"] for q in definition["sections"][0]["questions"]]
    assert sum(k.endswith("_judgement") for k in keys) == 14
    assert sum(k.endswith("_strength") for k in keys) == 7
    genocide = [
        q["group"]["key"]
        for q in definition["sections"][0]["questions"]
        if q["key"].endswith("_judgement") and q["group"]["crimes"] == ["genocide"]
    ]
    assert genocide == ["rf09", "rf10"]


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {"schema": 1, "sections": []},
        {
            "schema": 1,
            "sections": [
                {
                    "key": "a",
                    "element": 1,
                    "title": "A",
                    "questions": [{"key": "q", "type": "nope", "label": "Q"}],
                }
            ],
        },
        {
            "schema": 1,
            "sections": [
                {
                    "key": "a",
                    "element": 1,
                    "title": "A",
                    "questions": [{"key": "q", "type": "choice", "label": "Q", "options": []}],
                }
            ],
        },
    ],
)
def test_definition_schema_rejects_broken_templates(broken):
    with pytest.raises(DefinitionError):
        validate_definition(broken)


def test_completeness_of_elements():
    template = db.session.scalar(select(TemplateVersion).order_by(TemplateVersion.id))
    definition = template.definition
    answers = {f"rf{n:02d}_judgement": "no_concern" for n in range(1, 15)}
    answers |= {f"inh{n:02d}_strength": "moderate" for n in range(1, 8)}
    assert complete_elements(definition, answers) == {1}
    answers["endorsements"] = "Cabinet declaration, 2026"
    answers["partnerships"] = "Memorandum with the press council"
    answers["budget_lines"] = [{"line": "Early warning unit", "amount": None}]
    assert complete_elements(definition, answers) == {1, 4}


def test_team_exports_json_and_xlsx(clients):
    assessment = make_assessment(
        versions=[({**ANSWERS_V1, "rf02_evidence": "=cmd|' /C calc'!A0"}, Visibility.PRIVATE)]
    )
    response = clients["team"].get(f"/assessments/{assessment.id}/versions/1/export.json")
    data = json.loads(response.get_data(as_text=True))
    assert data["format"] == "r2p-assessment" and data["answers"]["rf01_judgement"] == "some_concern"
    response = clients["team"].get(f"/assessments/{assessment.id}/versions/1/export.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Cover", "Element 1", "Element 2", "Element 3", "Element 4"]
    values = [cell.value for row in workbook.worksheets[1].iter_rows() for cell in row]
    assert "Some concern" in values
    assert "'=cmd|' /C calc'!A0" in values  # neutralised, stored as text
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "export.assessment")
        )
        == 2
    )


def test_print_view(clients):
    assessment = make_assessment(versions=[(ANSWERS_V1, Visibility.PRIVATE)])
    page = clients["team"].get(f"/assessments/{assessment.id}/versions/1?print=1").get_data(as_text=True)
    assert "print-view" in page and "Tension ahead of the census." in page


def test_only_focal_points_in_post_start_assessments(clients):
    assert clients["admin"].get("/assessments/new").status_code == 403
    assert clients["team"].get("/assessments/new").status_code == 200


CANARY = "CANARY-7f3a-private-national-finding"


def test_private_canary_never_reaches_anyone_outside_the_team(app, clients, caplog):
    assessment = make_assessment(
        versions=[({"rf01_evidence": CANARY, "rf01_judgement": "serious_concern"}, Visibility.PRIVATE)],
        draft={"rf01_evidence": CANARY},
    )
    db.session.commit()
    team_page = clients["team"].get(f"/assessments/{assessment.id}/versions/1").get_data(as_text=True)
    assert CANARY in team_page  # the canary is really there
    paths = [
        "/",
        "/network",
        "/assessments/",
        f"/assessments/{assessment.id}",
        f"/assessments/{assessment.id}/versions/1",
        f"/assessments/{assessment.id}/compare?from=1&to=1",
        f"/assessments/{assessment.id}/edit",
        f"/assessments/{assessment.id}/versions/1/export.json",
        f"/assessments/{assessment.id}/versions/1/export.xlsx",
        "/focal-points/",
        "/focal-points/?q=census",
        "/countries/GHA",
        "/focal-points/export.csv",
        "/no-such-page",
    ]
    for role in ("anonymous", "same_country_other_network", "other_country", "admin"):
        for path in paths:
            response = clients[role].get(path, follow_redirects=True)
            assert CANARY.encode() not in response.data, (role, path)
    assert CANARY not in caplog.text
    for event in db.session.scalars(select(AuditEvent)):
        assert CANARY not in json.dumps(event.detail)


def test_country_page_shows_strategy_progress_but_no_content(clients):
    answers = {f"rf{n:02d}_judgement": "no_concern" for n in range(1, 15)}
    answers |= {f"inh{n:02d}_strength": "weak" for n in range(1, 8)} | {"rf03_evidence": CANARY}
    make_assessment(versions=[(answers, Visibility.PRIVATE)])
    page = clients["other_country"].get("/countries/GHA").get_data(as_text=True)
    assert "National strategy progress" in page
    assert page.count('badge-party">Complete') == 1  # element 1 only
    assert CANARY not in page


def test_shared_assessments_come_fifty_to_a_page(member_client):
    countries = db.session.scalars(
        select(Country.iso3).where(Country.iso3 != "GHA").order_by(Country.iso3)
    ).all()
    for iso3 in countries[:53]:
        make_assessment(iso3, title=f"Strategy of {iso3}", versions=[({}, Visibility.NETWORK)])
    make_assessment(countries[53], title="Private strategy", versions=[({}, Visibility.PRIVATE)])

    def titles(query: str = "") -> list[str]:
        page = member_client.get(f"/assessments/{query}").get_data(as_text=True)
        return re.findall(r">(Strategy of \w+|Private strategy)</a></h3>", page)

    first = member_client.get("/assessments/").get_data(as_text=True)
    assert "53 assessments shared with you." in first
    assert 'href="/assessments/?page=2#shared-heading"' in first
    shown, rest = titles(), titles("?page=2")
    assert len(shown) == 50 and len(rest) == 3 and not set(shown) & set(rest)
    assert titles("?page=9") == rest and titles("?page=x") == shown
