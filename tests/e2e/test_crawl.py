"""Every page a visitor, a member, a coordinator and an administrator can reach, at 390 px (phone)
and 1366 px (desk): no horizontal overflow, a header no taller than a quarter of a phone screen,
touch targets of at least 24 x 24 px and no axe-core WCAG 2.2 AA violation of any impact.

Pages are discovered, not listed: the crawl starts from every GET route without arguments and
follows the links it finds, visiting one page per endpoint (the first link found), so pages added
later are checked without touching this file. It runs on the demo network (``seed_demo``), which
has something on every page. A screenshot of each page goes to ``artifacts/e2e/crawl/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import ADMIN_TOTP, ARTIFACTS, PASSWORD, Journey, gunicorn

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 768}}
MEMBER_EMAIL = "fp.gha@example.org"
ADMIN_EMAIL = "admin@example.org"
# Who crawls: (name, email, TOTP secret). The demo's coordinator of Africa (M49 002) signs in with
# the second factor, as coordinators must to use their powers.
COORDINATOR_EMAIL = "rc.africa@example.org"
CRAWLERS = [
    ("visitor", None, None),
    ("member", MEMBER_EMAIL, None),
    ("coordinator", COORDINATOR_EMAIL, ADMIN_TOTP),
    ("admin", ADMIN_EMAIL, ADMIN_TOTP),
]
# Files and feeds, not pages; and links that would end the crawler's own session.
NOT_PAGES = re.compile(r"(export|download|\.csv|\.xlsx|\.json|\.geojson|\.pdf|\.atom|\.xml|\.svg|feed)", re.I)
SKIPPED_ENDPOINTS = {"static", "operations.healthz", "operations.readyz", "operations.metrics"}
MAX_PAGES = 160

CHECKS = Path(__file__).parent / "checks"
# WCAG 2.5.8 target size with its inline and spacing exceptions (see the comment in the file).
TARGETS_JS = (CHECKS / "targets.js").read_text(encoding="utf-8")
LAYOUT_JS = (CHECKS / "layout.js").read_text(encoding="utf-8")


def _prepare_demo_database(url: str) -> None:
    """Migrations, reference data and the demo network, with the second factor of the administrator
    and the coordinator."""
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from r2p_network import create_app
    from r2p_network.demo import seed_demo
    from r2p_network.extensions import db
    from r2p_network.models import User, utcnow
    from r2p_network.reference import load_reference_data

    app = create_app({"CONFIG_NAME": "development", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        load_reference_data(db.session)
        seed_demo(PASSWORD)
        powered = select(User).where(User.email.in_([ADMIN_EMAIL, COORDINATOR_EMAIL]))
        for user in db.session.scalars(powered):
            user.totp_secret = ADMIN_TOTP
            user.totp_enabled_at = utcnow()
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[str]:
    from r2p_network.core import catalogues

    catalogues.compile_all()
    url = (
        os.environ.get("E2E_CRAWL_DATABASE_URL")
        or f"sqlite:///{tmp_path_factory.mktemp('crawl')}/demo.sqlite"
    )
    _prepare_demo_database(url)
    yield from gunicorn(url)


def _start_paths() -> list[str]:
    from r2p_network import create_app

    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and not rule.arguments
        and rule.endpoint not in SKIPPED_ENDPOINTS
        and not NOT_PAGES.search(rule.rule)
    )


def _endpoint_matcher():
    from r2p_network import create_app

    app = create_app({"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    adapter = app.url_map.bind("localhost")

    def endpoint(path: str) -> str | None:
        try:
            name, _args = adapter.match(urlsplit(path).path, method="GET")
        except Exception:  # a redirect, a 404 or a POST-only route: not a page to visit
            return None
        return None if name in SKIPPED_ENDPOINTS else name

    return endpoint


def _check(journey: Journey, role: str, view: str, path: str) -> list[str]:
    page = journey.page
    problems = []
    layout = page.evaluate(LAYOUT_JS)
    if layout["overflow"] > 1:
        problems.append(f"{role} {view} {path}: {layout['overflow']} px of horizontal overflow")
    if view == "phone" and layout["header"] > 0.25 * layout["height"]:
        problems.append(f"{role} {view} {path}: header {layout['header']:.0f} px tall")
    problems += [f"{role} {view} {path}: target {t}" for t in page.evaluate(TARGETS_JS)]
    page.evaluate(AXE)  # through the DevTools protocol, so the CSP does not apply
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    problems += [
        f"{role} {view} {path}: axe {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
    shots = ARTIFACTS / "crawl"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{role}-{view}-{slug[:80]}.png"), full_page=True)
    return problems


def _crawl(journey: Journey, role: str, endpoint) -> tuple[list[str], list[str]]:
    """Visit one page per endpoint reachable from the start pages; return (visited, problems)."""
    queue = _start_paths()
    seen_endpoints: set[str] = set()
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        name = endpoint(path)
        if name is None or name in seen_endpoints:
            continue
        seen_endpoints.add(name)
        response = journey.page.goto(journey.base + path)
        final = urlsplit(journey.page.url).path
        if response is None or response.status >= 400 or endpoint(final) in seen_endpoints - {name}:
            continue  # forbidden to this role, or redirected to a page already checked
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(path)
        for view, size in VIEWPORTS.items():
            journey.page.set_viewport_size(size)
            problems += _check(journey, role, view, path)
        links = journey.page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
        for href in links:
            if href.startswith("/") and not href.startswith("//") and not NOT_PAGES.search(href):
                queue.append(href.split("#", 1)[0])
    return visited, problems


@pytest.mark.parametrize(("role", "email", "totp"), CRAWLERS, ids=[c[0] for c in CRAWLERS])
def test_every_page_fits_phone_and_desk_and_passes_axe(browser, demo_server, role, email, totp):
    journey = Journey(browser, demo_server, f"crawl-{role}")
    try:
        if email:
            journey.sign_in(email, totp)
        visited, problems = _crawl(journey, role, _endpoint_matcher())
    finally:
        journey.close()
    assert len(visited) >= (10 if role == "visitor" else 30), visited
    assert problems == [], "\n".join(problems)
