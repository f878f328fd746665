"""Pillar II in a browser: revising a verified capacity map, and an offer turned into assistance."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_TOTP
from tests.e2e.test_accessibility import _serious_violations

pytestmark = pytest.mark.browser


def _verify_waiting(journey, text: str) -> None:
    page = journey.page
    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/capacity/verification")
    item = page.locator("article.card", has_text=text)
    item.locator("text=Verify this map").click()
    assert "is verified" in page.locator(".flashes").inner_text()
    journey.sign_out()


def test_revision_then_assistance_from_request_to_lesson(journey):
    page = journey.page
    journey.sign_in("ama.mensah@example.org")
    journey.go("/capacity/submissions/new")
    page.fill("#cycle", "2024")
    page.click("main button:has-text('Start')")
    page.select_option("#category", "mediation")
    page.check("input[name=status][value=offers]")
    page.check("input[name=maturity][value='3']")
    page.fill("#description", "Ghanaian mediators for local dialogue.")
    page.click("text=Add the entry")
    page.click("text=Submit for verification")
    journey.sign_out()
    _verify_waiting(journey, "Ghanaian mediators for local dialogue.")

    # The team corrects its verified map through a revision.
    journey.sign_in("ama.mensah@example.org")
    journey.go("/capacity/submissions/")
    page.click("a:text-is('2024')")
    page.click("text=Start a revision from this map")
    assert "Revision started" in page.locator(".flashes").inner_text()
    page.click("#entries a:has-text('Edit')")
    page.check("input[name=maturity][value='4']")
    page.fill("#description", "Ghanaian mediators for local and regional dialogue.")
    page.click("text=Save the entry")
    assert "Entry saved." in page.locator(".flashes").inner_text()
    assert "Changes from the current map" in page.content()
    journey.shot("revision-with-its-difference")
    page.click("text=Submit for verification")
    journey.sign_out()
    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/capacity/verification")
    queue = page.locator("main").inner_text()
    assert "Changes from the current map" in queue and "Ghanaian mediators for local dialogue." in queue
    journey.shot("verifier-sees-the-difference")
    page.locator("article.card", has_text="regional dialogue").locator("text=Verify this map").click()
    journey.sign_out()

    # Senegal needs mediation: it asks Ghana, from the match.
    journey.sign_in("moussa.diallo@example.org")
    journey.go("/capacity/?category=mediation")
    matches = page.locator("#matches-heading >> xpath=..")
    assert "Ghana" in matches.inner_text()
    matches.locator("a", has_text="ask for assistance: Ghana").first.click()
    assert "Ghanaian mediators for local and regional dialogue." in page.content()
    page.fill("#what", "Two mediators for a district dialogue")
    page.fill("#why", "Tensions before the local elections.")
    page.fill("#timeframe", "March 2027")
    page.select_option("#need", label="Training for local mediators")
    page.click("text=Send the request")
    assert "sent to the offering team" in page.locator(".flashes").inner_text()
    request_path = urlsplit(page.url).path
    journey.sign_out()

    journey.sign_in("ama.mensah@example.org")
    journey.go("/assistance/")
    page.click("text=Two mediators for a district dialogue")
    for step in ("Accept", "Mark as under way", "Mark as delivered"):
        page.click(f"main button:text-is('{step}')")
        assert "The other team is told." in page.locator(".flashes").inner_text()
    page.fill("#body", "Mission report attached.")
    page.fill("#link", "https://example.org/report.pdf")
    page.click("text=Add the note")
    journey.shot("delivered-with-a-note")
    journey.sign_out()

    journey.sign_in("moussa.diallo@example.org")
    journey.go(request_path)
    assert "Mission report attached." in page.content()
    page.click("main button:text-is('Close')")
    journey.go("/notifications/")
    assert "a draft lesson awaits your account" in page.locator("main").inner_text()
    journey.shot("asked-for-a-lesson")
    problems = [
        p
        for path in ("/assistance/", "/countries/GHA", "/regions/m49/002")
        for p in _serious_violations(journey, path)
    ]
    journey.sign_out()

    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/reports/?grain=quarter")
    assert page.locator("svg.line-chart").count() == 6
    journey.shot("reports")
    problems += [
        p for path in ("/reports/", "/capacity/verification") for p in _serious_violations(journey, path)
    ]
    assert problems == []
