"""Assistance requests: the state machine, the walk through the routes, visibility, and counts."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select, update

from r2p_network import permissions
from r2p_network.assistance.services import TRANSITIONS, Action, RequestData, Side, create_request, take_step
from r2p_network.core.errors import StateError
from r2p_network.extensions import db
from r2p_network.models import (
    AssistanceNote,
    AssistanceRequest,
    AssistanceStatus,
    AuditEvent,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Lesson,
    LessonStatus,
    Network,
    Notification,
    SubmissionStatus,
)
from r2p_network.permissions import Capability, Scope
from tests.conftest import count_queries, enrol_two_factor, login, post_form
from tests.factories import make_member
from tests.test_capacity import make_map


def _entry(submission, kind: str) -> CapacityEntry:
    return db.session.scalar(
        select(CapacityEntry).where(
            CapacityEntry.submission_id == submission.id, CapacityEntry.status == CapacityStatus(kind)
        )
    )


@pytest.fixture
def maps(db_session):
    """Ghana needs early warning (openly) and training (restricted); Denmark offers both."""
    ghana = make_map(
        "GHA",
        2026,
        [("early-warning", "needs", 1, "Warning desk"), ("training", "needs", 1, "Secret need", True)],
    )
    denmark = make_map(
        "DNK", 2026, [("early-warning", "offers", 4, "Danish desk"), ("training", "offers", 3, "Academy")]
    )
    return ghana, denmark


def _offer(denmark, slug_position: int = 0) -> CapacityEntry:
    return list(
        db.session.scalars(
            select(CapacityEntry).where(CapacityEntry.submission_id == denmark.id).order_by(CapacityEntry.id)
        )
    )[slug_position]


def _need(ghana, restricted: bool) -> CapacityEntry:
    return db.session.scalar(
        select(CapacityEntry).where(
            CapacityEntry.submission_id == ghana.id, CapacityEntry.restricted.is_(restricted)
        )
    )


def test_every_illegal_transition_is_refused(app, maps):
    ghana, denmark = maps
    asker, giver = make_member("GHA"), make_member("DNK")
    outsider = make_member("KEN")
    users = {Side.REQUESTER: asker, Side.PROVIDER: giver}
    with app.test_request_context():
        request = create_request(
            asker,
            _offer(denmark),
            RequestData("Help", "Why", "2027", _need(ghana, False).id),
        )
        for state, action in itertools.product(AssistanceStatus, Action):
            for side, user in users.items():
                request.status = state
                step = TRANSITIONS.get((state, action))
                if step is not None and step[1] in (side, Side.EITHER):
                    take_step(request, user, action, "a reason")
                    assert request.status == step[0]
                else:
                    with pytest.raises(StateError):
                        take_step(request, user, action, "a reason")
                    assert request.status == state
            # People outside the two teams take no step at all.
            request.status = state
            with pytest.raises(StateError):
                take_step(request, outsider, action, "a reason")
        # A step taken on a stale page (a teammate moved the request meanwhile) is refused.
        request.status = AssistanceStatus.REQUESTED
        db.session.flush()
        db.session.execute(
            update(AssistanceRequest)
            .where(AssistanceRequest.id == request.id)
            .values(status=AssistanceStatus.WITHDRAWN)
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(StateError):
            take_step(request, giver, Action.ACCEPT)
        # A need must be the asking team's own, of the offered capacity; no team asks itself.
        kenya = make_map("KEN", 2026, [("early-warning", "needs", 1, "Kenyan need")])
        for who, need in ((asker, _entry(kenya, "needs")), (asker, _need(ghana, True)), (giver, None)):
            with pytest.raises(StateError):
                create_request(who, _offer(denmark), RequestData("x", "", "", need.id if need else None))
        # Declining and proposing need a text.
        for action in (Action.DECLINE, Action.PROPOSE):
            request.status = AssistanceStatus.REQUESTED
            with pytest.raises(StateError):
                take_step(request, giver, action, "  ")
    # The final states allow nothing; every state but the final ones allows a step.
    finals = {AssistanceStatus.DECLINED, AssistanceStatus.CLOSED, AssistanceStatus.WITHDRAWN}
    assert {state for state, _action in TRANSITIONS} == set(AssistanceStatus) - finals


def test_a_request_from_an_offer_to_a_closed_assistance_and_draft_lessons(app, maps, outbox):
    ghana, denmark = maps
    asker, giver = make_member("GHA"), make_member("DNK")
    db.session.commit()
    a, g = app.test_client(), app.test_client()
    login(a, asker.email)
    login(g, giver.email)
    offer = _offer(denmark)
    # From a match (a country and a capacity) to the offer.
    found = a.get("/assistance/new?country=DNK&category=early-warning")
    assert found.headers["Location"].endswith(f"/assistance/new?offer={offer.id}")
    path = f"/assistance/new?offer={offer.id}"
    page = a.get(path).get_data(as_text=True)
    assert "Danish desk" in page and "Denmark" in page and "Warning desk" in page
    assert "Secret need" not in page  # a need of another capacity
    assert post_form(a, path, {"what": "", "why": ""}, form_page=path).status_code == 400
    response = post_form(
        a,
        path,
        {
            "what": "Train our desk",
            "why": "Elections",
            "timeframe": "2027",
            "need": str(_need(ghana, False).id),
        },
        form_page=path,
    )
    request = db.session.scalar(select(AssistanceRequest))
    base = f"/assistance/{request.id}"
    assert response.headers["Location"].endswith(base)
    assert (request.requester_iso3, request.provider_iso3, request.status) == (
        "GHA",
        "DNK",
        AssistanceStatus.REQUESTED,
    )
    assert (
        db.session.scalar(select(Notification.kind).where(Notification.user_id == giver.id))
        == "assistance_requested"
    )
    # The asking team cannot accept its own request; the offering team can.
    response = post_form(a, f"{base}/step", {"action": "accept"}, form_page=base, follow_redirects=True)
    assert "not possible now" in response.get_data(as_text=True)
    response = post_form(
        g, f"{base}/step", {"action": "decline", "text": ""}, form_page=base, follow_redirects=True
    )
    assert "Give a reason" in response.get_data(as_text=True)
    post_form(g, f"{base}/step", {"action": "propose", "text": "A webinar instead"}, form_page=base)
    db.session.expire_all()
    assert request.status == AssistanceStatus.COUNTER_PROPOSED
    assert "A webinar instead" in a.get(base).get_data(as_text=True)
    for client, action, state in (
        (a, "accept", AssistanceStatus.ACCEPTED),
        (g, "start", AssistanceStatus.UNDER_WAY),
        (g, "deliver", AssistanceStatus.DELIVERED),
    ):
        post_form(client, f"{base}/step", {"action": action}, form_page=base)
        db.session.expire_all()
        assert request.status == state
    post_form(
        a,
        f"{base}/notes",
        {"body": "Report attached", "link": "https://example.org/report.pdf"},
        form_page=base,
    )
    bad = post_form(
        a, f"{base}/notes", {"body": "", "link": "javascript:alert(1)"}, form_page=base, follow_redirects=True
    )
    assert "javascript:" not in bad.get_data(as_text=True).split("Notes and documents")[-1]
    page = g.get(base).get_data(as_text=True)
    assert "Report attached" in page and 'href="https://example.org/report.pdf"' in page
    # Withdrawing after delivery is refused; closing is the asking team's.
    post_form(g, f"{base}/step", {"action": "withdraw"}, form_page=base)
    post_form(g, f"{base}/step", {"action": "close"}, form_page=base)
    db.session.expire_all()
    assert request.status == AssistanceStatus.DELIVERED
    post_form(a, f"{base}/step", {"action": "close"}, form_page=base)
    db.session.expire_all()
    assert request.status == AssistanceStatus.CLOSED and request.closed_at is not None
    lessons = list(db.session.scalars(select(Lesson).order_by(Lesson.id)))
    assert [lesson.author_id for lesson in lessons] == [asker.id, giver.id]
    assert all(lesson.status == LessonStatus.DRAFT for lesson in lessons)
    assert "Denmark" in lessons[0].title and "Ghana" in lessons[0].title
    assert lessons[0].period_start == request.created_at.year
    actions = set(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "assistance_request"))
    )
    assert {
        "assistance.requested",
        "assistance.propose",
        "assistance.accept",
        "assistance.close",
        "assistance.note_added",
    } <= actions
    assert (
        db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.kind == "assistance_lesson")
        )
        == 2
    )


def test_a_team_cannot_ask_itself_and_hidden_offers_are_not_found(app, maps):
    ghana, denmark = maps
    giver = make_member("DNK")
    db.session.commit()
    g = app.test_client()
    login(g, giver.email)
    own = g.get(f"/assistance/new?offer={_offer(denmark).id}")
    assert own.status_code == 302 and own.headers["Location"].endswith("/capacity/")
    # A need is not an offer, and an unverified map's offer is not on the map.
    assert g.get(f"/assistance/new?offer={_need(ghana, False).id}").status_code == 404
    draft = make_map("KEN", 2026, [("mediation", "offers", 2)], status="draft")
    db.session.commit()
    assert g.get(f"/assistance/new?offer={_entry(draft, 'offers').id}").status_code == 404
    assert g.get("/assistance/new?country=KEN&category=mediation").status_code == 404
    # Administrators without a team do not ask.
    admin = make_member(None, admin=True)
    enrol_two_factor(admin)
    db.session.commit()
    c = app.test_client()
    login(c, admin.email)
    assert c.get(f"/assistance/new?offer={_offer(denmark).id}").status_code == 403


def _as(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


def _coordinators(monkeypatch, held: dict[int, tuple[Capability, ...]]):
    """Stand-in for the coordinators' grants until they exist: each user id holds its
    capabilities over Africa (M49 002)."""
    real = permissions.grants

    def grants(member):
        capabilities = held.get(getattr(member, "id", None))
        if capabilities is None:
            return real(member)
        return tuple((capability, Scope("m49", "002")) for capability in capabilities)

    monkeypatch.setattr(permissions.core, "grants", grants)


@pytest.mark.parametrize("restricted", [False, True])
def test_who_reads_a_request(app, maps, monkeypatch, restricted):
    ghana, denmark = maps
    asker = make_member("GHA")
    readers = {
        "asking team": (make_member("GHA"), True),
        "offering team": (make_member("DNK"), True),
        "same country, other network": (make_member("GHA", Network.CIVIL_SOCIETY), False),
        "another team": (make_member("KEN"), False),
    }
    admin = make_member(None, admin=True)
    overseer = make_member(None)
    overseer_restricted = make_member(None)
    for user in (admin, overseer, overseer_restricted):
        enrol_two_factor(user)
    with app.test_request_context():
        offer = _offer(denmark, 1 if restricted else 0)
        request = create_request(asker, offer, RequestData("Help us", "Why", "", _need(ghana, restricted).id))
    db.session.commit()
    assert request.restricted is restricted
    readers["administrator"] = (admin, True)
    readers["overseer of Africa"] = (overseer, not restricted)
    readers["overseer of Africa who sees restricted needs"] = (overseer_restricted, True)
    _coordinators(
        monkeypatch,
        {
            overseer.id: (Capability.OVERSEE_ASSISTANCE,),
            overseer_restricted.id: (Capability.OVERSEE_ASSISTANCE, Capability.SEE_RESTRICTED_NEEDS),
        },
    )
    for who, (user, allowed) in readers.items():
        client = _as(app, user)
        detail = client.get(f"/assistance/{request.id}")
        listing = client.get("/assistance/").get_data(as_text=True)
        assert detail.status_code == (200 if allowed else 404), who
        assert ("Help us" in listing) is allowed, who
        assert post_form(
            client, f"/assistance/{request.id}/notes", {"body": "x"}, form_page="/"
        ).status_code == (302 if who in ("asking team", "offering team") else 403 if allowed else 404), who
        if allowed:
            page = detail.get_data(as_text=True)
            sees_need = not restricted or who in (
                "asking team",
                "administrator",
                "overseer of Africa who sees restricted needs",
            )
            need_text = "Secret need" if restricted else "Warning desk"
            assert (need_text in page) is sees_need, who
    # Overseers' reads of other teams' exchanges are audited.
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "assistance.viewed")
        )
        >= 1
    )


def test_country_and_regional_pages_count_assistance_without_details(app, maps, member_client):
    ghana, denmark = maps
    asker = make_member("GHA")
    with app.test_request_context():
        states = [
            AssistanceStatus.UNDER_WAY,
            AssistanceStatus.DELIVERED,
            AssistanceStatus.CLOSED,
            AssistanceStatus.REQUESTED,
        ]
        for state in states:
            r = create_request(
                asker,
                _offer(denmark),
                RequestData(f"Detail {state}", "", "", None),
            )
            r.status = state
        hidden = create_request(
            asker,
            _offer(denmark, 1),
            RequestData("Hidden", "", "", _need(ghana, True).id),
        )
        hidden.status = AssistanceStatus.UNDER_WAY
    db.session.commit()
    from r2p_network.assistance.queries import counts_by_capacity
    from r2p_network.core.geography import country_scope, region_scope

    assert counts_by_capacity(country_scope("GHA")) == {"early-warning": (1, 2)}
    assert counts_by_capacity(region_scope("150")) == {"early-warning": (1, 2)}  # Denmark, in Europe
    assert counts_by_capacity(region_scope("142")) == {}  # Asia
    page = member_client.get("/countries/GHA").get_data(as_text=True)
    assert "Assistance between teams" in page and "Detail" not in page
    region = member_client.get("/regions/m49/002").get_data(as_text=True)
    assert "Assistance between teams" in region and "Detail" not in region


def test_pages_ask_for_a_sign_in_and_run_a_constant_number_of_queries(app, client, maps):
    _ghana, denmark = maps
    asker = make_member("GHA")
    assert client.get("/assistance/").status_code == 302
    assert client.get(f"/assistance/new?offer={_offer(denmark).id}").status_code == 302
    with app.test_request_context():
        first = create_request(asker, _offer(denmark), RequestData("First", "", "", None))
    db.session.commit()
    login(client, asker.email)
    counts = []
    for n in range(2):
        with count_queries() as statements:
            assert client.get("/assistance/").status_code == 200
            assert client.get(f"/assistance/{first.id}").status_code == 200
        counts.append(len(statements))
        with app.test_request_context():
            for _k in range(3):
                create_request(asker, _offer(denmark), RequestData(f"More {n}", "", "", None))
                db.session.add(AssistanceNote(request_id=first.id, body="note"))
        db.session.commit()
    assert counts[0] == counts[1], counts


def test_the_demo_has_requests_in_several_states_and_a_map_under_revision(app, db_session):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo password for tests"])
    assert result.exit_code == 0, result.output
    states = set(db.session.scalars(select(AssistanceRequest.status)))
    assert states == {
        AssistanceStatus.COUNTER_PROPOSED,
        AssistanceStatus.UNDER_WAY,
        AssistanceStatus.DELIVERED,
        AssistanceStatus.CLOSED,
    }
    for request in db.session.scalars(select(AssistanceRequest)):
        assert request.requester_iso3 != request.provider_iso3 and not request.restricted
    revision = db.session.scalar(select(CapacitySubmission).where(CapacitySubmission.revises_id.is_not(None)))
    assert revision.status == SubmissionStatus.DRAFT and not revision.is_current
    assert db.session.get(CapacitySubmission, revision.revises_id).is_current
