"""Running the site: housekeeping, flask doctor, request ids and logs, /metrics, Sentry."""

from __future__ import annotations

import json
import logging
import socket
import sys
import threading
import types
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from config import ConfigurationError
from r2p_network.extensions import db
from r2p_network.models import RateLimitHit, UserSession, utcnow
from r2p_network.operations import observability
from tests.conftest import login

# ---- flask maintenance prune ----


def _session_row(user, *, created_ago: timedelta, seen_ago: timedelta) -> UserSession:
    now = utcnow()
    row = UserSession(
        token_hash=f"{user.id}-{created_ago}-{seen_ago}".ljust(64, "0")[:64],
        user_id=user.id,
        created_at=now - created_ago,
        last_seen_at=now - seen_ago,
    )
    db.session.add(row)
    return row


def test_prune_deletes_expired_sessions_and_old_rate_limit_hits(app, member):
    fresh = _session_row(member, created_ago=timedelta(hours=1), seen_ago=timedelta(minutes=5))
    idle = _session_row(member, created_ago=timedelta(hours=1), seen_ago=timedelta(minutes=31))
    too_old = _session_row(member, created_ago=timedelta(hours=13), seen_ago=timedelta(minutes=1))
    now = utcnow()
    db.session.add_all(
        [
            RateLimitHit(bucket="search", key="a", created_at=now - timedelta(hours=2)),
            RateLimitHit(bucket="search", key="b", created_at=now - timedelta(days=1, minutes=5)),
            RateLimitHit(bucket="login.account", key="c", created_at=now - timedelta(days=3)),
        ]
    )
    db.session.flush()
    fresh_id, idle_id, old_id = fresh.id, idle.id, too_old.id

    result = app.test_cli_runner().invoke(args=["maintenance", "prune"])

    assert result.exit_code == 0, result.output
    assert "Deleted 2 expired sessions and 2 rate-limit hits" in result.output
    db.session.expire_all()
    remaining = set(db.session.scalars(select(UserSession.id)))
    assert fresh_id in remaining
    assert idle_id not in remaining and old_id not in remaining
    assert db.session.scalars(select(RateLimitHit.key)).all() == ["a"]


def test_prune_keeps_a_live_sign_in_working(app, client, member):
    assert login(client, member.email).status_code == 302
    assert app.test_cli_runner().invoke(args=["maintenance", "prune"]).exit_code == 0
    assert client.get("/account/").status_code == 200


# ---- flask doctor ----


