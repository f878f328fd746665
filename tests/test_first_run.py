"""First run: the requester's acknowledgement, the administrators' notice, and the welcome page."""

from __future__ import annotations

from r2p_network.extensions import db
from r2p_network.models import User
from tests.conftest import enrol_two_factor, login, post_form
from tests.factories import make_member

REQUEST = {
    "name": "Awa Diallo",
    "email": "awa.diallo@example.org",
    "country": "SEN",
    "network": "civil_society",
    "title": "Legal adviser",
    "institution": "Dakar Human Rights Centre",
    "justification": "Named focal point by our coalition.",
    "password": "a long passphrase for Dakar 2026",
    "confirm": "a long passphrase for Dakar 2026",
}


def test_a_requester_is_acknowledged_and_the_notice_names_country_network_institution(client, admin, outbox):
    response = post_form(client, "/auth/register", REQUEST, form_page="/auth/register")
    assert response.status_code == 302
    to_requester = [m for m in outbox if m.to == [REQUEST["email"]]]
    (ack,) = to_requester
    assert ack.subject == "We received your request to join the R2P focal point network"
    assert "we will email you the decision" in ack.body
    (notice,) = [m for m in outbox if m.to == [admin.email]]
    assert "Country: Senegal" in notice.body
    assert "Network: Civil society" in notice.body
    assert "Institution: Dakar Human Rights Centre" in notice.body
    html = notice.alternatives[0][0]
    assert "Dakar Human Rights Centre" in html and html.lstrip().startswith("<!doctype html>")


def _new_member(**kwargs) -> User:
    user = make_member("GHA", **kwargs)
    user.welcomed_at = None  # approved, never signed in since
    db.session.flush()
    return user


def test_the_first_sign_in_after_approval_lands_on_the_welcome_page(client):
    user = _new_member()
    response = login(client, user.email, next_url="/lessons/")
    assert response.status_code == 302 and "/account/welcome" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Complete your profile" in page and "Turn on two-factor sign-in" in page
    assert (
        "0 of 3 steps done" in page
        and '<progress aria-labelledby="welcome-progress-label" max="3" value="0">' in page
    )
    assert "Required for your role" not in page
    done = post_form(client, "/account/welcome/done?next=/lessons/", {}, form_page="/account/welcome")
    assert done.status_code == 302 and done.headers["Location"].endswith("/lessons/")
    db.session.refresh(user)
    assert user.welcomed_at is not None
    post_form(client, "/auth/logout", {})
    again = login(client, user.email)
    assert "/account/welcome" not in again.headers["Location"]


def test_progress_counts_the_steps_done(member_client, member):
    member.welcomed_at = None
    member.profile.bio = "Twenty years in early warning."
    db.session.flush()
    post_form(
        member_client,
        "/account/notifications",
        {"lessons_frequency": "daily", "offers_frequency": "weekly"},
        form_page="/account/notifications",
    )
    page = member_client.get("/account/welcome").get_data(as_text=True)
    assert "2 of 3 steps done" in page


def test_administrators_must_turn_on_two_factor_before_finishing(app):
    admin = make_member(None, admin=True, email="new.admin@example.org")
    admin.welcomed_at = None
    db.session.flush()
    client = app.test_client()
    response = login(client, admin.email)
    assert "/account/welcome" in response.headers["Location"]
    page = client.get("/account/welcome").get_data(as_text=True)
    assert "Required for your role" in page and "of 2 steps done" in page  # no focal point profile
    refused = post_form(client, "/account/welcome/done", {}, form_page="/account/welcome")
    assert "/account/welcome" in refused.headers["Location"]
    db.session.refresh(admin)
    assert admin.welcomed_at is None
    enrol_two_factor(admin)
    assert post_form(client, "/account/welcome/done", {}, form_page="/account/welcome").status_code == 302
    db.session.refresh(admin)
    assert admin.welcomed_at is not None


def test_the_welcome_page_needs_a_signed_in_member_and_keeps_next_safe(app, member_client):
    assert app.test_client().get("/account/welcome").status_code == 302
    done = post_form(
        member_client, "/account/welcome/done?next=https://evil.example/", {}, form_page="/account/welcome"
    )
    assert "evil" not in done.headers["Location"]
