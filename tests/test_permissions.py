"""Capabilities held over a scope: no role tests outside the permissions package, the second factor for
every power, a scoped grant limiting what a member sees and decides, and a canary crawl of
every page for every role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from r2p_network import permissions
from r2p_network.extensions import db
from r2p_network.models import (
    AccessRequest,
    AccountStatus,
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    ContactVisibility,
    Network,
    SubmissionStatus,
    Visibility,
)
from r2p_network.permissions import Capability, Scope
from tests.conftest import crawl_paths, enrol_two_factor, example_path, login, next_totp_code, post_form
from tests.factories import DEFAULT_PASSWORD, make_assessment, make_lesson, make_member

ROOT = Path(__file__).resolve().parent.parent
ROLE_TEST = re.compile(r"is_admin|Role\.ADMIN|\.role\s*[!=]=|\brole\s*[!=]=")


def test_no_route_or_template_tests_the_role():
    """Routes and templates ask a capability question; only the permissions package knows roles."""
    files = [*ROOT.joinpath("r2p_network").rglob("*routes.py"), *ROOT.joinpath("templates").rglob("*.html")]
    assert len(files) > 50
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ROLE_TEST.search(line)
    ]
    assert offenders == []


def _power_rules(app):
    """Every route that needs a power beyond an ordinary member's."""
    rules = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint.startswith("admin.") or hasattr(view, "required_check"):
            rules.append(rule)
    return rules


def _request(client, rule):
    path = example_path(rule)
    return path, client.get(path) if "GET" in rule.methods else post_form(client, path, {})


def test_every_power_route_refuses_members_and_sessions_without_the_second_factor(app, member_client):
    rules = _power_rules(app)
    endpoints = {rule.endpoint for rule in rules}
    # The moved moderation and verification routes are guarded as the admin pages are.
    assert {"lessons.decide", "lessons.resolve_flag", "lessons.hide_content", "capacity.verify"} <= endpoints
    admin = make_member(None, admin=True)  # never enrolled: the session cannot prove the second factor
    db.session.commit()
    password_only = app.test_client()
    login(password_only, admin.email)
    for rule in rules:
        path, response = _request(member_client, rule)
        assert response.status_code == 403, path
        path, response = _request(password_only, rule)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/account/2fa/setup"), path


def test_enrolling_in_one_browser_does_not_upgrade_another(app):
    admin = make_member(None, admin=True)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, admin.email)
    login(second, admin.email)
    enrol_two_factor(admin)
    db.session.commit()
    post_form(
        first,
        "/account/reauth",
        {"password": DEFAULT_PASSWORD, "code": next_totp_code(admin)},
        form_page="/account/reauth",
    )
    assert first.get("/admin/users").status_code == 200
    response = second.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/reauth")
    assert b"Download as CSV" not in second.get("/focal-points/").data


def _category() -> CapacityCategory:
    return db.session.scalars(select(CapacityCategory).order_by(CapacityCategory.id)).first()


def _capacity_map(iso3: str, status: SubmissionStatus, description: str, *, restricted: bool = False):
    submission = CapacitySubmission(country_iso3=iso3, network=Network.GOVERNMENT, cycle=2026, status=status)
    db.session.add(submission)
    db.session.flush()
    db.session.add(
        CapacityEntry(
            submission_id=submission.id,
            category_id=_category().id,
            status=CapacityStatus.NEEDS,
            maturity=1,
            description=description,
            restricted=restricted,
        )
    )
    db.session.flush()
    from r2p_network.capacity.services import refresh_current_maps

    refresh_current_maps((iso3, Network.GOVERNMENT))
    return submission


def _pending_request(iso3: str, name: str) -> AccessRequest:
    user = make_member(iso3, name=name, status=AccountStatus.PENDING)
    request = AccessRequest(user_id=user.id, justification="I was named focal point by my ministry.")
    db.session.add(request)
    db.session.flush()
    return request


def test_a_grant_over_one_scope_limits_what_a_member_sees_and_decides(app, monkeypatch):
    """A regional role needs only grants: the routes and templates already follow the scope."""
    coordinator = make_member("GHA")
    enrol_two_factor(coordinator)
    author = make_member("KEN")
    scoped = (
        (Capability.MODERATE_LESSONS, Scope("m49", "002")),  # Africa
        (Capability.VERIFY_CAPACITY, Scope("org", "ecowas")),
        (Capability.REVIEW_ACCESS_REQUESTS, Scope("m49", "002")),
    )
    original = permissions.grants
    monkeypatch.setattr(
        permissions.core, "grants", lambda user: scoped if user.id == coordinator.id else original(user)
    )
    inside = make_lesson(author, status="submitted", title="Lesson from Kenya", countries=["KEN"])
    outside = make_lesson(author, status="submitted", title="Lesson from France", countries=["FRA"])
    senegal = _capacity_map("SEN", SubmissionStatus.SUBMITTED, "Senegal map to verify")
    kenya = _capacity_map("KEN", SubmissionStatus.SUBMITTED, "Kenya map to verify")
    ghana_request = _pending_request("GHA", "Applicant from Ghana")
    france_request = _pending_request("FRA", "Applicant from France")
    db.session.commit()
    client = app.test_client()
    login(client, coordinator.email)

    queue = client.get("/admin/moderation").get_data(as_text=True)
    assert "Lesson from Kenya" in queue and "Lesson from France" not in queue
    assert f"open=capacity-{senegal.id}" in queue and f"open=capacity-{kenya.id}" not in queue
    opened = client.get(f"/admin/moderation?open=capacity-{senegal.id}").get_data(as_text=True)
    assert "Senegal map to verify" in opened
    refused = client.get(f"/admin/moderation?open=capacity-{kenya.id}").get_data(as_text=True)
    assert "Kenya map to verify" not in refused
    requests = client.get("/admin/access-requests").get_data(as_text=True)
    assert "Applicant from Ghana" in requests and "Applicant from France" not in requests
    verification = client.get("/capacity/verification").get_data(as_text=True)
    assert "Senegal" in verification and "Kenya" not in verification

    # Outside the scope, the objects do not exist for the coordinator; inside, decisions work.
    decision = {f"l{outside.id}-decision": "approve"}
    assert post_form(client, f"/lessons/{outside.id}/decision", decision).status_code == 404
    assert post_form(client, f"/capacity/submissions/{kenya.id}/verify", {}).status_code == 404
    reject = {f"r{france_request.id}-reason": "Not a focal point."}
    assert post_form(client, f"/admin/access-requests/{france_request.id}/reject", reject).status_code == 404
    assert client.get(f"/lessons/{outside.id}").status_code == 404  # a waiting lesson is not public
    post_form(client, f"/capacity/submissions/{senegal.id}/verify", {}, form_page="/capacity/verification")
    db.session.expire_all()
    assert db.session.get(CapacitySubmission, senegal.id).status == SubmissionStatus.VERIFIED
    assert client.get(f"/lessons/{inside.id}").status_code == 200
    # Powers the grant does not name stay closed.
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert ghana_request.id


