"""Browser tests: Debian's Chromium driven by Playwright against a real server on loopback.

Run with ``python -m pytest -m browser tests/e2e`` (CI does); they are left out of the
default run because they need the browser installed (``apt-get install chromium``).
The journeys run against gunicorn on PostgreSQL when ``E2E_DATABASE_URL`` names an empty
database (CI creates one), otherwise on a SQLite file. Screenshots of every step go to
``artifacts/e2e/`` (ignored by git).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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
        add_members(PASSWORD)
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory) -> str:
    return os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('e2e')}/journeys.sqlite"


@pytest.fixture(scope="session")
def live_server(live_database_url) -> Iterator[str]:
    """gunicorn serving the application, as in production, on a loopback port."""
    url = live_database_url
    _prepare_database(url)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "e2e-" + "k" * 40,
        "R2P_CONFIG": "development",
        "MAIL_BACKEND": "dummy",
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
        self.page.click("text=Sign out")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(browser, live_server, request) -> Iterator[Journey]:
    trip = Journey(browser, live_server, request.node.name.replace("test_", ""))
    yield trip
    trip.close()
