"""The outbox: mail written with the change that causes it, delivered by the worker with retries,
failures shown to administrators, housekeeping jobs recording their runs."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from r2p_network.core import emails, outbox
from r2p_network.core.transaction import commit, discard
from r2p_network.extensions import db
from r2p_network.models import JobRun, OutboxAttempt, OutboxMessage, OutboxStatus, UsedToken, utcnow
from r2p_network.operations import worker
from tests.conftest import login, post_form
from tests.factories import make_member


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler:
    """A local SMTP server that refuses every message until told to accept."""

    def __init__(self) -> None:
        self.accept = False
        self.received: list = []

    async def handle_DATA(self, server, session, envelope):
        if not self.accept:
            return "451 4.3.0 try again later"
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    state = app.extensions["mailman"]
    monkeypatch.setattr(state, "backend", "smtp")
    monkeypatch.setattr(state, "server", "127.0.0.1")
    monkeypatch.setattr(state, "port", controller.port)
    monkeypatch.setattr(state, "use_tls", False)
    monkeypatch.setattr(state, "timeout", 5)
    monkeypatch.setitem(app.config, "MAIL_SEND_IN_APP", False)
    try:
        yield handler
    finally:
        controller.stop()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_rolled_back_change_leaves_no_mail(app, member):
    before = _count(OutboxMessage)
    with app.test_request_context("/"):
        emails.send(
            member.email,
            _l("Reset your password"),
            "password_reset",
            lang="fr",
            user=member,
            link="x",
            minutes=5,
        )
        assert _count(OutboxMessage) == before + 1
        discard()
    assert _count(OutboxMessage) == before


def test_mail_is_queued_with_its_change_in_the_recipients_language(app, admin_client, member, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SEND_IN_APP", False)
    member.language = "fr"
    db.session.flush()
    response = post_form(admin_client, f"/admin/users/{member.id}/send-reset", {}, form_page="/admin/users")
    assert response.status_code == 302
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.to_address == member.email and message.status == OutboxStatus.QUEUED
    assert message.lang == "fr" and message.kind == "password_reset"
    assert "/auth/reset/" in message.text_body and '<a href="http://' in message.html_body
    assert '<html lang="fr" dir="ltr">' in message.html_body
    page = admin_client.get(f"/admin/users?q={member.email}").get_data(as_text=True)
    assert "queued" in page.lower()


def test_each_decision_has_its_own_subject(app):
    from r2p_network.capacity.services import SUBJECTS as CAPACITY
    from r2p_network.lessons.services import SUBJECTS as LESSONS
    from r2p_network.lessons.translation_services import SUBJECTS as TRANSLATIONS

    with app.test_request_context("/"):
        for table, params, count in (
            (LESSONS, {"title": "T"}, 3),
            (TRANSLATIONS, {"title": "T"}, 3),
            (CAPACITY, {"cycle": 2026}, 2),
        ):
            subjects = {str(emails.subject(text, **params)) for text in table.values()}
            assert len(subjects) == count and all("T" in s or "2026" in s for s in subjects)


def test_a_refusing_server_leads_to_retries_then_failed_then_a_later_success(app, smtp, admin_client, member):
    with app.test_request_context("/"):
        emails.send(
            member.email,
            _l("Reset your password"),
            "password_reset",
            lang="en",
            user=member,
            link="L",
            minutes=5,
        )
        commit()
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    now = utcnow()
    attempts = app.config["MAIL_MAX_ATTEMPTS"]
    for number in range(1, attempts + 1):
        assert outbox.deliver_due(now=now) == 1
        db.session.refresh(message)
        assert message.attempts == number and "451" in message.last_error
        if number < attempts:
            assert message.status == OutboxStatus.QUEUED
            # Exponential back-off: nothing is due until the wait has passed.
            wait = outbox.backoff(number)
            assert message.next_attempt_at == now + wait
            assert outbox.deliver_due(now=now + wait - timedelta(seconds=1)) == 0
            now += wait
    assert message.status == OutboxStatus.FAILED
    assert _count_attempts(message.id) == attempts
    assert smtp.received == []

    page = admin_client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert member.email in page and "451" in page and "Retry" in page

    smtp.accept = True
    post_form(admin_client, f"/admin/outbox/{message.id}/retry", {}, form_page="/admin/outbox")
    db.session.refresh(message)
    assert message.status == OutboxStatus.QUEUED
    sent, _jobs = worker.run_once()
    assert sent >= 1
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.sent_at is not None
    (envelope,) = smtp.received
    assert envelope.rcpt_tos == [member.email]
    body = envelope.content.decode()
    assert "multipart/alternative" in body and "text/html" in body and "text/plain" in body
    assert "Sent" in admin_client.get("/admin/outbox?status=sent").get_data(as_text=True)


def _count_attempts(message_id: int) -> int:
    return db.session.scalar(select(func.count()).where(OutboxAttempt.message_id == message_id))


def test_the_outbox_page_and_retry_need_the_capability(app, client, member):
    assert client.get("/admin/outbox").status_code == 302  # anonymous: to sign in
    login(client, member.email)
    assert client.get("/admin/outbox").status_code == 403
    assert post_form(client, "/admin/outbox/1/retry", {}).status_code == 403


def test_retrying_needs_a_failed_message(admin_client):
    assert (
        post_form(admin_client, "/admin/outbox/999999/retry", {}, form_page="/admin/outbox").status_code
        == 404
    )


def test_doctor_and_health_report_a_stuck_outbox(app, client, member, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SEND_IN_APP", False)
    db.session.add(
        OutboxMessage(
            kind="password_reset",
            to_address=member.email,
            lang="en",
            subject="s",
            text_body="t",
            html_body="h",
            created_at=utcnow() - timedelta(hours=2),
        )
    )
    db.session.flush()
    assert client.get("/healthz").get_json()["outbox"] == "stuck"
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert "FAIL  outbox: stuck: 1 queued" in result.output and "is flask worker running?" in result.output


def test_housekeeping_jobs_record_their_last_run_and_run_once_per_period(app):
    old = utcnow() - timedelta(days=500)
    db.session.add(UsedToken(digest="a" * 64, purpose="unsubscribe", used_at=old))
    db.session.flush()
    done = worker.run_jobs()
    assert set(done) == {"news-and-digests", "housekeeping"}
    assert "1 used tokens" in done["housekeeping"]
    run = db.session.get(JobRun, "housekeeping")
    assert run.result == done["housekeeping"]
    assert worker.run_jobs() == {}  # not due again within the hour
    assert worker.run_jobs(now=utcnow() + timedelta(hours=2)).keys() >= {"housekeeping"}


def test_the_worker_command_runs_one_round(app):
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "messages tried" in result.output


def test_in_development_the_app_sends_what_a_request_queued(app, client, member, outbox):
    post_form(client, "/auth/reset", {"email": member.email}, form_page="/auth/reset")
    assert outbox and outbox[-1].to == [member.email]
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.status == OutboxStatus.SENT and message.attempts == 1


def test_a_message_to_two_recipients_is_two_rows(app):
    make_member(None, admin=True, email="a1@example.org")
    with app.test_request_context("/"):
        before = _count(OutboxMessage)
        emails.send(
            ["x@example.org", "y@example.org"],
            _l("Reset your password"),
            "password_reset",
            lang="en",
            user=None,
            link="",
            minutes=1,
        )
        assert _count(OutboxMessage) == before + 2
        discard()


def test_the_html_part_escapes_member_text_and_links_addresses(app):
    user = make_member("GHA", name='Eve <img src=x onerror="alert(1)">')
    with app.test_request_context("/"):
        (message,) = emails.write(
            user.email,
            "Subject",
            "password_reset",
            lang="ar",
            context={"user": user, "link": "https://r2p.example.org/auth/reset/abc", "minutes": 5},
        )
        discard()
    assert "<img" not in message.html_body and "&lt;img" in message.html_body
    assert '<a href="https://r2p.example.org/auth/reset/abc">' in message.html_body
    assert 'dir="rtl"' in message.html_body


def test_a_message_another_worker_holds_is_skipped(app, monkeypatch):
    """While one worker holds a message (FOR UPDATE), another skips it (SKIP LOCKED). SQLite has
    no row locks: there the claim is checked as PostgreSQL would receive it."""
    from sqlalchemy import text
    from sqlalchemy.dialects import postgresql

    if db.engine.dialect.name != "postgresql":
        claimed = []
        monkeypatch.setattr(db.session, "scalar", lambda stmt: claimed.append(stmt))
        outbox.deliver_due(now=utcnow())
        sql = str(claimed[0].compile(dialect=postgresql.dialect()))
        assert sql.rstrip().endswith("FOR UPDATE SKIP LOCKED") and "LIMIT" in sql
        return

    other = db.engine.connect()
    try:
        row_id = other.execute(
            text(
                "INSERT INTO outbox_message (kind, to_address, lang, subject, text_body, html_body, headers, "
                "status, attempts, next_attempt_at, created_at) "
                "VALUES ('password_reset', 'held@example.org', 'en', 's', 't', 'h', '{}', 'queued', 0, "
                "now() - interval '1 minute', now()) RETURNING id"
            )
        ).scalar_one()
        other.commit()
        other.execute(text("SELECT id FROM outbox_message WHERE id = :id FOR UPDATE"), {"id": row_id})
        assert outbox.deliver_due(now=utcnow()) == 0
        assert db.session.get(OutboxMessage, row_id).attempts == 0
        other.rollback()
    finally:
        other.execute(text("DELETE FROM outbox_message WHERE to_address = 'held@example.org'"))
        other.commit()
        other.close()


def test_the_administrators_page_says_sent_or_queued_truthfully(app, admin_client, monkeypatch):
    from r2p_network.auth.services import AccessRequestData, request_access
    from r2p_network.models import Network

    def pending(email):
        with app.test_request_context("/"):
            request = request_access(
                AccessRequestData(
                    name="Ama Owusu",
                    email=email,
                    password="a long passphrase 2026",
                    country_iso3="GHA",
                    network=Network.PARLIAMENT,
                    title="MP",
                    institution="Parliament",
                    justification="Named by the speaker.",
                )
            )
        return request.id

    def approve(request_id):
        return post_form(
            admin_client,
            f"/admin/access-requests/{request_id}/approve",
            {f"a{request_id}-country": "GHA", f"a{request_id}-network": "parliament"},
            form_page="/admin/access-requests",
            follow_redirects=True,
        ).get_data(as_text=True)

    assert "the email telling them is sent" in approve(pending("sent@example.org"))
    monkeypatch.setitem(app.config, "MAIL_SEND_IN_APP", False)
    assert "the email telling them is queued" in approve(pending("queued@example.org"))


def test_the_outbox_page_runs_a_constant_number_of_queries(app, admin_client, member):
    from tests.conftest import count_queries

    def add(n):
        with app.test_request_context("/"):
            for _ in range(n):
                emails.send(
                    member.email,
                    _l("Reset your password"),
                    "password_reset",
                    lang="en",
                    user=member,
                    link="L",
                    minutes=5,
                )
        db.session.flush()

    add(1)
    with count_queries() as few:
        assert admin_client.get("/admin/outbox").status_code == 200
    add(20)
    with count_queries() as many:
        assert admin_client.get("/admin/outbox").status_code == 200
    assert len(many) == len(few)


def test_doctor_refuses_production_mail_without_a_server(app, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "localhost")
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert "FAIL  mail: MAIL_SERVER is not set: mail would go to localhost:25" in result.output


def test_the_prune_command_records_the_housekeeping_run(app):
    result = app.test_cli_runner().invoke(args=["maintenance", "prune"])
    assert result.exit_code == 0, result.output
    run = db.session.get(JobRun, "housekeeping")
    assert run is not None and "sessions" in run.result
    assert "housekeeping" not in worker.run_jobs()  # just ran: not due again this hour


def test_the_worker_loop_stops_when_asked_after_its_round(app, monkeypatch):
    import threading

    monkeypatch.setitem(app.config, "WORKER_INTERVAL_SECONDS", 0)
    stop = threading.Event()
    rounds = []

    def one_round(now=None):
        rounds.append(1)
        if len(rounds) == 2:
            stop.set()
        raise RuntimeError("a round that fails is logged, and the next one runs")

    monkeypatch.setattr(worker, "run_once", one_round)
    monkeypatch.setattr(db.session, "remove", lambda: None)  # keep the test's own session
    worker.run_forever(stop)
    assert len(rounds) == 2