CANARIES = {
    "assessment": "CANARY-assessment-private-finding",
    "need": "CANARY-restricted-need",
    "unverified": "CANARY-unverified-map",
    "draft": "CANARY-lesson-draft",
    "hidden": "CANARY-hidden-comment",
    "phone": "+000 CANARY 0000",
}


@pytest.fixture
def canaries(app):
    """One of each private thing, with the ids the crawl needs."""
    team = make_member("GHA")
    owner = make_member("SEN", name="Owner of the phone")
    owner.profile.phone = CANARIES["phone"]
    owner.profile.phone_visibility = ContactVisibility.ADMINS
    assessment = make_assessment(
        versions=[({"rf01_evidence": CANARIES["assessment"]}, Visibility.PRIVATE)],
        draft={"rf01_evidence": CANARIES["assessment"]},
    )
    _capacity_map("SEN", SubmissionStatus.VERIFIED, CANARIES["need"], restricted=True)
    unverified = _capacity_map("KEN", SubmissionStatus.SUBMITTED, CANARIES["unverified"])
    author = make_member("KEN")
    draft = make_lesson(author, status="draft", title=CANARIES["draft"])
    published = make_lesson(author, title="Published lesson with a hidden comment")
    from flask import current_app

    from r2p_network.lessons import services

    moderator = make_member(None, admin=True)
    with current_app.test_request_context():
        comment = services.add_comment(published, author, CANARIES["hidden"])
        services.set_hidden(comment, moderator, "Off topic for this lesson.")
    db.session.commit()
    return {
        "team": team,
        "assessment_id": assessment.id,
        "number": 1,
        "submission_id": unverified.id,
        "lesson_id": draft.id,
        "comment_id": comment.id,
        "user_id": owner.id,
        "iso3": "SEN",
        "published": published.id,
    }


def test_canary_crawl_of_every_page_for_every_role(app, canaries):
    """No page shows a private thing to anyone not entitled to it, whatever the role or session."""
    admin_2fa = make_member(None, admin=True)
    enrol_two_factor(admin_2fa)
    admin_password_only = make_member(None, admin=True)
    same_country = make_member("GHA", Network.CIVIL_SOCIETY)
    other = make_member("FRA")
    db.session.commit()
    clients = {"anonymous": app.test_client()}
    for role, user in {
        "other_country": other,
        "same_country_other_network": same_country,
        "admin_password_only": admin_password_only,
        "admin": admin_2fa,
    }.items():
        clients[role] = app.test_client()
        assert login(clients[role], user.email).status_code == 302
    # What each role may see: the administrator with the second factor sees restricted needs,
    # unverified maps, drafts, hidden comments and administrators-only phones, never a private assessment.
    entitled = {"admin": {"need", "unverified", "draft", "hidden", "phone"}}
    paths = crawl_paths(app, canaries)
    assert len(paths) > 55
    seen: dict[str, set[str]] = {role: set() for role in clients}
    for role, client in clients.items():
        for path in paths:
            body = client.get(path, follow_redirects=True).get_data().decode("utf-8", "replace")
            for name, canary in CANARIES.items():
                if canary in body:
                    seen[role].add(name)
                    assert name in entitled.get(role, set()), (role, path, name)
    assert seen["admin"] == entitled["admin"]  # the canaries are really there for the entitled


def test_a_version_is_read_by_its_team_and_as_far_as_the_team_shared_it(app):
    """The version's own team reads a private version; others only what the team shared."""
    from flask_login import AnonymousUserMixin

    from r2p_network.models import AssessmentVersion

    assessment = make_assessment("GHA", versions=[({}, Visibility.PRIVATE), ({}, Visibility.NETWORK)])
    private, shared = db.session.scalars(
        select(AssessmentVersion)
        .where(AssessmentVersion.assessment_id == assessment.id)
        .order_by(AssessmentVersion.number)
    ).all()
    team = make_member("GHA")
    elsewhere = make_member("KEN")
    other_network = make_member("GHA", Network.CIVIL_SOCIETY)

    assert permissions.can_read_assessment_version(team, private)
    assert not permissions.can_read_assessment_version(elsewhere, private)
    assert not permissions.can_read_assessment_version(other_network, private)
    assert permissions.can_read_assessment_version(elsewhere, shared)
    assert not permissions.can_read_assessment_version(AnonymousUserMixin(), shared)
