"""The assessment editor: element 1's index, submitting with missing answers, discarding a draft,
completeness in words and the direction of changed judgements."""

from __future__ import annotations

import re

from sqlalchemy import select

from r2p_network.assessments.schema import judgement_direction
from r2p_network.extensions import db
from r2p_network.models import Assessment, AssessmentStatus, AuditEvent, Network, Visibility
from tests.conftest import login, post_form
from tests.factories import make_assessment, make_member

COMPLETE_ELEMENT_2 = {"priority_actions": [{"action": "A national committee", "scope": "domestic"}]}


def test_element_1_lists_its_parts_with_their_state_in_collapsible_cards(member_client):
    assessment = make_assessment(draft={"rf01_judgement": "some_concern"})
    page = member_client.get(f"/assessments/{assessment.id}/edit?section=assessment").get_data(as_text=True)
    index = page[page.index("In this element") : page.index("</nav>", page.index("In this element"))]
    assert index.count('href="#part-rf') == 14 and index.count('href="#part-inh') == 7
    assert "required answer missing" in index
    assert page.count('<details class="group card"') == 22  # the groups at risk, 14 factors, 7 inhibitors
    assert 'class="judgement-choices"' in page
    assert re.search(r"js/autosave\.([0-9a-f]{12}\.)?js", page) and 'name="section_locks"' in page


def test_submitting_with_missing_answers_lists_them_and_asks_for_confirmation(member_client):
    assessment = make_assessment(draft={})
    detail = f"/assessments/{assessment.id}"
    page = member_client.get(detail).get_data(as_text=True)
    assert "required answers are missing" in page
    assert f'href="/assessments/{assessment.id}/edit?section=assessment#part-rf01"' in page
    refused = post_form(member_client, f"{detail}/submit", {}, form_page=detail)
    assert refused.status_code == 302
    assert db.session.get(Assessment, assessment.id).status == AssessmentStatus.DRAFT
    post_form(member_client, f"{detail}/submit", {"incomplete": "y"}, form_page=detail)
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).status == AssessmentStatus.SUBMITTED


def test_discarding_a_draft_goes_back_to_the_last_version_and_is_audited(member_client, member):
    assessment = make_assessment(
        versions=[(COMPLETE_ELEMENT_2, Visibility.PRIVATE)], draft={"rf01_evidence": "x"}
    )
    detail = f"/assessments/{assessment.id}"
    assert post_form(member_client, f"{detail}/discard", {}, form_page=detail).status_code == 302
    assert db.session.get(Assessment, assessment.id).status == AssessmentStatus.DRAFT  # not confirmed
    post_form(member_client, f"{detail}/discard", {"confirm": "y"}, form_page=detail)
    db.session.expire_all()
    saved = db.session.get(Assessment, assessment.id)
    assert saved.status == AssessmentStatus.SUBMITTED and saved.answers == COMPLETE_ELEMENT_2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.draft_discarded"))
    assert event.actor_id == member.id and event.detail["back_to_version"] == 1


def test_discarding_a_draft_never_submitted_deletes_the_assessment(member_client):
    assessment_id = make_assessment(draft={"rf01_evidence": "x"}).id
    detail = f"/assessments/{assessment_id}"
    response = post_form(member_client, f"{detail}/discard", {"confirm": "y"}, form_page=detail)
    assert response.headers["Location"] == "/assessments/"
    db.session.expunge_all()
    assert db.session.scalar(select(Assessment.id).where(Assessment.id == assessment_id)) is None


def test_discarding_is_for_the_team_only(app):
    assessment = make_assessment(draft={"rf01_evidence": "x"})
    for outsider in (
        make_member("KEN"),
        make_member("GHA", Network.CIVIL_SOCIETY),
        make_member(None, admin=True),
    ):
        client = app.test_client()
        login(client, outsider.email)
        response = post_form(client, f"/assessments/{assessment.id}/discard", {"confirm": "y"}, form_page="/")
        assert response.status_code == 404
    anonymous = app.test_client().post(f"/assessments/{assessment.id}/discard", data={"confirm": "y"})
    assert anonymous.status_code in (302, 400)
    assert db.session.get(Assessment, assessment.id).status == AssessmentStatus.DRAFT


def test_the_versions_table_says_which_elements_are_complete_in_words(member_client):
    assessment = make_assessment(
        versions=[(COMPLETE_ELEMENT_2, Visibility.PRIVATE), ({}, Visibility.PRIVATE)]
    )
    page = member_client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Element 2 complete" in page and "No element complete" in page


def test_a_worse_judgement_reads_as_worse_and_a_better_one_as_better(member_client):
    concern = {
        "options": [{"value": v} for v in ("no_concern", "some_concern", "serious_concern", "not_assessed")]
    }
    assert judgement_direction(concern, "some_concern", "serious_concern") == "worse"
    assert judgement_direction(concern, "serious_concern", "no_concern") == "better"
    assert judgement_direction(concern, "not_assessed", "no_concern") == ""
    assessment = make_assessment(
        versions=[
            ({"rf01_judgement": "no_concern", "inh01_strength": "weak"}, Visibility.PRIVATE),
            ({"rf01_judgement": "serious_concern", "inh01_strength": "strong"}, Visibility.PRIVATE),
        ]
    )
    page = member_client.get(f"/assessments/{assessment.id}/compare?from=1&to=2").get_data(as_text=True)
    assert page.count("judgement-worse") == 1 and page.count("judgement-better") == 1
    assert ">Worse<" in page and ">Better<" in page
