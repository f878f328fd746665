"""Following the priorities through: actions across versions, reviews and milestones on the team's
private dashboard, and the regional counts by status (shared versions only, k >= 3) checked against
a brute-force count."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from sqlalchemy import select

from r2p_network.assessments.queries import shared_action_counts
from r2p_network.assessments.services import record_actions, review_action
from r2p_network.extensions import db
from r2p_network.models import (
    ActionMilestone,
    ActionReview,
    ActionStatus,
    Assessment,
    AssessmentVersion,
    AuditEvent,
    Network,
    PriorityAction,
    Visibility,
    action_key,
)
from r2p_network.regions.queries import find_place, scope_of
from tests.conftest import count_queries, login, post_form
from tests.factories import make_assessment, make_member

WEST_AFRICA = "011"


def _lines(*actions: str, inhibitors=("inh01",), risk_factors=()) -> dict:
    return {
        "priority_actions": [
            {
                "action": a,
                "scope": "domestic",
                "inhibitors": list(inhibitors),
                "risk_factors": list(risk_factors),
            }
            for a in actions
        ]
    }


def _tracked(country: str, versions: list[tuple[dict, Visibility]], network: Network = Network.GOVERNMENT):
    """An assessment whose versions were submitted: their actions are recorded as submitting does."""
    assessment = make_assessment(country, network, versions=versions)
    for number, (answers, _visibility) in enumerate(versions, start=1):
        record_actions(assessment.id, number, answers)
    return assessment


def _action(assessment, text: str) -> PriorityAction:
    return db.session.scalar(
        select(PriorityAction).where(
            PriorityAction.assessment_id == assessment.id, PriorityAction.key == action_key(text)
        )
    )


def test_submitting_records_the_actions_and_the_dashboard_follows_them(member_client, member):
    assessment = _tracked(
        "GHA",
        [
            (_lines("Create a prevention committee", "Train border police"), Visibility.PRIVATE),
            (
                _lines("Create a  PREVENTION committee", "Fund radio programmes", risk_factors=["rf01"]),
                Visibility.PRIVATE,
            ),
        ],
    )
    committee = _action(assessment, "create a prevention committee")
    assert (committee.first_version, committee.last_version) == (1, 2)  # the same action, reworded in case
    police = _action(assessment, "Train border police")
    assert (police.first_version, police.last_version) == (1, 1)

    base = f"/assessments/{assessment.id}/priorities"
    response = post_form(
        member_client,
        f"{base}/{police.id}/review",
        {
            f"r{police.id}-status": "dropped",
            f"r{police.id}-reviewed_on": "2027-01-15",
            f"r{police.id}-note": "No budget",
        },
        form_page=base,
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#action-{police.id}")
    post_form(
        member_client,
        f"{base}/{committee.id}/milestones",
        {f"m{committee.id}-title": "Decree signed", f"m{committee.id}-due_on": "2027-06-30"},
        form_page=base,
    )
    milestone = db.session.scalar(select(ActionMilestone).where(ActionMilestone.action_id == committee.id))
    assert milestone.title == "Decree signed"
    post_form(member_client, f"{base}/milestones/{milestone.id}/reached", {}, form_page=base)
    db.session.refresh(milestone)
    assert milestone.reached_on is not None

    page = member_client.get(base).get_data(as_text=True)
    assert "1 action carried over into version 2" in page
    assert "1 action dropped" in page and "0 actions done" in page
    assert "No budget" in page and "Decree signed" in page and "No longer in the latest version" in page
    # Inhibitor 1 and risk factor 1 have actions; the others are listed as without one.
    gaps = page[page.index("Sources of resilience without an action") : page.index("<h2>Actions</h2>")]
    assert gaps.count("<li>") == 6 + 13
    actions = {e.action for e in db.session.scalars(select(AuditEvent)) if e.action.startswith("assessment.")}
    assert {
        "assessment.action_reviewed",
        "assessment.milestone_added",
        "assessment.milestone_reached",
    } <= actions


def test_a_review_needs_a_known_status_and_a_date(member_client):
    assessment = _tracked("GHA", [(_lines("Train border police"), Visibility.PRIVATE)])
    action = _action(assessment, "Train border police")
    base = f"/assessments/{assessment.id}/priorities"
    post_form(
        member_client, f"{base}/{action.id}/review", {f"r{action.id}-status": "finished"}, form_page=base
    )
    assert db.session.scalar(select(ActionReview)) is None


@pytest.mark.parametrize("who", ["other_network", "other_country", "admin"])
def test_the_dashboard_is_private_to_the_team(app, who):
    assessment = _tracked("GHA", [(_lines("Train border police"), Visibility.PUBLIC)])
    action = _action(assessment, "Train border police")
    outsider = {
        "other_network": lambda: make_member("GHA", Network.CIVIL_SOCIETY),
        "other_country": lambda: make_member("KEN"),
        "admin": lambda: make_member(None, admin=True),
    }[who]()
    client = app.test_client()
    login(client, outsider.email)
    base = f"/assessments/{assessment.id}/priorities"
    assert client.get(base).status_code == 404
    response = post_form(
        client, f"{base}/{action.id}/review", {f"r{action.id}-status": "done"}, form_page="/"
    )
    assert response.status_code == 404
    assert post_form(client, f"{base}/{action.id}/milestones", {}, form_page="/").status_code == 404
    anonymous = app.test_client().get(base)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_an_action_of_another_assessment_is_404(member_client):
    mine = _tracked("GHA", [(_lines("Mine"), Visibility.PRIVATE)])
    theirs = _tracked("KEN", [(_lines("Theirs"), Visibility.PRIVATE)])
    other = _action(theirs, "Theirs")
    base = f"/assessments/{mine.id}/priorities"
    response = post_form(
        member_client, f"{base}/{other.id}/review", {f"r{other.id}-status": "done"}, form_page=base
    )
    assert response.status_code == 404


def _brute_force(countries: list[str]) -> tuple[int, dict[ActionStatus, int]]:
    """Count by walking every version: the latest shared one of each assessment, the actions present
    in it (an action is present from the first version that lists it to the last, gaps included,
    as the model records it), and each action's latest review."""
    counts = dict.fromkeys(ActionStatus, 0)
    contributing: set[str] = set()
    versions = db.session.scalars(select(AssessmentVersion).order_by(AssessmentVersion.number)).all()
    latest_shared: dict[int, AssessmentVersion] = {}
    for version in versions:
        if version.visibility != Visibility.PRIVATE:
            latest_shared[version.assessment_id] = version
    listings: dict[tuple[int, str], list[int]] = {}
    for version in versions:
        for line in version.answers.get("priority_actions", []):
            listings.setdefault((version.assessment_id, action_key(line["action"])), []).append(
                version.number
            )
    for assessment_id, version in latest_shared.items():
        assessment = db.session.get(Assessment, assessment_id)
        if assessment.country_iso3 not in countries:
            continue
        listed = {
            key
            for (owner, key), numbers in listings.items()
            if owner == assessment_id and min(numbers) <= version.number <= max(numbers)
        }
        if listed:
            contributing.add(assessment.country_iso3)
        for key in listed:
            action = db.session.scalar(
                select(PriorityAction).where(
                    PriorityAction.assessment_id == assessment_id, PriorityAction.key == key
                )
            )
            reviews = db.session.scalars(
                select(ActionReview).where(ActionReview.action_id == action.id).order_by(ActionReview.id)
            ).all()
            counts[reviews[-1].status if reviews else ActionStatus.NOT_STARTED] += 1
    return len(contributing), counts


