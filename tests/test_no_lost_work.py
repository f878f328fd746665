"""No lost work: forms kept across an expired session or a password confirmation, and per-part
locking of assessment drafts (two teammates, different parts or the same one)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import func, select, update

from r2p_network.extensions import db
from r2p_network.models import Assessment, FormRecovery, Network, User, UserSession, utcnow
from tests.conftest import CSRF_RE, enrol_two_factor, login, next_totp_code, page_locks, post_form
from tests.factories import DEFAULT_PASSWORD, make_assessment, make_member

EDIT = "/assessments/{id}/edit?section=assessment"
RESUME_RE = re.compile(r'<form method="post" action="([^"]+)" class="resume-form"')
HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _expire(app) -> None:
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle))
    db.session.commit()


def _send_again(client, resume_path: str):
    """Open the resume page and do what its script (or its button) does."""
    return _post_kept(client, client.get(resume_path).get_data(as_text=True))


def _post_kept(client, page: str):
    """Post the kept fields of a resume page with its fresh CSRF token, as the browser does."""
    action = RESUME_RE.search(page).group(1)
    fields = [(name, value) for name, value in HIDDEN_RE.findall(page) if name != "csrf_token"]
    token = CSRF_RE.search(page).group(1)
    data: dict[str, list[str]] = {"csrf_token": [token]}
    for name, value in fields:
        data.setdefault(name, []).append(value.replace("&#34;", '"').replace("&amp;", "&"))
    return client.post(action.replace("&amp;", "&"), data=data)


def test_a_save_on_an_expired_session_completes_after_signing_in_with_the_second_factor(app, client):
    member = make_member("GHA")
    enrol_two_factor(member)
    db.session.commit()
    login(client, member.email)
    assessment = make_assessment(draft={})
    path = EDIT.format(id=assessment.id)
    locks = page_locks(client, path)
    token = CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)
    _expire(app)

    typed = "Forty minutes of careful evidence about the census tensions"
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "section_locks": locks,
            "rf01_evidence": typed,
            "rf01_judgement": "some_concern",
        },
    )
    assert response.status_code == 302
    target = response.headers["Location"]
    assert target.startswith("/auth/login?next=/auth/resume/")
    # The text is on the server, not in the cookie.
    assert typed not in (client.get_cookie("r2p_session").value or "")
    kept = db.session.scalar(select(FormRecovery))
    assert kept.user_id == member.id and ["rf01_evidence", typed] in kept.fields
    assert all(name != "csrf_token" for name, _value in kept.fields)
    assert db.session.get(Assessment, assessment.id).answers == {}

    resume = target.split("next=", 1)[1]
    signed_in = login(client, member.email, next_url=resume)
    assert signed_in.headers["Location"] == resume
    page = client.get(resume).get_data(as_text=True)
    assert typed in page and "Send it now" in page and re.search(r"js/resume\.([0-9a-f]{12}\.)?js", page)
    assert client.get(resume).headers["Location"] == "/"  # handed back once
    saved = _post_kept(client, page)
    assert db.session.scalar(select(func.count()).select_from(FormRecovery)) == 0
    assert saved.status_code == 302
    db.session.expire_all()
    answers = db.session.get(Assessment, assessment.id).answers
    assert answers["rf01_evidence"] == typed and answers["rf01_judgement"] == "some_concern"


def test_a_kept_form_is_handed_back_only_to_its_member_and_once(app, client):
    member, other = make_member("GHA"), make_member("GHA")
    db.session.commit()
    login(client, member.email)
    token = CSRF_RE.search(client.get("/account/preferences").get_data(as_text=True)).group(1)
    _expire(app)
    response = client.post(
        "/account/preferences", data={"csrf_token": token, "language": "fr", "time_zone": "UTC"}
    )
    resume = response.headers["Location"].split("next=", 1)[1]

    login(client, other.email)
    refused = client.get(resume)
    assert refused.status_code == 302 and refused.headers["Location"] == "/"
    assert db.session.scalar(select(func.count()).select_from(FormRecovery)) == 1

    client.post(
        "/auth/logout", data={"csrf_token": CSRF_RE.search(client.get("/").get_data(as_text=True)).group(1)}
    )
    login(client, member.email)
    assert _send_again(client, resume).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).language == "fr"
    assert client.get(resume).headers["Location"] == "/"  # used once


def test_a_form_without_a_valid_csrf_token_is_not_kept(app, client, member):
    login(client, member.email)
    _expire(app)
    response = client.post("/account/preferences", data={"csrf_token": "forged", "language": "fr"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(FormRecovery)) == 0


def _password_checked_long_ago(client) -> None:
    with client.session_transaction() as session:
        session["reauth_at"] -= 301


def _two_factor_client(app):
    member = make_member("GHA")
    enrol_two_factor(member)
    db.session.commit()
    client = app.test_client()
    login(client, member.email)
    return client, member


def test_reauthentication_then_new_recovery_codes_in_one_pass(app):
    client, member = _two_factor_client(app)
    _password_checked_long_ago(client)
    response = post_form(client, "/account/2fa/recovery-codes", {}, form_page="/account/")
    assert response.status_code == 302
    reauth = response.headers["Location"]
    assert reauth.startswith("/account/reauth?next=/auth/resume/")
    db.session.refresh(member)
    confirmed = post_form(
        client,
        reauth,
        {"password": DEFAULT_PASSWORD, "code": next_totp_code(member)},
        form_page="/account/reauth",
    )
    resume = confirmed.headers["Location"]
    assert resume.startswith("/auth/resume/")
    done = _send_again(client, resume)
    assert done.status_code == 200  # not "405 Method not allowed"
    assert len(re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.get_data(as_text=True))) == 10


def test_reauthentication_then_turning_two_factor_off(app):
    client, member = _two_factor_client(app)
    _password_checked_long_ago(client)
    response = post_form(client, "/account/2fa/disable", {}, form_page="/account/")
    db.session.refresh(member)
    confirmed = post_form(
        client,
        response.headers["Location"],
        {"password": DEFAULT_PASSWORD, "code": next_totp_code(member)},
        form_page="/account/reauth",
    )
    done = _send_again(client, confirmed.headers["Location"])
    assert done.status_code == 302 and done.headers["Location"] == "/account/"
    db.session.expire_all()
    assert not db.session.get(User, member.id).has_two_factor


def test_a_sign_in_minutes_ago_counts_as_a_recent_password_check(app):
    client, _member = _two_factor_client(app)
    done = post_form(client, "/account/2fa/recovery-codes", {}, form_page="/account/")
    assert done.status_code == 200


def _teammates(app):
    first, second = make_member("GHA", Network.GOVERNMENT), make_member("GHA", Network.GOVERNMENT)
    db.session.commit()
    clients = []
    for user in (first, second):
        client = app.test_client()
        login(client, user.email)
        clients.append(client)
    return clients


def test_two_teammates_saving_different_parts_never_conflict(app):
    one, two = _teammates(app)
    assessment = make_assessment(draft={})
    path = EDIT.format(id=assessment.id)
    locks_one, locks_two = page_locks(one, path), page_locks(two, path)
    first = post_form(
        one, path, {"section_locks": locks_one, "rf01_evidence": "Mine on factor 1"}, form_page=path
    )
    second = post_form(
        two, path, {"section_locks": locks_two, "rf02_evidence": "Theirs on factor 2"}, form_page=path
    )
    assert first.status_code == second.status_code == 302
    db.session.expire_all()
    answers = db.session.get(Assessment, assessment.id).answers
    assert answers["rf01_evidence"] == "Mine on factor 1" and answers["rf02_evidence"] == "Theirs on factor 2"


def test_the_same_part_shows_both_texts_and_each_choice_works(app):
    one, two = _teammates(app)
    assessment = make_assessment(draft={"rf01_evidence": "Original"})
    path = EDIT.format(id=assessment.id)
    locks_one, locks_two = page_locks(one, path), page_locks(two, path)
    post_form(
        one, path, {"section_locks": locks_one, "rf01_evidence": "First teammate's text"}, form_page=path
    )
    conflict = post_form(
        two,
        path,
        {
            "section_locks": locks_two,
            "rf01_evidence": "Second teammate's text",
            "rf03_evidence": "Factor 3 too",
        },
        form_page=path,
    )
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert "First teammate&#39;s text" in page and "Second teammate&#39;s text" in page
    assert "Take your teammate" in page and "Keep yours" in page
    db.session.expire_all()
    answers = db.session.get(Assessment, assessment.id).answers
    assert answers["rf01_evidence"] == "First teammate's text"  # not overwritten unseen
    assert answers["rf03_evidence"] == "Factor 3 too"  # the uncontested part is saved

    # Keep mine: the conflict page's form carries the current lock, so saving again writes it.
    locks = json.loads(
        re.search(r'name="section_locks" type="hidden" value="([^"]*)"', page).group(1).replace("&#34;", '"')
    )
    kept = post_form(
        two,
        path,
        {
            "section_locks": json.dumps(locks),
            "rf01_evidence": "Merged: both texts",
            "rf03_evidence": "Factor 3 too",
        },
        form_page=path,
    )
    assert kept.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).answers["rf01_evidence"] == "Merged: both texts"


def test_a_teammates_newer_text_in_a_part_left_untouched_is_kept(app):
    one, two = _teammates(app)
    assessment = make_assessment(draft={})
    path = EDIT.format(id=assessment.id)
    stale = page_locks(two, path)
    post_form(one, path, {"section_locks": page_locks(one, path), "rf02_evidence": "Newer"}, form_page=path)
    # The second page still shows factor 2 empty and sends it back empty: that is no change of theirs.
    response = post_form(two, path, {"section_locks": stale, "rf01_evidence": "Mine"}, form_page=path)
    assert response.status_code == 302
    db.session.expire_all()
    answers = db.session.get(Assessment, assessment.id).answers
    assert answers["rf02_evidence"] == "Newer" and answers["rf01_evidence"] == "Mine"


def test_background_save_answers_in_json_with_the_new_locks(app):
    one, two = _teammates(app)
    assessment = make_assessment(draft={})
    path = EDIT.format(id=assessment.id)
    headers = {"Accept": "application/json"}
    stale = page_locks(two, path)
    saved = post_form(
        one,
        path,
        {"section_locks": page_locks(one, path), "rf01_evidence": "Typed"},
        form_page=path,
        headers=headers,
    )
    assert saved.status_code == 200
    body = saved.get_json()
    assert body["saved"] == ["assessment.rf01"] and body["conflicts"] == []
    assert body["locks"]["assessment.rf01"].startswith("1:")
    clash = post_form(
        two, path, {"section_locks": stale, "rf01_evidence": "Other"}, form_page=path, headers=headers
    )
    assert clash.status_code == 409 and clash.get_json()["conflicts"] == ["assessment.rf01"]
    token = CSRF_RE.search(one.get(path).get_data(as_text=True)).group(1)
    _expire(app)
    signed_out = one.post(path, data={"csrf_token": token, "rf01_evidence": "x"}, headers=headers)
    assert signed_out.status_code == 401  # the script says so; the Save button then keeps the form
