"""The sessions page names devices readably and signs out other devices, or every device, after a
confirmation step; recovery codes work with or without their dash and say when already used."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from r2p_network.account.devices import device_name
from r2p_network.auth import twofactor
from r2p_network.extensions import db
from r2p_network.models import AuditEvent, UserSession
from tests.conftest import enrol_two_factor, login, post_form
from tests.factories import DEFAULT_PASSWORD

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.6778.81 Mobile Safari/537.36"
)
SAMSUNG = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36"
)
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (FIREFOX_WINDOWS, "Firefox 133 on Windows"),
        (SAFARI_IPHONE, "Safari 17 on iPhone"),
        (EDGE_WINDOWS, "Edge 131 on Windows"),
        (CHROME_ANDROID, "Chrome 131 on Android"),
        (SAMSUNG, "Samsung Internet 25 on Android"),
        (CHROME_MAC, "Chrome 131 on macOS"),
        (FIREFOX_LINUX, "Firefox 132 on Linux"),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_device_names_are_readable(app, agent, name):
    with app.test_request_context():
        assert device_name(agent) == name


def _second_session(app, member, agent: str):
    other = app.test_client()
    login(other, member.email)
    newest = db.session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
    newest.user_agent = agent
    db.session.flush()
    return other


def _signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_sessions_page_names_browser_and_system(app, member_client, member):
    _second_session(app, member, FIREFOX_WINDOWS)
    page = member_client.get("/account/sessions").get_data(as_text=True)
    assert "Firefox 133 on Windows" in page
    assert ">Mozilla/5.0" not in page  # the raw string is only a tooltip


def test_sign_out_other_devices_after_confirmation(app, member_client, member):
    other = _second_session(app, member, SAFARI_IPHONE)
    third = _second_session(app, member, CHROME_ANDROID)
    page = member_client.get("/account/sessions").get_data(as_text=True)
    assert "/account/sessions/sign-out/others" in page and "/account/sessions/sign-out/everywhere" in page
    confirm = member_client.get("/account/sessions/sign-out/others")
    body = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "2 other devices will be signed out" in body
    assert 'action="/account/sessions/revoke-others"' in body
    assert _signed_in(other) and _signed_in(third)  # looking at the confirmation changes nothing
    response = post_form(
        member_client, "/account/sessions/revoke-others", {}, form_page="/account/sessions/sign-out/others"
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/sessions")
    assert _signed_in(member_client) and not _signed_in(other) and not _signed_in(third)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "session.revoked_others"))


def test_sign_out_everywhere_asks_first(app, member_client, member):
    other = _second_session(app, member, SAFARI_IPHONE)
    confirm = member_client.get("/account/sessions/sign-out/everywhere").get_data(as_text=True)
    assert 'action="/account/sessions/revoke-all"' in confirm and "this one too" in confirm
    assert member_client.get("/account/sessions/sign-out/elsewhere").status_code == 404
    post_form(
        member_client, "/account/sessions/revoke-all", {}, form_page="/account/sessions/sign-out/everywhere"
    )
    assert not _signed_in(member_client) and not _signed_in(other)


def test_revoking_needs_the_form_and_a_session(app, member_client):
    assert member_client.post("/account/sessions/revoke-others").status_code == 400
    stranger = app.test_client()
    assert stranger.get("/account/sessions/sign-out/others").status_code == 302  # to sign-in
    assert stranger.post("/account/sessions/revoke-others").status_code in (302, 400)


def _password_step(client, user):
    response = post_form(
        client, "/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD}, form_page="/auth/login"
    )
    assert response.headers["Location"].endswith("/auth/2fa")


def _code(client, code):
    return post_form(client, "/auth/2fa", {"code": code}, form_page="/auth/2fa", follow_redirects=True)


def test_recovery_codes_work_without_the_dash_and_say_when_used(app, member):
    enrol_two_factor(member)
    codes = twofactor.new_recovery_codes(member)
    db.session.commit()
    first = app.test_client()
    _password_step(first, member)
    assert _code(first, codes[0].replace("-", "")).request.path == "/"
    second = app.test_client()
    _password_step(second, member)
    used = _code(second, codes[0])
    page = used.get_data(as_text=True)
    assert used.status_code == 401 and "That recovery code has been used already" in page
    assert "Codes change every 30 seconds" not in page
    wrong = _code(second, "abcde-12345").get_data(as_text=True)
    assert "Codes change every 30 seconds" in wrong
    assert _code(second, " " + codes[1].upper().replace("-", " ") + " ").request.path == "/"


def test_recovery_code_check_outcomes(member):
    enrol_two_factor(member)
    codes = twofactor.new_recovery_codes(member)
    assert twofactor.verify_second_factor(member, "not a code") is twofactor.CodeCheck.REFUSED
    assert twofactor.verify_second_factor(member, codes[2].replace("-", "")) is twofactor.CodeCheck.ACCEPTED
    outcome = twofactor.verify_second_factor(member, codes[2])
    assert outcome is twofactor.CodeCheck.RECOVERY_CODE_USED and not outcome
