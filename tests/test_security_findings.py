"""The findings of the outside probe (issue 18): each test fails without its fix."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from r2p_network.extensions import db
from r2p_network.models import RateLimitHit, utcnow
from tests.conftest import CSRF_RE, enrol_two_factor, example_path, login, next_totp_code, post_form
from tests.factories import DEFAULT_PASSWORD, make_member


def _password_step(client, user, password=DEFAULT_PASSWORD):
    return post_form(
        client, "/auth/login", {"email": user.email, "password": password}, form_page="/auth/login"
    )


def _code(client, code):
    return post_form(client, "/auth/2fa", {"code": code}, form_page="/auth/2fa")


def _age_hits(bucket: str, seconds: int) -> None:
    db.session.execute(
        update(RateLimitHit)
        .where(RateLimitHit.bucket == bucket)
        .values(created_at=utcnow() - timedelta(seconds=seconds))
    )
    db.session.commit()


# --- Second-factor throttling survives the password step -------------------------------------


def test_a_right_password_does_not_clear_wrong_codes(app, client, member):
    enrol_two_factor(member)
    for _ in range(app.config["SECOND_FACTOR_MAX_FAILURES"]):
        # Each round starts again with the (known) password, which used to wipe the count.
        assert _password_step(client, member).headers["Location"].endswith("/auth/2fa")
        assert _code(client, "000000").status_code == 401
    assert _password_step(client, member).status_code == 302
    db.session.refresh(member)
    locked = _code(client, next_totp_code(member))
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.get_data(as_text=True)
    assert int(locked.headers["Retry-After"]) > 0


def test_wrong_codes_count_per_account_whatever_the_address(app, member):
    enrol_two_factor(member)
    for n in range(app.config["SECOND_FACTOR_MAX_FAILURES"]):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        _password_step(other, member)
        _code(other, "000000")
    last = app.test_client()
    last.environ_base["REMOTE_ADDR"] = "198.51.100.200"
    _password_step(last, member)
    db.session.refresh(member)
    assert _code(last, next_totp_code(member)).status_code == 429


def test_the_second_step_opens_again_after_the_window(app, client, member):
    enrol_two_factor(member)
    _password_step(client, member)
    for _ in range(app.config["SECOND_FACTOR_MAX_FAILURES"]):
        _code(client, "000000")
    _age_hits("login.second_factor", app.config["LOGIN_FAILURE_WINDOW_MINUTES"] * 60 + 1)
    db.session.refresh(member)
    assert _code(client, next_totp_code(member)).status_code == 302


def test_reauthentication_counts_wrong_codes_too(app, member_client, member):
    enrol_two_factor(member)
    for _ in range(app.config["SECOND_FACTOR_MAX_FAILURES"]):
        response = post_form(
            member_client,
            "/account/reauth",
            {"password": DEFAULT_PASSWORD, "code": "000000"},
            "/account/reauth",
        )
        assert response.status_code == 401
    db.session.refresh(member)
    response = post_form(
        member_client,
        "/account/reauth",
        {"password": DEFAULT_PASSWORD, "code": next_totp_code(member)},
        "/account/reauth",
    )
    assert response.status_code == 429
    assert "Try again in" in response.get_data(as_text=True)


# --- Sign-in: progressive delays per account, limits per address ------------------------------


def test_five_wrong_passwords_do_not_lock_a_member_out_for_long(app, client, member):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert login(client, member.email, "wrong password!!").status_code == 401
    throttled = login(client, member.email, DEFAULT_PASSWORD)
    assert throttled.status_code == 429
    assert "30 seconds" in throttled.get_data(as_text=True)
    # Half a minute later the member signs in, though the failures are still in the window.
    _age_hits("login.account", app.config["LOGIN_DELAY_SECONDS"] + 1)
    assert login(client, member.email, DEFAULT_PASSWORD).status_code == 302


def test_each_further_failure_doubles_the_wait(app, client, member):
    first = app.config["LOGIN_DELAY_SECONDS"]
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(client, member.email, "wrong password!!")
    _age_hits("login.account", first + 1)
    assert login(client, member.email, "wrong password!!").status_code == 401  # the sixth failure
    _age_hits("login.account", first + 1)
    response = login(client, member.email, DEFAULT_PASSWORD)
    assert response.status_code == 429  # now a minute
    assert int(response.headers["Retry-After"]) > first - 5
    _age_hits("login.account", 2 * first + 1)
    assert login(client, member.email, DEFAULT_PASSWORD).status_code == 302


def test_the_address_limit_uses_the_client_behind_the_trusted_proxy(app, client, monkeypatch):
    from werkzeug.middleware.proxy_fix import ProxyFix

    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1))
    limit = app.config["LOGIN_MAX_FAILURES_PER_IP"]
    # A guesser behind the proxy, identified by the address the proxy saw.
    guesser = {"X-Forwarded-For": "203.0.113.9"}
    for n in range(limit):
        post_form(
            client,
            "/auth/login",
            {"email": f"guess{n}@example.org", "password": "wrong password!!"},
            "/auth/login",
            headers=guesser,
        )
    member = make_member("KEN")
    assert (
        post_form(
            client,
            "/auth/login",
            {"email": member.email, "password": DEFAULT_PASSWORD},
            "/auth/login",
            headers=guesser,
        ).status_code
        == 429
    )
    # Another client of the same proxy is not held back.
    other = {"X-Forwarded-For": "203.0.113.10"}
    assert (
        post_form(
            client,
            "/auth/login",
            {"email": member.email, "password": DEFAULT_PASSWORD},
            "/auth/login",
            headers=other,
        ).status_code
        == 302
    )
    hits = set(db.session.scalars(select(RateLimitHit.key).where(RateLimitHit.bucket == "login.address")))
    assert hits == {"203.0.113.9"}


# --- Links in emails never come from the Host header ----------------------------------------


def _reset_link(client, outbox, email, **headers) -> str:
    page = client.get("/auth/reset", headers=headers).get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    response = client.post("/auth/reset", data={"csrf_token": token, "email": email}, headers=headers)
    assert response.status_code == 302
    return re.search(r"https?://\S+", outbox[-1].body).group(0)


def test_reset_links_use_the_base_url_whatever_the_host_header(app, client, member, outbox):
    link = _reset_link(client, outbox, member.email, Host="attacker.example")
    assert link.startswith(app.config["BASE_URL"] + "/auth/reset/")
    assert "attacker" not in outbox[-1].body


def test_reset_links_ignore_a_forwarded_host_behind_the_proxy(app, client, member, outbox, monkeypatch):
    from werkzeug.middleware.proxy_fix import ProxyFix

    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1))
    monkeypatch.setitem(app.config, "BASE_URL", "https://r2p.example.org")
    link = _reset_link(
        client, outbox, member.email, **{"X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "http"}
    )
    assert link.startswith("https://r2p.example.org/auth/reset/")


def test_every_email_link_is_built_on_the_base_url(app, monkeypatch):
    from r2p_network.core import emails

    monkeypatch.setitem(app.config, "BASE_URL", "https://r2p.example.org/network")
    with app.test_request_context("/", headers={"Host": "attacker.example"}):
        assert emails.link("lessons.detail", lesson_id=7) == "https://r2p.example.org/network/lessons/7"
        assert emails.link("auth.login") == "https://r2p.example.org/network/auth/login"


def test_requests_for_unknown_hosts_are_refused(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["localhost", "r2p.example.org"])
    assert client.get("/", headers={"Host": "r2p.example.org"}).status_code == 200
    refused = client.get("/auth/reset", headers={"Host": "attacker.example"})
    assert refused.status_code == 400
    assert "does not answer to that host name" in refused.get_data(as_text=True)
    from werkzeug.middleware.proxy_fix import ProxyFix

    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_host=1))
    forwarded = client.get("/", headers={"X-Forwarded-Host": "attacker.example"})
    assert forwarded.status_code == 400


def test_production_needs_a_base_url(monkeypatch):
    import config

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://r2p@db/r2p")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", "OeP0lCAg9eydXPBmDaNC_aAhhvnFOmwmhnupe0z7BvE=")
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(config.ConfigurationError, match="BASE_URL"):
        config.load("production")
    monkeypatch.setenv("BASE_URL", "r2p.example.org")
    with pytest.raises(config.ConfigurationError, match="BASE_URL must look like"):
        config.load("production")
    monkeypatch.setenv("BASE_URL", "https://r2p.example.org")
    config.load("production")


# --- Robustness ------------------------------------------------------------------------------


def test_a_nul_byte_in_any_query_string_or_url_is_a_clear_400(app, client, member_client):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        path = example_path(rule)
        for browser in (client, member_client):
            response = browser.get(path + "?q=a%00b")
            assert response.status_code == 400, (path, response.status_code)
            assert "NUL character" in response.get_data(as_text=True), path
    assert member_client.get("/lessons/a%00b").status_code == 400
    assert member_client.get("/focal-points/?a%00=1").status_code == 400


def test_a_nul_byte_in_a_form_field_or_json_is_refused_and_not_stored(member_client, member):
    from r2p_network.models import Lesson

    response = post_form(
        member_client,
        "/profile",
        {"title": "Director\x00General", "institution": "Ministry"},
        form_page="/profile",
    )
    assert response.status_code == 400 and "NUL character" in response.get_data(as_text=True)
    db.session.refresh(member.profile)
    assert "\x00" not in member.profile.title
    response = member_client.post("/lessons/new", json={"title": "x", "sections": {"what\x00": ["a"]}})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


def test_deeply_nested_json_in_the_template_editor_is_a_validation_error(admin_client):
    for depth in (100, 100_000):
        response = post_form(
            admin_client,
            "/admin/templates/national-strategy",
            {"definition": "[" * depth + "]" * depth},
            form_page="/admin/templates/national-strategy",
        )
        assert response.status_code == 400
        assert "nested more than 16 levels deep" in response.get_data(as_text=True)


def test_deeply_nested_json_bodies_are_a_clear_400(member_client):
    response = member_client.post(
        "/lessons/new", data="[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400


# --- Throttling where abuse is cheap ----------------------------------------------------------


def _limit(app, monkeypatch, name: str, hits: int) -> None:
    monkeypatch.setitem(app.config["RATE_LIMITS"], name, (hits, 3600))


def _assert_throttled(response) -> None:
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many requests" in page and "Try again in" in page
    assert int(response.headers["Retry-After"]) > 0


def test_password_reset_requests_send_few_emails_and_say_the_same(client, member, outbox):
    answers = set()
    for _ in range(8):
        response = post_form(
            client, "/auth/reset", {"email": member.email}, "/auth/reset", follow_redirects=True
        )
        answers.add("If that address belongs to an active account" in response.get_data(as_text=True))
    assert answers == {True}
    assert len(outbox) == 3


def test_password_reset_requests_are_limited_per_address(app, client, monkeypatch):
    _limit(app, monkeypatch, "password_reset.address", 3)
    for n in range(3):
        assert (
            post_form(client, "/auth/reset", {"email": f"a{n}@example.org"}, "/auth/reset").status_code == 302
        )
    _assert_throttled(post_form(client, "/auth/reset", {"email": "a9@example.org"}, "/auth/reset"))


def test_access_requests_are_limited_per_address(app, client, monkeypatch):
    from tests.test_auth import REQUEST

    _limit(app, monkeypatch, "access_request", 2)
    for n in range(2):
        data = {**REQUEST, "email": f"applicant{n}@example.org"}
        assert post_form(client, "/auth/register", data, "/auth/register").status_code == 302
    data = {**REQUEST, "email": "applicant9@example.org"}
    _assert_throttled(post_form(client, "/auth/register", data, "/auth/register"))


def test_comments_and_flags_are_limited_per_member(app, member_client, monkeypatch):
    from tests.factories import make_lesson

    lesson = make_lesson(make_member("KEN"))
    _limit(app, monkeypatch, "comment", 2)
    _limit(app, monkeypatch, "flag", 1)
    path = f"/lessons/{lesson.id}/comments"
    for n in range(2):
        assert post_form(member_client, path, {"body": f"Useful point {n}"}).status_code == 302
    _assert_throttled(post_form(member_client, path, {"body": "One more"}))
    flag = f"/lessons/{lesson.id}/flag"
    assert post_form(member_client, flag, {"flag-reason": "Names a private person"}).status_code == 302
    other = make_lesson(make_member("KEN"))
    _assert_throttled(
        post_form(member_client, f"/lessons/{other.id}/flag", {"flag-reason": "Off topic here"})
    )


def test_searches_are_limited_but_browsing_is_not(app, member_client, monkeypatch):
    _limit(app, monkeypatch, "search", 2)
    client = app.test_client()  # a visitor, counted by address
    for _ in range(3):
        assert client.get("/lessons/?region=002").status_code == 200
    assert client.get("/lessons/?q=mediation").status_code == 200
    assert client.get("/lessons/?q=elections").status_code == 200
    _assert_throttled(client.get("/lessons/?q=courts"))
    # A member is counted on their own account, on both searches.
    assert member_client.get("/focal-points/?q=ministry").status_code == 200
    assert member_client.get("/lessons/?q=ministry").status_code == 200
    _assert_throttled(member_client.get("/focal-points/?q=justice"))


def test_exports_are_limited_per_member(app, member_client, monkeypatch):
    _limit(app, monkeypatch, "export", 2)
    assert member_client.get("/capacity/export.csv").status_code == 200
    assert member_client.get("/capacity/export.json").status_code == 200
    _assert_throttled(member_client.get("/capacity/export.xlsx"))


def test_limits_are_counted_in_the_database_for_every_worker(app, member, monkeypatch):
    # Two clients stand for two workers: they share nothing but the database.
    _limit(app, monkeypatch, "search", 1)
    assert app.test_client().get("/lessons/?q=mediation").status_code == 200
    _assert_throttled(app.test_client().get("/lessons/?q=mediation"))
    assert db.session.scalar(select(func.count()).where(RateLimitHit.bucket == "search")) == 1


def test_registration_does_the_same_hashing_for_new_and_registered_addresses(client, member, monkeypatch):
    from r2p_network.auth import passwords, services
    from tests.test_auth import REQUEST

    calls = []

    def counting_hash(password: str) -> str:
        calls.append(password)
        return passwords.hash_password(password)

    monkeypatch.setattr(services, "hash_password", counting_hash)
    monkeypatch.setattr(passwords, "burn_verification_time", lambda password: calls.append(password))
    post_form(client, "/auth/register", {**REQUEST, "email": "newcomer@example.org"}, "/auth/register")
    new_address = len(calls)
    post_form(client, "/auth/register", {**REQUEST, "email": member.email}, "/auth/register")
    assert new_address == 1
    assert len(calls) - new_address == new_address


# --- Changing the sign-in address is confirmed from the new address ---------------------------


def _reauth(client):
    post_form(client, "/account/reauth", {"password": DEFAULT_PASSWORD}, "/account/reauth")


def _ask_for(client, address):
    return post_form(client, "/account/email", {"email": address}, "/account/email", follow_redirects=True)


def test_a_new_address_takes_effect_only_from_its_link(app, member_client, member, outbox):
    _reauth(member_client)
    old = member.email
    page = _ask_for(member_client, "Amina.Owusu@Example.org").get_data(as_text=True)
    assert "We sent a link to amina.owusu@example.org" in page
    db.session.expire_all()
    assert db.session.get(type(member), member.id).email == old  # nothing changed yet
    message = outbox[-1]
    assert message.to == ["amina.owusu@example.org"]
    link = re.search(r"^http://127\.0\.0\.1:5000(/account/email/confirm/\S+)$", message.body, re.M).group(1)
    # Opening the link shows a button; a GET changes nothing.
    assert "amina.owusu@example.org" in member_client.get(link).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(member), member.id).email == old
    assert post_form(member_client, link, {}, form_page=link).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(member), member.id).email == "amina.owusu@example.org"
    assert outbox[-1].to == [old]
    # The link works once.
    used = member_client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "invalid, used or expired" in used


def test_the_page_does_not_reveal_whether_an_address_is_taken(member_client, member, outbox):
    make_member("KEN", email="taken@example.org")
    _reauth(member_client)
    strip = re.compile(r'value="[^"]*"|\S+@example\.org')
    taken = _ask_for(member_client, "taken@example.org")
    free = _ask_for(member_client, "free@example.org")
    assert taken.status_code == free.status_code == 200
    assert strip.sub("", taken.get_data(as_text=True)) == strip.sub("", free.get_data(as_text=True))
    # The owner of the taken address is told, and no link exists that could move the account there.
    to_taken = [m for m in outbox if m.to == ["taken@example.org"]]
    assert len(to_taken) == 1 and "/account/email/confirm/" not in to_taken[0].body


def test_a_confirmation_link_is_for_its_own_account_only(app, member, outbox):
    from itsdangerous import URLSafeTimedSerializer

    from r2p_network.account.services import EMAIL_CHANGE_SALT

    other = make_member("KEN")
    client = app.test_client()
    login(client, other.email)
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=EMAIL_CHANGE_SALT).dumps(
        {"uid": member.id, "old": member.email, "new": "mine@example.org"}
    )
    response = client.get(f"/account/email/confirm/{token}", follow_redirects=True)
    assert "invalid, used or expired" in response.get_data(as_text=True)
    forged = client.get(f"/account/email/confirm/{token}x", follow_redirects=True)
    assert "invalid, used or expired" in forged.get_data(as_text=True)


# --- Two-factor secrets encrypted at rest ------------------------------------------------------

NEW_KEY = "OeP0lCAg9eydXPBmDaNC_aAhhvnFOmwmhnupe0z7BvE="


def _stored_secret(user_id: int) -> str:
    return db.session.execute(
        text("SELECT totp_secret FROM user_account WHERE id = :id"), {"id": user_id}
    ).scalar()


def test_two_factor_secrets_are_stored_encrypted(app, member):
    from cryptography.fernet import Fernet

    secret = enrol_two_factor(member)
    stored = _stored_secret(member.id)
    assert secret not in stored and stored.startswith("gAAAAA")
    assert Fernet(app.config["TOTP_ENCRYPTION_KEYS"][0].encode()).decrypt(stored.encode()).decode() == secret
    db.session.expire_all()
    assert db.session.get(type(member), member.id).totp_secret == secret


def test_rotate_keys_re_encrypts_with_the_first_key(app, client, member, monkeypatch):
    from cryptography.fernet import Fernet

    secret = enrol_two_factor(member)
    old = app.config["TOTP_ENCRYPTION_KEYS"][0]
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEYS", [NEW_KEY, old])
    result = app.test_cli_runner().invoke(args=["security", "rotate-keys"])
    assert result.exit_code == 0, result.output
    assert "1 two-factor secrets re-encrypted" in result.output
    assert Fernet(NEW_KEY.encode()).decrypt(_stored_secret(member.id).encode()).decode() == secret
    # The old key can go: sign-in with the second factor works with the new key alone.
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEYS", [NEW_KEY])
    db.session.expire_all()
    assert login(client, member.email).status_code == 302


def test_rotate_keys_says_clearly_when_a_key_is_missing(app, member, monkeypatch):
    enrol_two_factor(member)
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEYS", [NEW_KEY])
    result = app.test_cli_runner().invoke(args=["security", "rotate-keys"])
    assert result.exit_code != 0 and "add its key to TOTP_ENCRYPTION_KEYS" in result.output


def test_production_needs_its_own_encryption_keys(monkeypatch):
    import config

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://r2p@db/r2p")
    monkeypatch.setenv("BASE_URL", "https://r2p.example.org")
    monkeypatch.delenv("TOTP_ENCRYPTION_KEYS", raising=False)
    with pytest.raises(config.ConfigurationError, match="TOTP_ENCRYPTION_KEYS"):
        config.load("production")
    for bad in ("not-a-key", config.DEVELOPMENT_TOTP_KEY):
        monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", bad)
        with pytest.raises(config.ConfigurationError, match="must be Fernet keys"):
            config.load("production")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", f"{NEW_KEY}, {Fernet_key()}")
    config.load("production")


def Fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def test_the_migration_encrypts_existing_secrets_and_the_downgrade_restores_them(tmp_path):
    from flask_migrate import downgrade, upgrade

    from r2p_network import create_app
    from r2p_network.models.encryption import decrypt

    other = create_app(
        {"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite"}
    )
    with other.app_context():
        upgrade(revision="3c7d2e91a4b0")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO user_account (email, name, password_hash, role, status, created_at, "
                    "password_changed_at, totp_secret) VALUES ('x@example.org', 'X', 'h', 'focal_point', "
                    "'active', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'JBSWY3DPEHPK3PXP')"
                )
            )
        upgrade(revision="8e4a1f6c2b93")
        with db.engine.connect() as connection:
            stored = connection.execute(text("SELECT totp_secret FROM user_account")).scalar()
        assert stored.startswith("gAAAAA")
        assert decrypt(stored) == "JBSWY3DPEHPK3PXP"
        downgrade(revision="3c7d2e91a4b0")
        with db.engine.connect() as connection:
            assert (
                connection.execute(text("SELECT totp_secret FROM user_account")).scalar()
                == "JBSWY3DPEHPK3PXP"
            )
        db.engine.dispose()


# --- Views of sensitive material are audited ---------------------------------------------------


def _events(action: str) -> list:
    from r2p_network.models import AuditEvent

    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_every_view_of_a_private_or_shared_assessment_version_is_audited(app, member_client, member):
    from r2p_network.models import Visibility
    from tests.factories import make_assessment

    assessment = make_assessment(
        versions=[({}, Visibility.PRIVATE), ({}, Visibility.NETWORK), ({}, Visibility.PUBLIC)]
    )
    base = f"/assessments/{assessment.id}"
    for path in (f"{base}/versions/1", f"{base}/versions/2", f"{base}/versions/3"):
        assert member_client.get(path).status_code == 200
    viewed = _events("assessment.version_viewed")
    assert [(e.detail["version"], e.detail["visibility"]) for e in viewed] == [(1, "private"), (2, "network")]
    assert all(e.actor_id == member.id and e.object_id == str(assessment.id) for e in viewed)
    member_client.get(f"{base}/versions/1?print=1")
    assert len(_events("assessment.version_printed")) == 1
    member_client.get(f"{base}/compare?from=1&to=2")
    assert _events("assessment.versions_compared")[0].detail["versions"] == [1, 2]
    member_client.get(f"{base}/versions/2/export.json")
    assert len(_events("export.assessment")) == 1
    # A network-shared version read by another country's member is audited as well.
    other = app.test_client()
    reader = make_member("KEN")
    login(other, reader.email)
    other.get(f"{base}/versions/2")
    assert [e.actor_id for e in _events("assessment.version_viewed")][-1] == reader.id
    # A public version is not sensitive.
    member_client.get(f"{base}/compare?from=3&to=3")
    assert len(_events("assessment.versions_compared")) == 1


def test_administrators_only_contact_fields_shown_to_others_are_audited(admin_client, admin, member):
    member.profile.phone = "+233 30 000 0000"
    db.session.flush()
    assert "+233 30 000 0000" in admin_client.get(f"/focal-points/{member.id}").get_data(as_text=True)
    events = _events("profile.restricted_contacts_viewed")
    assert len(events) == 1 and events[0].actor_id == admin.id and events[0].detail["fields"] == ["phone"]


def test_members_reading_their_own_restricted_fields_are_not_audited(member_client, member):
    member.profile.phone = "+233 30 000 0000"
    db.session.flush()
    member_client.get(f"/focal-points/{member.id}")
    assert _events("profile.restricted_contacts_viewed") == []


def test_another_teams_capacity_map_is_audited_when_viewed(admin_client, admin, member_client, member):
    from r2p_network.models import CapacitySubmission, SubmissionStatus

    submission = CapacitySubmission(country_iso3="GHA", network=member.profile.network, cycle=2026)
    db.session.add(submission)
    db.session.flush()
    member_client.get(f"/capacity/submissions/{submission.id}")  # the team's own map
    assert _events("capacity.submission_viewed") == []
    assert admin_client.get(f"/capacity/submissions/{submission.id}").status_code == 200
    assert [e.actor_id for e in _events("capacity.submission_viewed")] == [admin.id]
    submission.status = SubmissionStatus.SUBMITTED
    db.session.flush()
    admin_client.get("/capacity/verification")
    assert _events("capacity.queue_viewed")[0].detail["submissions"] == [submission.id]


def test_treaty_record_edit_pages_are_audited(member_client, member):
    assert member_client.get("/countries/GHA/treaties").status_code == 200
    events = _events("treaty.edit_page_viewed")
    assert len(events) == 1 and events[0].object_id == "GHA" and events[0].actor_id == member.id


# --- Who edits a country's government treaty records --------------------------------------------


@pytest.mark.parametrize(
    ("country", "network", "may_edit"),
    [
        ("GHA", "government", True),
        ("GHA", "civil_society", False),
        ("GHA", "parliament", False),
        ("KEN", "government", False),
    ],
)
def test_only_government_focal_points_and_administrators_edit_treaty_records(app, country, network, may_edit):
    from r2p_network.models import Network, TreatyStatus
    from tests.test_countries import TREATY

    user = make_member(country, Network(network))
    client = app.test_client()
    login(client, user.email)
    assert client.get("/countries/GHA/treaties").status_code == (200 if may_edit else 403)
    response = post_form(client, "/countries/GHA/treaties/rome-statute", TREATY, form_page="/countries/GHA")
    assert response.status_code == (302 if may_edit else 403)
    saved = db.session.scalar(select(TreatyStatus).where(TreatyStatus.country_iso3 == "GHA"))
    assert (saved is not None) is may_edit
    page = client.get("/countries/GHA").get_data(as_text=True)
    assert ("/countries/GHA/treaties" in page) is may_edit


def test_administrators_edit_any_countrys_treaty_records(admin_client):
    assert admin_client.get("/countries/KEN/treaties").status_code == 200
    assert admin_client.get("/countries/GHA/treaties").status_code == 200


# --- Audit that the application cannot rewrite -------------------------------------------------


def test_the_audit_time_is_set_by_the_database(member):
    from datetime import UTC, datetime

    from r2p_network.core import audit
    from r2p_network.models import AuditEvent

    event = audit.record("probe.backdated", actor_id=member.id)
    if db.engine.dialect.name == "postgresql":
        event.created_at = datetime(2000, 1, 1, tzinfo=UTC)  # the trigger overrides it
    db.session.flush()
    db.session.expire(event)
    stored = db.session.scalar(select(AuditEvent.created_at).where(AuditEvent.id == event.id))
    assert stored is not None and stored.year >= 2026


@pytest.fixture
def as_app_role(app, db_session):
    """Run statements as a fresh application role with the documented grants (PostgreSQL only).

    Roles are transactional in PostgreSQL: the test's rollback removes the role again."""
    if db.engine.dialect.name != "postgresql":
        # SQLite has no roles (CI runs this test on both databases, and skips none): the
        # command says so plainly.
        result = app.test_cli_runner().invoke(args=["security", "grant-app-role", "r2p_app"])
        assert result.exit_code != 0 and "PostgreSQL feature" in result.output
        yield None
        return
    from r2p_network.cli import app_role_grants

    db.session.execute(text("CREATE ROLE r2p_app_probe NOLOGIN"))
    for statement in app_role_grants("r2p_app_probe"):
        db.session.execute(text(statement))

    def run(statement: str, **params) -> str | None:
        """None if *statement* succeeds as the application role, else the database's refusal."""
        nested = db.session.begin_nested()
        try:
            db.session.execute(text("SET LOCAL ROLE r2p_app_probe"))
            db.session.execute(text(statement), params)
        except Exception as error:
            nested.rollback()
            return str(error.orig if hasattr(error, "orig") else error)
        db.session.execute(text("RESET ROLE"))
        nested.commit()
        return None

    yield run
    db.session.execute(text("RESET ROLE"))


def test_the_application_role_only_adds_to_the_audit_trail(as_app_role, member):
    if as_app_role is None:
        return
    insert = "INSERT INTO audit_event (action, ip_address, detail) VALUES ('probe', '', '{}')"
    assert as_app_role(insert) is None
    assert as_app_role("SELECT count(*) FROM audit_event") is None
    # Ordinary data stays writable.
    assert as_app_role("UPDATE user_account SET name = name WHERE id = :id", id=member.id) is None
    assert (
        as_app_role("INSERT INTO rate_limit_hit (bucket, key, created_at) VALUES ('b', 'k', now())") is None
    )
    for statement in (
        "UPDATE audit_event SET action = 'rewritten'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ):
        assert "permission denied" in as_app_role(statement), statement
    for statement in (
        "ALTER TABLE audit_event DISABLE TRIGGER ALL",
        "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
        "ALTER TABLE audit_event ADD COLUMN note text",
        "DROP TRIGGER audit_event_append_only ON audit_event",
        "DROP TABLE audit_event",
    ):
        assert "must be owner" in as_app_role(statement), statement
    assert "permission denied" in as_app_role("UPDATE alembic_version SET version_num = 'x'")
