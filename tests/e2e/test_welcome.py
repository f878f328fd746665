"""The first-run welcome in a browser: request, approval, first sign-in, three steps with progress."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_TOTP, PASSWORD

pytestmark = pytest.mark.browser


def test_a_new_member_is_welcomed_once_with_progress(journey):
    page = journey.page
    journey.go("/auth/register")
    page.fill("#name", "Aminata Sow")
    page.fill("#email", "aminata.sow@example.org")
    page.select_option("#country", "SEN")
    page.check("input[name=network][value=government]")
    page.fill("#title", "Legal adviser")
    page.fill("#institution", "Ministry of Justice")
    page.fill("#justification", "Named national focal point by the ministry.")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("text=Send the request")
    assert page.locator("h1").inner_text() == "Your request has been received"

    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/admin/access-requests")
    page.click("text=Approve Aminata Sow")
    flash = page.locator(".flashes").inner_text()
    assert "is approved" in flash and ("is sent" in flash or "is queued" in flash)
    journey.sign_out()

    journey.sign_in("aminata.sow@example.org")
    assert "/account/welcome" in page.url
    assert page.locator("h1").inner_text().startswith("Welcome to the R2P focal point network")
    assert "0 of 3 steps done" in page.locator("main").inner_text()
    assert page.locator("progress").get_attribute("value") == "0"
    journey.shot("welcome-start")

    page.click("text=Edit your profile")
    page.fill("#bio", "Advises the ministry on atrocity prevention and transitional justice.")
    page.click("text=Save my profile")
    journey.go("/account/welcome")
    assert "1 of 3 steps done" in page.locator("main").inner_text()

    page.click("text=What you hear about")
    page.check("input[name=lessons_frequency][value=daily]")
    page.click("text=Save preferences")
    assert "Your notification preferences are saved." in page.locator(".flashes").inner_text()
    journey.go("/account/welcome")
    assert "2 of 3 steps done" in page.locator("main").inner_text()
    assert page.locator("progress").get_attribute("value") == "2"
    journey.shot("welcome-progress")

    page.click("text=Finish for now")
    assert "Welcome to the network." in page.locator(".flashes").inner_text()
    assert "/account/welcome" not in page.url
    journey.sign_out()
    journey.sign_in("aminata.sow@example.org")
    assert "/account/welcome" not in page.url
    journey.shot("second-sign-in")
