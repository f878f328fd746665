"""Test fixtures: one schema per run (built by the migrations), a rolled-back transaction per test.

Set ``TEST_DATABASE_URL`` to run against PostgreSQL; without it the suite uses an
in-memory SQLite database.
"""

from __future__ import annotations

import contextvars
import html
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import event, select, text
from sqlalchemy.orm import scoped_session

from r2p_network import create_app
from r2p_network.auth import twofactor
from r2p_network.core import catalogues, fragments
from r2p_network.extensions import db
from r2p_network.models import User, utcnow
from r2p_network.reference import load_reference_data
from tests.factories import DEFAULT_PASSWORD, make_member


def _reset_schema() -> None:
    """Start from an empty database so the migrations build everything."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


class IsolatedClient(FlaskClient):
    """A test client whose requests each get their own application context.

    The test body holds an app context for its own database work; Flask would
    reuse it for requests, sharing ``g`` (and the signed-in user) between them.
    Running each request in an empty ``contextvars`` context keeps them apart,
    as they are in a real server.
    """

    def open(self, *args, **kwargs):
        # Buffered, so that streamed bodies are read inside the request's context too.
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    catalogues.compile_all()  # the pages in other languages read the compiled catalogues
    app = create_app("testing")
    app.test_client_class = IsolatedClient
    with app.app_context():
        _reset_schema()
        upgrade()
        load_reference_data(db.session)
        db.session.commit()
        db.session.remove()
    yield app


class _ConnectionBoundSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session picks engines by bind key; in tests, use the test's connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if self.bind is not None:
            return self.bind
        return super().get_bind(mapper, clause=clause, bind=bind, **kwargs)


def _flush_stands_for_commit(session, _context) -> None:
    """Factories flush and never commit: in tests, a flush that changes data renews the data
    token as the commit that would follow it does (``fragments`` keys cached parts by it)."""
    fragments.renew_if_changed(session)


event.listen(_ConnectionBoundSession, "after_flush_postexec", _flush_stands_for_commit)


@pytest.fixture(autouse=True)
def db_session(request: pytest.FixtureRequest) -> Iterator[scoped_session | None]:
    """Per-test rollback for the in-process suite; browser and live tests use real servers instead."""
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("live"):
        yield None
        return
    yield from _rolled_back_session(request.getfixturevalue("app"))


def _rolled_back_session(app: Flask) -> Iterator[scoped_session]:
    """Run each test inside a transaction that is rolled back afterwards.

    Routes still call ``commit()``: with ``create_savepoint`` those commits only
    release savepoints inside the outer transaction.
    """
    app.extensions["fragments"].clear()  # the rollback brings back an earlier token
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "class_": _ConnectionBoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "expire_on_commit": False,
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def outbox(app: Flask) -> list:
    """Mail sent during the test (the locmem backend)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    """Fetch a page and read the CSRF token from its form."""
    page = client.get(path)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}: {page.status_code} {page.get_data(as_text=True)[:2000]}"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict, form_page: str | None = None, **kwargs):
    """POST a form the way a browser does, with a fresh CSRF token."""
    token = csrf_token(client, form_page or "/")
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


LOCKS_RE = re.compile(r'name="section_locks" type="hidden" value="([^"]*)"')


def page_locks(client: FlaskClient, path: str) -> str:
    """The section locks an assessment's edit page hands out (what a browser sends back)."""
    page = client.get(path).get_data(as_text=True)
    match = LOCKS_RE.search(page)
    assert match, f"no section locks on {path}"
    return html.unescape(match.group(1))


def login(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD, next_url: str | None = None):
    """Sign in; for members with two-factor sign-in, also enter the next unused code."""
    path = "/auth/login" + (f"?next={next_url}" if next_url else "")
    response = post_form(client, path, {"email": email, "password": password}, form_page="/auth/login")
    if response.status_code == 302 and response.headers["Location"].endswith("/auth/2fa"):
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.refresh(user)
        response = post_form(client, "/auth/2fa", {"code": next_totp_code(user)}, form_page="/auth/2fa")
    return response


def next_totp_code(user: User) -> str:
    """A valid one-time code for *user* that has not been used yet."""
    current = int(time.time() // twofactor.STEP_SECONDS)
    # From the current step on: a code one step old is still accepted if the clock ticks meanwhile.
    for step in range(current, current + twofactor.TOLERANCE + 1):
        if user.totp_last_step is None or step > user.totp_last_step:
            return pyotp.TOTP(user.totp_secret).at(step * twofactor.STEP_SECONDS)
    raise AssertionError("every code of this window is used")


@pytest.fixture
def member(db_session):
    """An approved government focal point of Ghana."""
    return make_member("GHA")


@pytest.fixture
def admin(db_session):
    """An administrator with two-factor sign-in, as the administration pages require."""
    user = make_member(None, admin=True, email="secretariat@example.org")
    enrol_two_factor(user)
    return user


def enrol_two_factor(user: User) -> str:
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = utcnow()
    db.session.flush()
    return user.totp_secret


@pytest.fixture
def member_client(client: FlaskClient, member) -> FlaskClient:
    response = login(client, member.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def admin_client(app: Flask, admin) -> FlaskClient:
    client = app.test_client()
    response = login(client, admin.email)
    assert response.status_code == 302
    return client


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        # Savepoints come from the test's own transaction, not from the page.
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def example_path(rule) -> str:
    """A concrete URL for a route: 1 for numbers, the first choice of an any(), "x" otherwise."""
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        if converter.regex == r"\d+":
            values[arg] = "1"
        elif hasattr(converter, "items"):
            values[arg] = sorted(converter.items)[0]
        else:
            values[arg] = "x"
    if rule.endpoint == "static":
        values = {"filename": "css/site.css"}
    return rule.build(values, append_unknown=False)[1]


def crawl_paths(app, ids: dict) -> list[str]:
    """Every GET page, with the ids of real objects where a route takes one (see *ids*), plus
    searches, filters and the four export formats."""
    paths = {
        "/lessons/?q=CANARY",
        "/focal-points/?q=CANARY",
        f"/lessons/{ids['published']}",
        "/capacity/?status=needs",
        "/regions/m49/002",
        "/regions/m49/002/data.json",
        "/regions/orgs/ecowas",
        "/regions/groups/african/data.json",
        "/regions/compare",
    }
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {}
        for arg in rule.arguments:
            if arg in ids:
                values[arg] = ids[arg]
            elif arg == "fmt":
                values[arg] = "json"
            elif arg == "kind":
                values[arg] = "m49"
            elif arg == "key":
                values[arg] = "011"
            else:
                values = None
                break
        if values is None:
            paths.add(example_path(rule))
        else:
            paths.add(rule.build(values, append_unknown=False)[1])
    for fmt in ("csv", "xlsx", "json", "geojson"):
        paths.add(f"/capacity/export.{fmt}")
    # XLSX is a zip: its text is compressed, so the crawl reads the JSON and CSV forms of the same rows.
    return sorted(paths)
