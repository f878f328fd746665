"""Faults and concurrency against the real server: duplicate clicks, and a backup/restore drill."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import create_engine, func, select, text

from r2p_network import create_app
from r2p_network.extensions import db
from r2p_network.models import Base, CapacitySubmission, User
from tests.e2e.conftest import PASSWORD, _prepare_database, gunicorn

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
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "outbox": "ok"}
    assert "Ghana" in client.get("/network").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


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
            subprocess.run(["dropdb", *base, "--force", "--if-exists", restored_name], check=True)  # noqa: S603,S607


@pytest.fixture
def drill_server(private_postgres) -> Iterator[tuple[str, str]]:
    """gunicorn on a database of a private PostgreSQL server: (site URL, database URL)."""
    database_url = private_postgres.create_database("r2p_drill")
    _prepare_database(database_url)
    for base in gunicorn(database_url):
        yield base, database_url


def test_the_site_recovers_by_itself_after_a_database_restart(drill_server, private_postgres):
    """Restart PostgreSQL under load: errors only while it is down, service back within 5 seconds.

    The server restarted is a private one started for this test, never the machine's own."""
    live_server, live_database_url = drill_server
    results: list[tuple[float, int]] = []
    stop = threading.Event()

    def load() -> None:
        session = requests.Session()
        deadline = time.time() + 60
        while not stop.is_set() and time.time() < deadline:
            try:
                status = session.get(f"{live_server}/network", timeout=5).status_code
            except requests.RequestException:
                status = 0
            results.append((time.time(), status))
            time.sleep(0.05)

    workers = [threading.Thread(target=load) for _ in range(3)]
    for worker in workers:
        worker.start()
    time.sleep(1.5)
    before = len(results)
    restart_started = time.time()
    private_postgres.restart()
    restart_done = time.time()
    time.sleep(6)
    stop.set()
    for worker in workers:
        worker.join(timeout=10)

    assert before > 0 and all(status == 200 for _at, status in results[:before])
    after = [(at, status) for at, status in results if at > restart_done + 5]
    assert after and all(status == 200 for _at, status in after), after[:5]
    errors = [at for at, status in results if status != 200]
    assert all(restart_started - 1 <= at <= restart_done + 5 for at in errors)
    # Nothing lost: the data written before the restart is all still there.
    assert _count(live_database_url, select(func.count()).select_from(User)) >= 4
