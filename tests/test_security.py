"""Account security: two-factor sign-in, re-authentication, sessions, headers and mass assignment."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from r2p_network.auth import twofactor
from r2p_network.extensions import db
from r2p_network.models import (
    AccessRequest,
    AccountStatus,
    Assessment,
    AuditEvent,
    CapacitySubmission,
    Network,
    RecoveryCode,
    Role,
    User,
    UserSession,
    Visibility,
)
from tests.conftest import crawl_paths, enrol_two_factor, login, next_totp_code, post_form
from tests.factories import DEFAULT_PASSWORD, make_assessment, make_lesson, make_member


def _password_step(client, user):
    response = post_form(
        client, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, form_page="/auth/login"
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/2fa")


def _code(client, code):
    return post_form(client, "/auth/2fa", {"code": code}, form_page="/auth/2fa")


def _signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_password_alone_does_not_sign_in_an_enrolled_member(client, member):
    enrol_two_factor(member)
    _password_step(client, member)
    assert not _signed_in(client)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_a_code_works_once(app, client, member):
    secret = enrol_two_factor(member)
    _password_step(client, member)
    code = pyotp.TOTP(secret).now()
    assert _code(client, code).status_code == 302
    assert _signed_in(client)
    other = app.test_client()
    _password_step(other, member)
    replay = _code(other, code)
    assert replay.status_code == 401
    assert "each works once" in replay.get_data(as_text=True)
    assert not _signed_in(other)


def test_codes_outside_the_window_are_rejected(client, member):
    secret = enrol_two_factor(member)
    now = time.time()
    totp = pyotp.TOTP(secret)
    assert twofactor.matching_step(secret, totp.at(now - 90), None, now) is None
    assert twofactor.matching_step(secret, totp.at(now + 90), None, now) is None
    assert (
        twofactor.matching_step(secret, totp.at(now - 30), None, now) is not None
    )  # one step of drift is fine
    _password_step(client, member)
    assert _code(client, totp.at(now - 120)).status_code == 401
    assert _code(client, "12345x").status_code == 401


def test_recovery_code_works_once(app, member_client, member):
    secret = enrol_two_factor(member)
    codes = twofactor.new_recovery_codes(member)
    db.session.commit()
    assert len(codes) == 10 and db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10
    first = app.test_client()
    _password_step(first, member)
    assert _code(first, codes[0]).status_code == 302
    second = app.test_client()
    _password_step(second, member)
    assert _code(second, codes[0]).status_code == 401
    assert _code(second, codes[1].upper()).status_code == 302
    assert secret  # the authenticator secret is unchanged by recovery


def test_second_factor_attempts_are_throttled(app, client, member):
    enrol_two_factor(member)
    _password_step(client, member)
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        _code(client, "000000")
    db.session.refresh(member)
    assert _code(client, next_totp_code(member)).status_code == 429


def test_second_factor_step_expires(client, member):
    enrol_two_factor(member)
    _password_step(client, member)
    with client.session_transaction() as session:
        session["pending_2fa"]["at"] -= 301
        session.modified = True
    response = client.get("/auth/2fa")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")


def _password_checked_long_ago(client) -> None:
    with client.session_transaction() as session:
        session["reauth_at"] -= 301


def test_enrolment_flow(member_client, member, outbox):
    _password_checked_long_ago(member_client)
    assert member_client.get("/account/2fa/setup").headers["Location"].startswith("/account/reauth")
    post_form(member_client, "/account/reauth", {"password": DEFAULT_PASSWORD}, form_page="/account/reauth")
    page = member_client.get("/account/2fa/setup").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    wrong = post_form(member_client, "/account/2fa/setup", {"code": "000000"}, form_page=None)
    assert wrong.status_code == 400
    with member_client.session_transaction() as session:
        session["totp_pending_secret"] = secret
    # The form page regenerates the key on GET, so post without reloading it.
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    done = member_client.post(
        "/account/2fa/setup", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}
    )
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    db.session.expire_all()
    assert db.session.get(User, member.id).has_two_factor


def test_administrators_must_enrol_before_using_admin(app):
    admin = make_member(None, admin=True)
    client = app.test_client()
    login(client, admin.email)
    response = client.get("/admin/access-requests")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/2fa/setup")
    response = post_form(client, "/admin/access-requests/1/reject", {}, form_page="/")
    assert response.status_code == 302 and "/account/2fa/setup" in response.headers["Location"]
    enrol_two_factor(admin)  # in another browser: this session has still not proved the second factor
    db.session.commit()
    response = client.get("/admin/access-requests")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/reauth")
    post_form(
        client,
        "/account/reauth",
        {"password": DEFAULT_PASSWORD, "code": next_totp_code(admin)},
        form_page="/account/reauth",
    )
    assert client.get("/admin/access-requests").status_code == 200


def test_admin_resets_a_lost_device_and_it_is_audited(admin_client, admin, member):
    enrol_two_factor(member)
    db.session.commit()
    response = post_form(
        admin_client, f"/admin/users/{member.id}/reset-2fa", {}, form_page=f"/focal-points/{member.id}"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, member.id).has_two_factor
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two_factor.reset_by_admin"))
    assert event.actor_id == admin.id and event.object_id == str(member.id)


@pytest.mark.parametrize("path", ["/account/password", "/account/email", "/account/2fa/setup"])
def test_sensitive_changes_need_a_fresh_password(member_client, path):
    assert member_client.get(path).status_code == 200  # signing in just now checked the password
    _password_checked_long_ago(member_client)
    response = member_client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/reauth")
    wrong = post_form(
        member_client, "/account/reauth", {"password": "not my password"}, form_page="/account/reauth"
    )
    assert wrong.status_code == 401
    post_form(
        member_client,
        f"/account/reauth?next={path}",
        {"password": DEFAULT_PASSWORD},
        form_page="/account/reauth",
    )
    assert member_client.get(path).status_code == 200
    _password_checked_long_ago(member_client)
    assert member_client.get(path).status_code == 302


def test_reauth_asks_for_the_code_when_enrolled(app, member):
    enrol_two_factor(member)
    db.session.commit()
    client = app.test_client()
    login(client, member.email)
    response = post_form(
        client,
        "/account/reauth",
        {"password": DEFAULT_PASSWORD, "code": "000000"},
        form_page="/account/reauth",
    )
    assert response.status_code == 401
    db.session.refresh(member)
    response = post_form(
        client,
        "/account/reauth",
        {"password": DEFAULT_PASSWORD, "code": next_totp_code(member)},
        form_page="/account/reauth",
    )
    assert response.status_code == 302


def _reauth(client):
    post_form(client, "/account/reauth", {"password": DEFAULT_PASSWORD}, form_page="/account/reauth")


def test_changing_the_password_signs_out_other_devices_only(app, member_client, member):
    other = app.test_client()
    login(other, member.email)
    _reauth(member_client)
    new = "a completely new passphrase"
    response = post_form(
        member_client, "/account/password", {"password": new, "confirm": new}, form_page="/account/password"
    )
    assert response.status_code == 302
    assert _signed_in(member_client) and not _signed_in(other)


def test_changing_the_email_tells_the_old_address(member_client, member, outbox):
    _reauth(member_client)
    old = member.email
    post_form(
        member_client, "/account/email", {"email": "New.Address@example.org"}, form_page="/account/email"
    )
    link = re.search(r"http://127.0.0.1:5000(/account/email/confirm/\S+)", outbox[-1].body).group(1)
    post_form(member_client, link, {}, form_page=link)
    db.session.expire_all()
    assert db.session.get(User, member.id).email == "new.address@example.org"
    assert outbox[-1].to == [old]


def test_sessions_are_listed_and_revoked(app, member_client, member):
    other = app.test_client()
    login(other, member.email, next_url=None)
    page = member_client.get("/account/sessions").get_data(as_text=True)
    assert page.count("<tr>") == 3  # header + two sessions
    assert "this device" in page
    other_id = db.session.scalars(select(UserSession.id).order_by(UserSession.id.desc())).first()
    post_form(member_client, f"/account/sessions/{other_id}/revoke", {}, form_page="/account/sessions")
    assert not _signed_in(other) and _signed_in(member_client)
    stranger = make_member("KEN")
    stranger_client = app.test_client()
    login(stranger_client, stranger.email)
    mine = db.session.scalar(select(UserSession.id).where(UserSession.user_id == member.id))
    assert (
        post_form(stranger_client, f"/account/sessions/{mine}/revoke", {}, form_page="/").status_code == 404
    )
    post_form(member_client, "/account/sessions/revoke-all", {}, form_page="/account/sessions")
    assert not _signed_in(member_client)


REQUIRED_CSP = ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self' 'nonce-")


def _check_headers(response, signed_in: bool, path: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    for part in REQUIRED_CSP:
        assert part in csp, (path, part)
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["Referrer-Policy"] == "same-origin", path
    if signed_in:
        assert response.headers.get("Cache-Control") == "no-store", path


def test_every_route_sends_the_security_headers(app, client, member_client, member):
    """Every page, reached with real objects so that routes with ids answer 200, not 404."""
    assessment = make_assessment(member.profile.country_iso3, versions=[({}, Visibility.NETWORK)])
    lesson = make_lesson(member)
    submission = CapacitySubmission(country_iso3="GHA", network=Network.GOVERNMENT, cycle=2026)
    db.session.add(submission)
    db.session.commit()
    ids = {
        "assessment_id": assessment.id,
        "number": 1,
        "lesson_id": lesson.id,
        "submission_id": submission.id,
        "user_id": member.id,
        "iso3": "GHA",
        "published": lesson.id,
    }
    statuses = []
    for path in crawl_paths(app, ids):
        _check_headers(client.get(path), False, path)
        response = member_client.get(path)
        _check_headers(response, True, path)
        statuses.append(response.status_code)
    assert statuses.count(200) >= 40  # real pages, not error pages
    _check_headers(client.get("/no-such-page"), False, "404")


def test_nonces_differ_per_response(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_production_sends_hsts(monkeypatch):
    from r2p_network import create_app

    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("BASE_URL", "https://r2p.example.org")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", "OeP0lCAg9eydXPBmDaNC_aAhhvnFOmwmhnupe0z7BvE=")
    app = create_app("production")
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_registration_ignores_privileged_fields(client):
    data = {
        "name": "Sneaky Person",
        "email": "sneaky@example.org",
        "country": "GHA",
        "network": "government",
        "title": "Officer",
        "institution": "Ministry",
        "justification": "Please let me in, I am a focal point.",
        "password": "a long enough password",
        "confirm": "a long enough password",
        "role": "admin",
        "status": "active",
        "approved_at": "2020-01-01",
        "is_admin": "1",
    }
    post_form(client, "/auth/register", data, form_page="/auth/register")
    user = db.session.scalar(select(User).where(User.email == "sneaky@example.org"))
    assert user.role == Role.FOCAL_POINT and user.status == AccountStatus.PENDING and user.approved_at is None
    assert (
        db.session.scalar(select(AccessRequest).where(AccessRequest.user_id == user.id)).status.value
        == "pending"
    )


def test_new_assessment_ignores_team_and_status_fields(member_client):
    post_form(
        member_client,
        "/assessments/new",
        {
            "title": "Mine",
            "template": "national-strategy",
            "country_iso3": "FRA",
            "network": "parliament",
            "status": "submitted",
            "visibility": "public",
        },
        form_page="/assessments/new",
    )
    assessment = db.session.scalar(select(Assessment).where(Assessment.title == "Mine"))
    assert (assessment.country_iso3, assessment.network, assessment.status.value) == (
        "GHA",
        Network.GOVERNMENT,
        "draft",
    )
