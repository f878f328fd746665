"""Faults and concurrency against the real server: duplicate clicks, and a backup/restore drill."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import create_engine, func, select, text

from r2p_network import create_app
from r2p_network.models import Base, CapacitySubmission, User
from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.live

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _token(session: requests.Session, url: str) -> str:
    return TOKEN.search(session.get(url, timeout=10).text).group(1)


def _count(url: str, stmt) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.connect() as connection:
        value = connection.execute(stmt).scalar()
    engine.dispose()
    return value


def test_ten_identical_registrations_at_once_create_one_request(live_server, live_database_url):
    form = {
        "name": "Parallel Person",
        "email": "parallel@example.org",
        "country": "KEN",
        "network": "parliament",
        "title": "Member of Parliament",
        "institution": "National Assembly",
        "justification": "Named parliamentary focal point by the committee.",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    sessions = [requests.Session() for _ in range(10)]
    tokens = [_token(s, f"{live_server}/auth/register") for s in sessions]

    def send(n: int) -> int:
        response = sessions[n].post(
            f"{live_server}/auth/register",
            data={**form, "csrf_token": tokens[n]},
            allow_redirects=False,
            timeout=30,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(send, range(10)))
    assert statuses == [302] * 10
    assert (
        _count(live_database_url, select(func.count()).select_from(User).where(User.email == form["email"]))
        == 1
    )


def test_ten_identical_new_map_clicks_create_one_map(live_server, live_database_url):
    session = requests.Session()
    token = _token(session, f"{live_server}/auth/login")
    session.post(
        f"{live_server}/auth/login",
        data={"csrf_token": token, "email": "ama.mensah@example.org", "password": PASSWORD},
        timeout=10,
    )
    token = _token(session, f"{live_server}/capacity/submissions/new")

    def send(_n: int) -> int:
        response = session.post(
            f"{live_server}/capacity/submissions/new",
            data={"csrf_token": token, "cycle": "2025"},
            allow_redirects=False,
            timeout=30,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(send, range(10)))
    assert statuses == [302] * 10
    stmt = (
        select(func.count())
        .select_from(CapacitySubmission)
        .where(CapacitySubmission.country_iso3 == "GHA", CapacitySubmission.cycle == 2025)
    )
    assert _count(live_database_url, stmt) == 1


def _table_counts(url: str) -> dict[str, int]:
    return {name: _count(url, text(f'SELECT count(*) FROM "{name}"')) for name in Base.metadata.tables}  # noqa: S608


def _checksum(url: str) -> str:
    query = text("SELECT string_agg(email || ':' || status, ',' ORDER BY id) FROM user_account")
    if url.startswith("sqlite"):
        query = text(
            "SELECT group_concat(email || ':' || status, ',') FROM (SELECT * FROM user_account ORDER BY id)"
        )
    return _count(url, query)


def _serves(url: str) -> None:
    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    assert "Ghana" in client.get("/network").get_data(as_text=True)


def test_backup_and_restore_drill(live_server, live_database_url, tmp_path):
    """pg_dump -> pg_restore into a fresh database (or SQLite's online backup), then compare."""
    if live_database_url.startswith("postgresql"):
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for the PostgreSQL drill")
        parts = urlsplit(live_database_url)
        restored_name = parts.path.lstrip("/") + "_restored"
        dump = tmp_path / "backup.dump"
        base = [
            "-h",
            parts.hostname or "127.0.0.1",
            "-p",
            str(parts.port or 5432),
            "-U",
            parts.username or "postgres",
        ]
        subprocess.run(["pg_dump", *base, "-Fc", "-f", str(dump), parts.path.lstrip("/")], check=True)  # noqa: S603,S607
        subprocess.run(["dropdb", *base, "--if-exists", restored_name], check=True)  # noqa: S603,S607
        subprocess.run(["createdb", *base, restored_name], check=True)  # noqa: S603,S607
        subprocess.run(["pg_restore", *base, "--no-owner", "-d", restored_name, str(dump)], check=True)  # noqa: S603,S607
        restored = live_database_url.rsplit("/", 1)[0] + "/" + restored_name
    else:
        source = sqlite3.connect(urlsplit(live_database_url).path)
        target_path = tmp_path / "restored.sqlite"
        target = sqlite3.connect(target_path)
        source.backup(target)
        assert target.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        source.close()
        target.close()
        restored = f"sqlite:///{target_path}"
    try:
        assert _table_counts(restored) == _table_counts(live_database_url)
        assert _checksum(restored) == _checksum(live_database_url)
        _serves(restored)
    finally:
        if live_database_url.startswith("postgresql"):
            subprocess.run(["dropdb", *base, "--if-exists", restored_name], check=True)  # noqa: S603,S607
