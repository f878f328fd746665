"""Requesting access, approval, signing in and out, throttling and password reset."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from r2p_network.extensions import db
from r2p_network.models import (
    AccessRequest,
    AccountStatus,
    AuditEvent,
    FocalPointProfile,
    Network,
    RateLimitHit,
    RequestStatus,
    User,
    UserSession,
    utcnow,
)
from tests.conftest import csrf_token, login, post_form
from tests.factories import DEFAULT_PASSWORD, make_member

REQUEST = {
    "name": "Akosua Boateng",
    "email": "Akosua.Boateng@Example.org",
    "country": "GHA",
    "network": "civil_society",
    "title": "Programme Director",
    "institution": "West Africa Peace Centre",
    "justification": "Nominated by the national coalition as civil-society focal point.",
    "password": "ein langes Passwort für Accra",
    "confirm": "ein langes Passwort für Accra",
}


def _register(client, **overrides):
    return post_form(client, "/auth/register", {**REQUEST, **overrides}, form_page="/auth/register")


def test_request_approval_login_logout(client, admin_client, outbox):
    response = _register(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/register/done")
    user = db.session.scalar(select(User).where(User.email == "akosua.boateng@example.org"))
    assert user.status == AccountStatus.PENDING
    # The administrators are told.
    assert any("New request" in m.subject for m in outbox)

    # Before approval the requester cannot get in, and is told why.
    response = login(client, "akosua.boateng@example.org", REQUEST["password"])
    assert response.status_code == 403
    assert "waiting for an administrator" in response.get_data(as_text=True)

    page = admin_client.get("/admin/access-requests").get_data(as_text=True)
    assert "Akosua Boateng" in page and "West Africa Peace Centre" in page
    request_id = db.session.scalar(select(AccessRequest.id).where(AccessRequest.user_id == user.id))
    response = post_form(
        admin_client,
        f"/admin/access-requests/{request_id}/approve",
        {f"a{request_id}-country": "GHA", f"a{request_id}-network": "civil_society"},
        form_page="/admin/access-requests",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert user.status == AccountStatus.ACTIVE
    assert user.approved_at is not None
    assert outbox[-1].to == ["akosua.boateng@example.org"]
    assert "approved" in outbox[-1].body
    from r2p_network.models import Notification

    assert (
        db.session.scalar(select(Notification.kind).where(Notification.user_id == user.id))
        == "access_approved"
    )

    response = login(client, "akosua.boateng@example.org", REQUEST["password"])
    assert response.status_code == 302
    assert client.get("/admin/access-requests").status_code == 403  # signed in, not an admin

    post_form(client, "/auth/logout", {})
    assert client.get("/admin/access-requests").status_code == 302


def test_approval_can_correct_country_and_network(client, admin_client):
    _register(client)
    user = db.session.scalar(select(User).where(User.email == "akosua.boateng@example.org"))
    request_id = db.session.scalar(select(AccessRequest.id).where(AccessRequest.user_id == user.id))
    post_form(
        admin_client,
        f"/admin/access-requests/{request_id}/approve",
        {f"a{request_id}-country": "TGO", f"a{request_id}-network": "government"},
        form_page="/admin/access-requests",
    )
    db.session.expire_all()
    profile = db.session.get(FocalPointProfile, user.id)
    assert (profile.country_iso3, profile.network) == ("TGO", Network.GOVERNMENT)


def test_rejection_needs_a_reason_and_tells_the_requester(client, admin_client, outbox):
    _register(client)
    request = db.session.scalar(select(AccessRequest).order_by(AccessRequest.id.desc()))
    path = f"/admin/access-requests/{request.id}/reject"
    response = post_form(
        admin_client, path, {f"r{request.id}-reason": ""}, form_page="/admin/access-requests"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert request.status == RequestStatus.PENDING

    post_form(
        admin_client,
        path,
        {f"r{request.id}-reason": "Not a focal point."},
        form_page="/admin/access-requests",
    )
    db.session.expire_all()
    assert request.status == RequestStatus.REJECTED
    assert "Not a focal point." in outbox[-1].body
    # A decided request cannot be decided again.
    response = post_form(
        admin_client,
        f"/admin/access-requests/{request.id}/approve",
        {f"a{request.id}-country": "GHA", f"a{request.id}-network": "government"},
        form_page="/admin/access-requests",
        follow_redirects=True,
    )
    assert "already decided" in response.get_data(as_text=True)
    db.session.expire_all()
    assert request.status == RequestStatus.REJECTED


def test_registration_validates_every_field(client):
    response = _register(
        client,
        name="",
        email="not-an-email",
        country="ZZZ",
        network="army",
        justification="short",
        password="short",
        confirm="different",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Please correct the following" in page
    assert "Invalid email address" in page
    assert "Not a valid choice" in page
    assert "at least 12 characters" in page
    assert "The two passwords differ" in page
    assert db.session.scalar(select(func.count()).select_from(AccessRequest)) == 0


def test_registration_with_a_taken_email_reveals_nothing(client, member, outbox):
    response = _register(client, email=member.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/register/done")
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == member.email)) == 1
    assert outbox[-1].to == [member.email]


def test_password_policy(app):
    from r2p_network.auth.passwords import password_problems

    with app.test_request_context():
        assert password_problems("short") != []
        assert password_problems("Qwerty123456") != []  # in the common list, in any case
        assert password_problems("jane.doe@example.org", email="jane.doe@example.org") != []
        assert password_problems("Пароль для сети защиты") == []  # non-ASCII
        assert password_problems("a very long passphrase " * 20) == []  # 460 characters


def test_wrong_password_and_unknown_account_get_the_same_answer(client, member):
    wrong = login(client, member.email, "not the right password")
    unknown = login(client, "nobody@example.org", "not the right password")
    assert wrong.status_code == unknown.status_code == 401
    message = "The email address or password is not correct."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    # Same page apart from the CSRF token.
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", wrong.get_data(as_text=True)) == strip.sub("", unknown.get_data(as_text=True))


def test_failed_logins_are_throttled_per_account(app, client, member):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert login(client, member.email, "wrong password!!").status_code == 401
    throttled = login(client, member.email, DEFAULT_PASSWORD)  # even the right password waits
    assert throttled.status_code == 429
    assert "Too many failed attempts" in throttled.get_data(as_text=True)
    # Unknown accounts are throttled in the same way.
    for _ in range(limit):
        login(client, "ghost@example.org", "wrong password!!")
    assert login(client, "ghost@example.org", "wrong password!!").status_code == 429
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"login.failed", "login.throttled"} <= actions


def test_failed_logins_are_throttled_per_address(app, client):
    limit = app.config["LOGIN_MAX_FAILURES_PER_IP"]
    for n in range(limit):
        login(client, f"guess{n}@example.org", "wrong password!!")
    member = make_member("KEN")
    assert login(client, member.email, DEFAULT_PASSWORD).status_code == 429


def test_failures_outside_the_window_do_not_count(app, client, member):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(client, member.email, "wrong password!!")
    window = timedelta(minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"] + 1)
    db.session.execute(update(RateLimitHit).values(created_at=utcnow() - window))
    db.session.commit()
    assert login(client, member.email, DEFAULT_PASSWORD).status_code == 302


def test_post_without_csrf_token_is_refused(client, member):
    response = client.post("/auth/login", data={"email": member.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_cookie_replayed_after_logout_is_anonymous(client, member):
    login(client, member.email)
    cookie = client.get_cookie("r2p_session")
    assert client.get("/admin/access-requests").status_code == 403  # signed in
    post_form(client, "/auth/logout", {})
    client.set_cookie(cookie.key, cookie.value)
    response = client.get("/admin/access-requests")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_logout_ends_every_session_of_the_member(app, member_client, member):
    other = app.test_client()
    login(other, member.email)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 2
    post_form(member_client, "/auth/logout", {})
    assert other.get("/admin/access-requests").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_logout_is_post_only(member_client):
    assert member_client.get("/auth/logout").status_code == 405


def test_sign_in_starts_a_fresh_session(client, member):
    csrf_token(client)
    before = client.get_cookie("r2p_session").value
    login(client, member.email)
    assert client.get_cookie("r2p_session").value != before
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_idle_and_absolute_timeouts(app, member_client, member):
    assert member_client.get("/admin/access-requests").status_code == 403
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle))
    db.session.commit()
    assert member_client.get("/admin/access-requests").status_code == 302

    login(member_client, member.email)
    absolute = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"], minutes=1)
    db.session.execute(update(UserSession).values(created_at=utcnow() - absolute))
    db.session.commit()
    assert member_client.get("/admin/access-requests").status_code == 302


def test_deactivation_ends_sessions(member_client, member):
    member.status = AccountStatus.DEACTIVATED
    db.session.commit()
    assert member_client.get("/admin/access-requests").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_login_redirects_only_to_same_site_paths(client, member):
    for target in ("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = login(client, member.email, next_url=target)
        assert response.status_code == 302
        assert response.headers["Location"] == "/", target
        post_form(client, "/auth/logout", {})
    response = login(client, member.email, next_url="/admin/access-requests")
    assert response.headers["Location"] == "/admin/access-requests"


def test_password_reset_round_trip(app, client, member, outbox):
    response = post_form(client, "/auth/reset", {"email": member.email}, form_page="/auth/reset")
    assert response.status_code == 302
    link = re.search(r"http://127.0.0.1:5000(/auth/reset/\S+)", outbox[-1].body).group(1)

    # Signed in elsewhere: the reset must end that session too.
    other = app.test_client()
    login(other, member.email)

    new_password = "a brand new passphrase for Accra"
    response = post_form(client, link, {"password": new_password, "confirm": new_password}, form_page=link)
    assert response.status_code == 302
    assert other.get("/admin/access-requests").status_code == 302
    assert login(client, member.email).status_code == 401
    assert login(client, member.email, new_password).status_code == 302
    post_form(client, "/auth/logout", {})
    # The link worked once.
    response = client.get(link, follow_redirects=True)
    assert "invalid, used or expired" in response.get_data(as_text=True)


def test_reset_for_unknown_address_says_the_same_and_sends_nothing(client, outbox):
    response = post_form(
        client, "/auth/reset", {"email": "nobody@example.org"}, form_page="/auth/reset", follow_redirects=True
    )
    assert "If that address belongs to an active account" in response.get_data(as_text=True)
    assert outbox == []


def test_expired_or_forged_reset_links_fail(app, client, member):
    from r2p_network.auth.services import reset_token

    with app.test_request_context():
        token = reset_token(member)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(f"/auth/reset/{token}")
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert response.status_code == 302
    assert client.get(f"/auth/reset/{token}x").status_code == 302
    assert client.get(f"/auth/reset/{token}").status_code == 200


def test_password_is_rehashed_when_parameters_change(app, client, member):
    old_hash = member.password_hash
    app.config["ARGON2_TIME_COST"] = 2
    try:
        assert login(client, member.email).status_code == 302
    finally:
        app.config["ARGON2_TIME_COST"] = 1
    db.session.expire_all()
    assert member.password_hash != old_hash
    assert "t=2" in member.password_hash


def test_access_decisions_refuse_posts_without_the_csrf_token(client, admin_client):
    _register(client)
    request = db.session.scalar(select(AccessRequest).order_by(AccessRequest.id.desc()))
    response = admin_client.post(
        f"/admin/access-requests/{request.id}/approve",
        data={f"a{request.id}-country": "GHA", f"a{request.id}-network": "government"},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert request.status == RequestStatus.PENDING


def test_a_failure_half_way_through_a_save_leaves_nothing_behind(client, admin, monkeypatch):
    """The user, profile and access request are flushed before the mail step (to *admin*); it fails;
    all is undone."""
    from r2p_network.auth import services

    def broken_mail(*args, **kwargs):
        raise RuntimeError("mail template exploded")

    monkeypatch.setattr(services.emails, "send", broken_mail)
    response = _register(client)
    assert response.status_code == 500
    assert db.session.scalar(select(User).where(User.email == "akosua.boateng@example.org")) is None
    assert db.session.scalar(select(func.count()).select_from(AccessRequest)) == 0
    assert db.session.scalar(select(func.count()).select_from(FocalPointProfile)) == 0
