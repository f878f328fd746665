"""Browser tests: Debian's Chromium driven by Playwright against a real server on loopback.

Run with ``python -m pytest -m browser tests/e2e`` (CI does); they are left out of the
default run because they need the browser installed (``apt-get install chromium``).
The journeys run against gunicorn on PostgreSQL when ``E2E_DATABASE_URL`` names an empty
database (CI creates one), otherwise on a SQLite file. Screenshots of every step go to
``artifacts/e2e/`` (ignored by git).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "journey passphrase 2026"
ADMIN_EMAIL = "secretariat@example.org"
ADMIN_TOTP = pyotp.random_base32()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def serve(app) -> Iterator[str]:
    """Serve *app* on a free loopback port in a background thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare_database(url: str) -> None:
    """Build the schema with the migrations, load reference data and the journeys' people."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from r2p_network import create_app
    from r2p_network.auth.services import create_admin
    from r2p_network.extensions import db
    from r2p_network.reference import load_reference_data
    from tests.e2e.people import add_members

    app = create_app({"CONFIG_NAME": "development", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        load_reference_data(db.session)
        admin = create_admin(ADMIN_EMAIL, "Network Secretariat", PASSWORD)
        admin.totp_secret = ADMIN_TOTP
        from r2p_network.models import utcnow

        admin.totp_enabled_at = utcnow()
        admin.welcomed_at = utcnow()  # the secretariat has been here before; newcomers see the welcome
        add_members(PASSWORD)
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory) -> str:
    return os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('e2e')}/journeys.sqlite"


@pytest.fixture(scope="session")
def live_server(live_database_url) -> Iterator[str]:
    """gunicorn serving the application, as in production, on a loopback port."""
    from r2p_network.core import catalogues

    catalogues.compile_all()  # the pages in other languages read the compiled catalogues
    _prepare_database(live_database_url)
    yield from gunicorn(live_database_url)


def gunicorn(url: str, **settings: str) -> Iterator[str]:
    """Run gunicorn with two workers on *url*'s database (and extra *settings* in its environment);
    yield the base URL, then stop it."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "e2e-" + "k" * 40,
        "R2P_CONFIG": "development",
        "MAIL_BACKEND": "dummy",
        # The concurrency drills send ten registrations at once from one address.
        "RATE_LIMIT_ACCESS_REQUESTS_PER_HOUR": "100",
        **settings,
        # Uploaded documents go to a throw-away folder, not the checkout's instance folder.
        "DOCUMENT_STORAGE_PATH": tempfile.mkdtemp(prefix="r2p-documents-"),
    }
    process = subprocess.Popen(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        message = process.stderr.read().decode()[-2000:]
        process.stderr.close()
        raise RuntimeError("the server did not start: " + message)
    yield base
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


class PrivatePostgres:
    """A throw-away PostgreSQL server of our own (initdb in a temporary folder, a free loopback
    port), so that drills which stop or restart the server never touch the machine's own."""

    def __init__(self) -> None:
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)  # noqa: S607
        self.bin = Path(bindir.stdout.strip() or "/nonexistent")
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not (self.bin / "initdb").exists() and candidates:
            self.bin = candidates[-1].parent
        if not (self.bin / "initdb").exists():
            pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.root = Path(tempfile.mkdtemp(prefix="r2p-private-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            # initdb refuses to run as root: the cluster belongs to the postgres account.
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603

    def _ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            action,
        )

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A private PostgreSQL server, started for one test and stopped and deleted afterwards."""
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped by a failed start
            server.stop()
        server.remove()


_last_step: dict[str, int] = {}


def unused_code(secret: str) -> str:
    """A code the server has not seen yet: each works once, so a second sign-in may wait a step."""
    while True:
        current = int(time.time() // 30)
        # Start from the current step, not the previous one: if the clock ticks over before the
        # server checks the code, the server still accepts it as one step old.
        step = max(current, _last_step.get(secret, -1) + 1)
        if step <= current + 1:
            _last_step[secret] = step
            return pyotp.TOTP(secret).at(step * 30)
        time.sleep(1)


class Journey:
    """A browser page that signs people in and saves a numbered screenshot per step."""

    def __init__(self, browser, base: str, name: str) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.base = base
        self.name = name
        self.step = 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        return response

    def shot(self, label: str) -> None:
        self.step += 1
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{self.step:02d}-{label}.png"), full_page=True)

    def sign_in(self, email: str, totp_secret: str | None = None) -> None:
        self.go("/auth/login")
        self.page.fill("#email", email)
        self.page.fill("#password", PASSWORD)
        self.page.click("main button[type=submit]")
        if totp_secret:
            self.page.fill("#code", unused_code(totp_secret))
            self.page.click("main button[type=submit]")
        assert self.page.locator("text=Sign out").count() == 1, self.page.content()[:2000]

    def sign_out(self) -> None:
        self.open_menu()
        self.page.click("text=Sign out")

    def open_menu(self) -> None:
        """Open the header menu (a <details> element) unless it is open already."""
        if self.page.get_attribute("details.menu", "open") is None:
            self.page.click("summary.menu-toggle")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(browser, live_server, request) -> Iterator[Journey]:
    trip = Journey(browser, live_server, request.node.name.replace("test_", ""))
    yield trip
    trip.close()
