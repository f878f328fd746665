"""No lost work, in Chromium: a save sent after the session expired completes once the member
signs in again, and the draft saves itself in the background while the member types."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import PASSWORD, Journey, gunicorn
from tests.e2e.test_accessibility import _serious_violations

pytestmark = pytest.mark.browser

IDLE_MINUTES = 1  # the shortest idle timeout the setting allows


@pytest.fixture(scope="module")
def short_session_server(live_server, live_database_url) -> Iterator[str]:
    """A second server on the journeys' database whose sessions end after one idle minute."""
    yield from gunicorn(live_database_url, SESSION_IDLE_MINUTES=str(IDLE_MINUTES))


def test_a_save_after_the_session_expired_keeps_the_text(browser, short_session_server):
    trip = Journey(browser, short_session_server, "expired-session-save")
    page = trip.page
    try:
        trip.sign_in("mette.holm@example.org")
        trip.go("/assessments/new")
        page.fill("#title", "Strategy written slowly")
        page.click("text=Create the draft")
        edit_url = page.url
        page.fill("#rf02_evidence", "Saved in the background while typing.")
        page.wait_for_selector("[data-autosave-status]:has-text('All changes saved.')", timeout=15000)
        trip.shot("saved-in-background")

        time.sleep(IDLE_MINUTES * 60 + 5)  # the member reads and thinks; the session ends
        typed = "Evidence typed over a long time: tension ahead of the census in two districts."
        page.fill("#rf01_evidence", typed)
        page.click("main button:has-text('Save')")  # before the background save starts
        assert "/auth/login" in page.url
        trip.shot("asked-to-sign-in")
        page.fill("#email", "mette.holm@example.org")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        # The kept form is sent again by the resume page's script and the save completes.
        page.wait_for_url(lambda url: "section=" in url, timeout=15000)
        assert "Saved" in page.locator(".flashes").inner_text()
        trip.shot("saved-after-signing-in")
        page.goto(edit_url)
        assert page.input_value("#rf01_evidence") == typed
        assert page.input_value("#rf02_evidence") == "Saved in the background while typing."

        # Leaving with changes not saved yet asks first.
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
        page.fill("#rf03_evidence", "Not saved yet")
        page.click("text=Element 2")
        assert dialogs == ["beforeunload"]
    finally:
        trip.close()


def test_the_editor_the_documents_and_the_dashboard_pass_axe(journey):
    page = journey.page
    journey.sign_in("moussa.diallo@example.org")
    journey.go("/assessments/new")
    page.fill("#title", "Strategy checked for accessibility")
    page.click("text=Create the draft")
    edit = page.url.replace(journey.base, "")
    page.click("text=Element 2")
    page.fill("#priority_actions-0-action", "Create a national prevention committee")
    page.click("main button:has-text('Save')")
    detail = edit.split("/edit")[0]
    problems = _serious_violations(journey, edit)  # element 1: the index and the cards
    journey.go(detail)
    page.check("#submit-incomplete")
    page.click("text=Submit as version 1")
    assert "Version 1 is submitted" in page.locator(".flashes").inner_text()
    paths = [detail, f"{detail}/versions/1", f"{detail}/versions/1?print=1", f"{detail}/priorities"]
    problems += [p for path in paths for p in _serious_violations(journey, path)]
    assert problems == []
    journey.go(f"{detail}/priorities")
    assert "Create a national prevention committee" in page.locator("main").inner_text()
    journey.shot("priorities-dashboard")