def test_regional_counts_match_a_brute_force_count_and_need_three_countries(member, member_client):
    rng = random.Random(19)
    scope = scope_of(find_place("m49", WEST_AFRICA))

    def counts():
        return shared_action_counts(scope).get(WEST_AFRICA)

    _tracked("GHA", [(_lines("A", "B"), Visibility.NETWORK)])
    _tracked("SEN", [(_lines("C"), Visibility.PUBLIC)])
    _tracked("NGA", [(_lines("D", "E", "F"), Visibility.PRIVATE)])  # never counted
    assert counts().suppressed
    page = member_client.get(f"/regions/m49/{WEST_AFRICA}").get_data(as_text=True)
    assert "Fewer than 3 countries have shared a strategy with priority actions" in page

    texts = [f"Action {n}" for n in range(12)]
    for country in ("CIV", "MLI", "NER", "BFA"):
        versions = []
        for _number in range(rng.randint(1, 3)):
            chosen = rng.sample(texts, rng.randint(1, 5))
            versions.append((_lines(*chosen), rng.choice(list(Visibility))))
        _tracked(country, versions, network=rng.choice(list(Network)))
    for action in db.session.scalars(select(PriorityAction)).all():
        for _review in range(rng.randint(0, 3)):
            review_action(action, rng.choice(list(ActionStatus)), date(2027, 1, 1), "", member)
    found = counts()
    countries, expected = _brute_force(["GHA", "SEN", "NGA", "CIV", "MLI", "NER", "BFA"])
    assert found is not None and (found.countries, found.counts) == (countries, expected)
    if not found.suppressed:
        page = member_client.get(f"/regions/m49/{WEST_AFRICA}").get_data(as_text=True)
        assert "Priority actions of shared strategies, by status" in page
        assert f"Done: {expected[ActionStatus.DONE]}" in page


