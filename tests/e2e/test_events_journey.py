"""The meetings journey in Chromium: the secretariat organises a regional meeting, two members
register (and ECOWAS's own focal point), the organiser attaches the agenda and later records
action points, which reach the owning team's or seat's home page."""

from __future__ import annotations

import pytest

from r2p_network.demo_events import docx_bytes
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_TOTP
from tests.e2e.people import ECOWAS_SEAT

pytestmark = pytest.mark.browser


def test_regional_meeting_registration_agenda_and_action_points(journey, tmp_path):
    page = journey.page
    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/events/")
    page.click("text=Organise an event")
    page.select_option("#kind", "regional_meeting")
    page.fill("#title", "ECOWAS regional meeting of focal points")
    page.fill("#description", "Two days on **national coordination** mechanisms.")
    page.fill("#starts", "2031-05-06T09:00")
    page.fill("#ends", "2031-05-07T16:30")
    page.select_option("#time_zone", "Africa/Accra")
    page.fill("#place", "Accra")
    page.select_option("#audience_orgs", "ecowas")
    page.select_option("#audience_org_seats", "ecowas")
    page.check("#registration_open")
    page.fill("#capacity", "30")
    journey.shot("event-form")
    page.click("text=Create the event")
    assert "The event is created." in page.locator(".flashes").inner_text()
    event_url = page.url.removeprefix(journey.base)
    journey.shot("event-created")
    journey.sign_out()

    for email in ("ama.mensah@example.org", "moussa.diallo@example.org", ECOWAS_SEAT):
        journey.sign_in(email)
        journey.go("/events/")
        page.click("text=ECOWAS regional meeting of focal points")
        page.click("main button:has-text('Register')")
        assert "You are registered." in page.locator(".flashes").inner_text()
        journey.shot(f"registered-{email.split('.')[0]}")
        journey.sign_out()

    # Denmark is not in ECOWAS: the meeting is not listed, and its page is not found.
    journey.sign_in("mette.holm@example.org")
    journey.go("/events/")
    assert page.locator("text=ECOWAS regional meeting").count() == 0
    assert page.goto(journey.base + event_url).status == 404
    journey.sign_out()

    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go(event_url)
    participants = page.locator("#participants-heading + ul").inner_text()
    assert all(name in participants for name in ("Ama Mensah", "Moussa Diallo", "Efua Owusu"))
    page.click("text=Attach a document")
    agenda = tmp_path / "agenda.docx"
    agenda.write_bytes(docx_bytes(["Agenda", "Day one: national coordination mechanisms"]))
    page.set_input_files("#file", str(agenda))
    page.fill("#title", "Agenda of the regional meeting")
    page.select_option("#kind", "other")
    journey.shot("agenda-form")
    page.click("main button:has-text('Upload')")
    assert "The document is stored." in page.locator(".flashes").inner_text()
    assert page.locator("#documents ~ ul >> text=Agenda of the regional meeting").count() == 1
    journey.shot("agenda-attached")

    page.click("text=Record an action point")
    page.fill("#text", "Share the national coordination mechanism's terms of reference")
    page.select_option("#country", "GHA")
    page.select_option("#network", "government")
    page.fill("#due_on", "2031-07-01")
    page.click("main button:has-text('Record')")
    assert "The action point is recorded." in page.locator(".flashes").inner_text()
    page.click("text=Record an action point")
    page.fill("#text", "Brief the meeting on the regional early-warning reports")
    page.select_option("#owner_kind", "org_seat")
    page.select_option("#organisation", "ecowas")
    page.click("main button:has-text('Record')")
    assert "The action point is recorded." in page.locator(".flashes").inner_text()
    journey.shot("action-point-recorded")
    journey.sign_out()

    journey.sign_in("ama.mensah@example.org")
    journey.go("/")
    actions = page.locator("#team-actions + ul").inner_text()
    assert "terms of reference" in actions
    journey.shot("team-dashboard")
    with page.expect_download() as download:
        journey.go(event_url)
        page.click("text=Agenda of the regional meeting")
        page.click("main a:has-text('Download')")
    assert download.value.suggested_filename == "agenda.docx"
    page.goto(journey.base + "/")
    page.click("#team-actions + ul button:has-text('Mark as done')")
    assert "The action point is updated." in page.locator(".flashes").inner_text()
    assert page.locator("#team-actions").count() == 0
    journey.shot("action-point-done")
    journey.sign_out()

    journey.sign_in("moussa.diallo@example.org")
    journey.go("/")
    assert page.locator("text=terms of reference").count() == 0  # Senegal's team owns no action point
    journey.sign_out()

    # ECOWAS's own focal point finds the action point owned by its seat, and closes it.
    journey.sign_in(ECOWAS_SEAT)
    journey.go("/")
    assert "early-warning reports" in page.locator("#team-actions + ul").inner_text()
    page.click("#team-actions + ul button:has-text('Mark as done')")
    assert "The action point is updated." in page.locator(".flashes").inner_text()
    assert page.locator("#team-actions").count() == 0
