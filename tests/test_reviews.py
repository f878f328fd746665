"""Peer review: invitation (sharing the version if needed), comments per risk factor beside the
team's answers, replies, the overall note, closing; who may do what; notifications and audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from r2p_network.extensions import db
from r2p_network.models import (
    AssessmentVersion,
    AudienceKind,
    AuditEvent,
    Notification,
    PeerReview,
    ReviewComment,
    ReviewStatus,
    VersionShare,
    Visibility,
)
from tests.conftest import enrol_two_factor, login, post_form
from tests.factories import make_assessment, make_member
from tests.test_organisations import make_seat


@pytest.fixture
def review_setup(app, db_session):
    ghana, kenya, ivory_coast = make_member("GHA"), make_member("KEN"), make_member("CIV")
    office = make_seat(None, "Office officer")
    admin = make_member(None, admin=True)
    enrol_two_factor(admin)
    assessment = make_assessment(
        "GHA",
        versions=[
            (
                {"rf01_evidence": "Tensions before the vote", "rf04_evidence": "Hate speech"},
                Visibility.PRIVATE,
            )
        ],
    )
    db.session.commit()
    clients = {}
    for name, user in {
        "ghana": ghana,
        "kenya": kenya,
        "ivory_coast": ivory_coast,
        "office": office,
        "admin": admin,
    }.items():
        clients[name] = app.test_client()
        assert login(clients[name], user.email).status_code == 302
    return assessment, clients, {"ghana": ghana, "kenya": kenya, "office": office}


def _invite(client, assessment, **fields):
    page = f"/reviews/invite/{assessment.id}/1"
    return post_form(client, page, {"confirm": "y", **fields}, form_page=page)


def test_a_review_from_invitation_to_closing(app, review_setup):
    assessment, clients, _people = review_setup
    response = _invite(
        clients["ghana"],
        assessment,
        reviewer="team",
        country="KEN",
        network="government",
        message="Please look at the risk factors.",
        due_on="2027-01-31",
        recommendation="UPR recommendation on hate speech",
        recommendation_url="https://example.org/upr",
    )
    assert response.status_code == 302
    review = db.session.scalars(select(PeerReview)).one()
    shares = db.session.scalars(select(VersionShare)).all()
    assert [(s.audience, s.audience_key) for s in shares] == [(AudienceKind.TEAM, "KEN:government")]
    page = f"/reviews/{review.id}"
    kenya = clients["kenya"]
    body = kenya.get(page).get_data(as_text=True)
    assert "Tensions before the vote" in body and "UPR recommendation on hate speech" in body
    for target, text in (("rf01", "Say more about the sources."), ("rf04", "Which media outlets?")):
        assert (
            post_form(kenya, f"{page}/comments", {"target": target, "body": text}, form_page=page).status_code
            == 302
        )
    assert (
        post_form(
            kenya, f"{page}/note", {"overall_note": "A careful assessment."}, form_page=page
        ).status_code
        == 302
    )
    first = db.session.scalars(select(ReviewComment).order_by(ReviewComment.id)).first()
    ghana = clients["ghana"]
    answered = post_form(
        ghana, f"{page}/comments/{first.id}/reply", {f"c{first.id}-body": "Sources added."}, form_page=page
    )
    assert answered.status_code == 302
    body = ghana.get(page).get_data(as_text=True)
    assert "Which media outlets?" in body and "Sources added." in body and "A careful assessment." in body
    # Each side does only its own part.
    assert (
        post_form(
            ghana, f"{page}/comments", {"target": "rf01", "body": "Self-review"}, form_page=page
        ).status_code
        == 403
    )
    assert post_form(kenya, f"{page}/close", {}, form_page=page).status_code == 403
    assert post_form(ghana, f"{page}/close", {}, form_page=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(PeerReview, review.id).status == ReviewStatus.CLOSED
    assert (
        post_form(
            kenya, f"{page}/comments", {"target": "rf01", "body": "Too late"}, form_page=page
        ).status_code
        == 403
    )
    assert "Which media outlets?" in kenya.get(page).get_data(as_text=True)  # the comments stay
    kinds = {n.kind for n in db.session.scalars(select(Notification))}
    assert {
        "review_invited",
        "review_commented",
        "review_replied",
        "review_closed",
        "version_shared",
    } <= kinds
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {
        "review.invited",
        "review.commented",
        "review.note_saved",
        "review.replied",
        "review.closed",
    } <= actions


def test_outsiders_see_nothing_of_a_review(app, review_setup):
    assessment, clients, _people = review_setup
    _invite(clients["ghana"], assessment, reviewer="un_office")
    review = db.session.scalars(select(PeerReview)).one()
    page = f"/reviews/{review.id}"
    assert clients["office"].get(page).status_code == 200
    for outsider in ("ivory_coast", "kenya", "admin"):
        client = clients[outsider]
        assert client.get(page).status_code == 404, outsider
        assert post_form(client, f"{page}/comments", {"target": "rf01", "body": "x" * 5}).status_code == 404
        assert post_form(client, f"{page}/close", {}).status_code == 404
        assert client.get(f"/reviews/invite/{assessment.id}/1").status_code == 404
        assert "Tensions before the vote" not in client.get("/reviews/").get_data(as_text=True)
    # Withdrawing the share ends the reviewer's access.
    db.session.execute(VersionShare.__table__.update().values(withdrawn_at=db.func.now()))
    db.session.commit()
    assert clients["office"].get(page).status_code == 404


def test_a_team_cannot_invite_itself_and_must_confirm(app, review_setup):
    assessment, clients, _people = review_setup
    own = _invite(clients["ghana"], assessment, reviewer="team", country="GHA", network="government")
    assert own.status_code == 400
    page = f"/reviews/invite/{assessment.id}/1"
    unconfirmed = post_form(clients["ghana"], page, {"reviewer": "un_office"}, form_page=page)
    assert unconfirmed.status_code == 400
    assert db.session.scalars(select(PeerReview)).all() == []
    assert db.session.scalars(select(AssessmentVersion)).one().visibility == Visibility.PRIVATE


def test_the_review_page_runs_a_constant_number_of_queries(app, review_setup):
    from tests.conftest import count_queries

    assessment, clients, _people = review_setup
    _invite(clients["ghana"], assessment, reviewer="team", country="KEN", network="government")
    review = db.session.scalars(select(PeerReview)).one()
    page = f"/reviews/{review.id}"

    def queries() -> int:
        with count_queries() as statements:
            assert clients["ghana"].get(page).status_code == 200
        return len(statements)

    db.session.add(ReviewComment(review_id=review.id, target="rf01", body="One comment"))
    db.session.commit()
    few = queries()
    for n in range(20):
        db.session.add(ReviewComment(review_id=review.id, target=f"rf{n % 14 + 1:02d}", body=f"Comment {n}"))
    db.session.commit()
    assert queries() == few
    assert few <= 16