def test_the_dashboard_and_the_editor_run_a_constant_number_of_queries(member_client):
    def queries(path: str) -> int:
        with count_queries() as statements:
            assert member_client.get(path).status_code == 200
        return len(statements)

    small = _tracked("GHA", [(_lines("One"), Visibility.PRIVATE)])
    large = _tracked(
        "GHA",
        [
            (_lines(*(f"Action {n}" for n in range(10))), Visibility.PRIVATE),
            (_lines("Action 1"), Visibility.PRIVATE),
        ],
    )
    for action in db.session.scalars(select(PriorityAction).where(PriorityAction.assessment_id == large.id)):
        db.session.add(ActionMilestone(action_id=action.id, title="Step"))
    db.session.flush()
    assert queries(f"/assessments/{small.id}/priorities") == queries(f"/assessments/{large.id}/priorities")
    draft_small = make_assessment("GHA", draft={})
    draft_large = make_assessment("GHA", draft={f"rf{n:02d}_evidence": "x" for n in range(1, 15)})
    edit = "/assessments/{}/edit?section=assessment"
    assert queries(edit.format(draft_small.id)) == queries(edit.format(draft_large.id))


def test_the_migration_reads_the_actions_of_versions_already_submitted(tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from r2p_network import create_app
    from r2p_network.reference import load_reference_data

    other = create_app(
        {"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite"}
    )
    with other.app_context():
        upgrade(revision="4f1c9a7e2d60")
        with Session(db.engine) as session:  # not the test's session, which is bound to the suite's database
            load_reference_data(session)
            session.commit()
        with db.engine.begin() as connection:
            template = connection.execute(
                text("SELECT id FROM template_version ORDER BY id LIMIT 1")
            ).scalar()
            connection.execute(
                text(
                    "INSERT INTO assessment (id, country_iso3, network, title, template_version_id, status, "
                    "answers, lock_version, created_at, updated_at) VALUES (1, 'GHA', 'government', 'T', :t, "
                    "'submitted', '{}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"t": template},
            )
            for number, answers in ((1, _lines("Keep it", "Drop it")), (2, _lines("keep  IT", "New one"))):
                connection.execute(
                    text(
                        "INSERT INTO assessment_version (assessment_id, number, template_version_id, "
                        "answers, visibility, element1_complete, element2_complete, element3_complete, "
                        "element4_complete, submitted_at) "
                        "VALUES (1, :n, :t, :a, 'private', 0, 0, 0, 0, '2026-01-01 00:00:00')"
                    ),
                    {"n": number, "t": template, "a": json.dumps(answers)},
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT action, first_version, last_version FROM priority_action ORDER BY id")
            ).all()
        assert [tuple(r) for r in rows] == [("keep IT", 1, 2), ("Drop it", 1, 1), ("New one", 2, 2)]
        downgrade(revision="4f1c9a7e2d60")
        db.engine.dispose()
