"""Automated accessibility checks (axe-core) and keyboard-only use of the main forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import PASSWORD, Journey

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PUBLIC_PAGES = [
    "/",
    "/auth/login",
    "/auth/register",
    "/auth/reset",
    "/network",
    "/lessons/",
    "/regions/",
    "/events/",
    "/documents/",
]
MEMBER_PAGES = [
    "/focal-points/",
    "/profile",
    "/countries/GHA",
    "/assessments/",
    "/assessments/new",
    "/capacity/",
    "/lessons/",
    "/lessons/new",
    "/lessons/cross-regional",
    "/regions/m49/002",
    "/regions/orgs/ecowas?capacity=mediation",
    "/regions/compare",
    "/capacity/submissions/new",
    "/account/",
    "/account/sessions",
    "/notifications/",
    "/events/",
    "/events/?when=past",
    "/events/calendar",
    "/documents/",
    "/documents/new",
    "/account/notifications",
    "/account/welcome",
]


def _serious_violations(journey: Journey, path: str, inject: str = "") -> list[str]:
    journey.go(path)
    if inject:
        journey.page.evaluate(
            "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", inject
        )
    journey.page.evaluate(AXE)  # evaluated through the DevTools protocol, so the CSP does not apply
    result = journey.page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        ["wcag2a", "wcag2aa", "wcag21aa"],
    )
    return [
        f"{path}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_pages_have_no_serious_accessibility_violations(journey):
    # The checker itself works: an image without a text alternative is reported.
    assert any(
        "image-alt" in p for p in _serious_violations(journey, "/", inject='<img src="/static/x.png">')
    )
    problems = [p for path in PUBLIC_PAGES for p in _serious_violations(journey, path)]
    journey.sign_in("ama.mensah@example.org")
    problems += [p for path in MEMBER_PAGES for p in _serious_violations(journey, path)]
    assert problems == []


def test_sign_in_with_the_keyboard_only(journey):
    page = journey.page
    journey.go("/auth/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.focus("#email")
    page.keyboard.type("ama.mensah@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("text=Sign out").count() == 1
    journey.shot("signed-in-by-keyboard")


def test_profile_form_with_the_keyboard_only(journey):
    page = journey.page
    journey.sign_in("mette.holm@example.org")
    journey.go("/profile")
    page.focus("#bio")
    page.keyboard.press("Control+A")
    page.keyboard.type("Leads the prevention desk.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "in_post"
    page.focus("#languages-0")
    page.keyboard.press("Space")  # tick Arabic
    page.focus("main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your profile is saved." in page.locator(".flashes").inner_text()
    assert page.is_checked("#languages-0")
    journey.shot("profile-saved-by-keyboard")