class FakeSmtpServer:
    """A loopback server that greets like SMTP and answers QUIT."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.sock.accept()
        with connection:
            connection.sendall(b"220 mail.test ready\r\n")
            connection.recv(1024)
            connection.sendall(b"221 bye\r\n")

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.sock.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_doctor_passes_on_a_good_configuration(app, monkeypatch):
    server = FakeSmtpServer()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    try:
        result = app.test_cli_runner().invoke(args=["doctor"])
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for name in (
        "database",
        "migrations",
        "secret key",
        "base URL",
        "two-factor keys",
        "mail",
        "translations",
    ):
        assert any(line.startswith("OK") and f"  {name}: " in line for line in lines), (name, lines)
    assert f"mail server 127.0.0.1:{server.port} answers" in result.output
    assert "All 8 checks passed." in result.output


def test_doctor_reports_each_broken_setting_on_one_line(app, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    monkeypatch.setitem(app.config, "SECRET_KEY", "too-short")
    monkeypatch.setitem(app.config, "BASE_URL", "http://r2p.example.org")
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEYS", ["not-a-fernet-key"])
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())
    for name in ("SECRET_KEY", "DATABASE_URL", "BASE_URL", "TOTP_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)

    result = app.test_cli_runner().invoke(args=["doctor"])

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    fails = {line.split(":")[0].removeprefix("FAIL").strip() for line in result.output.splitlines()}
    assert {"production settings", "secret key", "base URL", "two-factor keys", "mail"} <= fails
    assert "FAIL  secret key: 9 characters; production needs at least 32" in result.output
    assert "FAIL  base URL: http://r2p.example.org must start with https:// in production" in result.output
    assert "FAIL  two-factor keys: key 1 of 1 is not a Fernet key" in result.output
    assert "unreachable" in result.output
    assert "OK    database" in result.output and "OK    migrations" in result.output
    assert "5 of 9 checks failed." in result.output


def test_doctor_reports_an_unreachable_and_an_unmigrated_database(monkeypatch, tmp_path):
    from r2p_network import create_app

    # Other apps, with their own sessions (the suite's session is bound to its test connection).
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    unreachable = create_app(
        {
            "CONFIG_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"postgresql://r2p@127.0.0.1:{_free_port()}/r2p",
        }
    )
    with unreachable.app_context():
        result = unreachable.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "FAIL  database: cannot connect to postgresql+psycopg2://r2p@127.0.0.1:" in result.output
    assert "FAIL  migrations: not checked: no database" in result.output
    assert "Traceback" not in result.output

    empty = create_app(
        {"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.sqlite"}
    )
    with empty.app_context():
        result = empty.test_cli_runner().invoke(args=["doctor"])
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 1
    assert "OK    database" in result.output
    assert "FAIL  migrations: at an empty database, head is" in result.output
    assert "run flask --app app db upgrade" in result.output


def test_doctor_reports_stale_translations(app, monkeypatch, tmp_path):
    import os

    from r2p_network.core import catalogues

    for lang in catalogues.TRANSLATED:
        (tmp_path / f"{lang}.po").write_text("# catalogue")
        (tmp_path / f"{lang}.mo").write_text("compiled")
    os.utime(tmp_path / "fr.mo", (1_000_000, 1_000_000))  # older than its catalogue
    (tmp_path / "es.mo").unlink()  # never compiled
    monkeypatch.setattr(catalogues, "path", lambda lang: tmp_path / f"{lang}.po")
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert "FAIL  translations: not compiled or older than the catalogue: fr, es;" in result.output
    assert result.exit_code == 1


# ---- configuration mistakes at start-up: one line, no traceback ----


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": ""}, "Production needs these environment variables: DATABASE_URL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 32 characters long."),
        ({"BASE_URL": ""}, "Production needs these environment variables: BASE_URL"),
    ],
)
def test_a_configuration_mistake_stops_the_start_with_one_line(tmp_path, env, message):
    import subprocess

    from cryptography.fernet import Fernet

    good = {
        "R2P_CONFIG": "production",
        "SECRET_KEY": "k" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite",
        "BASE_URL": "https://r2p.example.org",
        "TOTP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PATH": "/usr/bin:/bin",
    }
    code = "import app"
    started = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=good,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    broken = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env={**good, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert broken.returncode == 3
    assert broken.stderr.strip() == f"r2p: configuration error: {message}"


# ---- request ids, JSON and access logs ----


def test_every_response_has_a_request_id_and_an_access_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="r2p_network.access")
    response = client.get("/healthz")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    (record,) = [r for r in caplog.records if r.name == "r2p_network.access"]
    assert record.request_id == request_id
    assert (record.method, record.path, record.status, record.endpoint) == (
        "GET",
        "/healthz",
        200,
        "main.healthz",
    )
    assert record.duration_ms >= 0
    assert client.get("/healthz").headers["X-Request-ID"] != request_id


def test_a_safe_incoming_request_id_is_kept_and_an_unsafe_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-2026.11.30:abc123"})
    assert kept.headers["X-Request-ID"] == "lb-2026.11.30:abc123"
    for unsafe in ("short", "a" * 200, "abc def ghi jkl", 'x"} {"level":"ERROR"}'):
        replaced = client.get("/healthz", headers={"X-Request-ID": unsafe})
        assert replaced.headers["X-Request-ID"] != unsafe
        assert len(replaced.headers["X-Request-ID"]) == 32


def test_refused_requests_and_errors_get_a_request_id_too(client):
    assert "X-Request-ID" in client.get("/no-such-page").headers
    assert "X-Request-ID" in client.get("/?q=a%00b").headers


def test_reset_tokens_are_not_written_to_the_access_log(client, caplog):
    caplog.set_level(logging.INFO, logger="r2p_network.access")
    client.get("/auth/reset/secret-token-value")
    (record,) = [r for r in caplog.records if r.name == "r2p_network.access"]
    assert "secret-token-value" not in record.getMessage() and "secret-token-value" not in record.path
    assert record.path == "/auth/reset/<token>"


def test_json_log_lines_carry_the_request_id_and_extra_fields(app):
    formatter = observability.JsonFormatter()
    with app.test_request_context("/", headers={"X-Request-ID": "incoming-id-1234"}):
        record = logging.LogRecord("r2p_network.access", logging.INFO, __file__, 1, "GET %s", ("/",), None)
        record.status = 200
        observability.RequestIdFilter().filter(record)
        line = json.loads(formatter.format(record))
    assert line["request_id"] == "incoming-id-1234"
    assert line["message"] == "GET /"
    assert line["status"] == 200
    assert line["level"] == "INFO" and line["logger"] == "r2p_network.access"
    outside = logging.LogRecord("x", logging.WARNING, __file__, 1, "boom", (), None)
    observability.RequestIdFilter().filter(outside)
    assert json.loads(formatter.format(outside))["request_id"] == "-"


def test_logging_config_picks_json_or_plain():
    assert observability.logging_config("json")["handlers"]["stdout"]["formatter"] == "json"
    assert observability.logging_config("plain")["handlers"]["stdout"]["formatter"] == "plain"


# ---- /metrics ----


def test_metrics_are_hidden_by_default(app, client):
    assert app.config["METRICS_ALLOWED_IPS"] == "" and app.config["METRICS_TOKEN"] == ""
    assert client.get("/metrics").status_code == 404


def test_metrics_answer_an_allowed_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOWED_IPS", "10.0.0.0/8, 127.0.0.1")
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    body = response.get_data(as_text=True)
    assert 'r2p_http_requests_total{endpoint="main.healthz",method="GET",status="200"}' in body
    assert "r2p_http_request_duration_seconds_bucket" in body
    other = client.get("/metrics", environ_overrides={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 404
    inside = client.get("/metrics", environ_overrides={"REMOTE_ADDR": "10.1.2.3"})
    assert inside.status_code == 200


def test_metrics_answer_the_bearer_token_only(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "scrape-token-0123456789")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer ünïcode"}).status_code == 404
    good = client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"})
    assert good.status_code == 200
    assert "r2p_http_requests_total" in good.get_data(as_text=True)


def test_metrics_add_up_every_worker_in_multiprocess_mode(app, client, monkeypatch, tmp_path):
    from prometheus_client import Counter, values

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "scrape-token-0123456789")
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue(lambda: 4242))
    worker_counter = Counter("r2p_test_worker_requests", "Counted in another worker.")
    try:
        worker_counter.inc(3)
        body = client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"}).get_data(
            as_text=True
        )
    finally:
        from prometheus_client import REGISTRY

        REGISTRY.unregister(worker_counter)
    assert "r2p_test_worker_requests_total 3.0" in body


# ---- Sentry ----


def test_sentry_is_off_without_a_dsn(monkeypatch):
    called = []
    monkeypatch.setitem(sys.modules, "sentry_sdk", types.SimpleNamespace(init=lambda **kw: called.append(kw)))
    app = Flask("x")
    app.config.update(SENTRY_DSN="", PRODUCTION=True)
    assert observability.init_sentry(app) is False
    assert called == []


def test_sentry_starts_with_a_dsn_and_sends_no_personal_data(monkeypatch):
    called = []
    monkeypatch.setitem(sys.modules, "sentry_sdk", types.SimpleNamespace(init=lambda **kw: called.append(kw)))
    app = Flask("x")
    app.config.update(SENTRY_DSN="https://key@sentry.example.org/1", PRODUCTION=True)
    assert observability.init_sentry(app) is True
    assert called == [
        {
            "dsn": "https://key@sentry.example.org/1",
            "environment": "production",
            "send_default_pii": False,
            "traces_sample_rate": 0.0,
        }
    ]


def test_a_dsn_without_the_package_is_a_configuration_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # import fails
    app = Flask("x")
    app.config.update(SENTRY_DSN="https://key@sentry.example.org/1", PRODUCTION=False)
    with pytest.raises(ConfigurationError, match="sentry-sdk package is not installed"):
        observability.init_sentry(app)


def test_prune_counts_nothing_on_an_empty_table(app):
    db.session.execute(RateLimitHit.__table__.delete())
    db.session.execute(UserSession.__table__.delete())
    assert (
        app.test_cli_runner()
        .invoke(args=["maintenance", "prune"])
        .output.startswith("Deleted 0 expired sessions and 0 rate-limit hits")
    )
    assert db.session.scalar(select(func.count()).select_from(RateLimitHit)) == 0


# ---- every setting is documented ----


def test_every_setting_is_in_the_sample_environment_and_the_readme():
    import re

    root = Path(__file__).resolve().parent.parent
    source = (root / "config" / "__init__.py").read_text()
    names = set(re.findall(r'(?:os\.environ\.get|_env_int)\("([A-Z0-9_]+)"', source)) - {"TEST_DATABASE_URL"}
    assert {"SECRET_KEY", "DATABASE_URL", "BASE_URL", "METRICS_TOKEN", "SENTRY_DSN"} <= names
    sample = (root / "deploy" / "r2p.env.example").read_text()
    readme = (root / "README.md").read_text()
    assert sorted(name for name in names if f"\n{name}=" not in sample) == []
    assert sorted(name for name in names if f"`{name}" not in readme and f" `{name}`" not in readme) == []
