"""Journeys through the real site, in Chromium, asserting what a person sees at each step."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_TOTP, PASSWORD

pytestmark = pytest.mark.browser


def test_request_access_approval_profile_and_directory(journey):
    page = journey.page
    journey.go("/auth/register")
    page.fill("#name", "Kofi Boateng")
    page.fill("#email", "kofi.boateng@example.org")
    page.select_option("#country", "GHA")
    page.check("input[name=network][value=civil_society]")
    page.fill("#title", "Programme Director")
    page.fill("#institution", "West Africa Peace Centre")
    page.fill("#justification", "Named civil-society focal point by the national coalition.")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    journey.shot("request-form")
    page.click("text=Send the request")
    assert page.locator("h1").inner_text() == "Your request has been received"
    journey.shot("request-received")

    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/admin/access-requests")
    assert page.locator("text=West Africa Peace Centre").count() == 1
    journey.shot("admin-sees-request")
    page.click("text=Approve Kofi Boateng")
    assert "is approved" in page.locator(".flashes").inner_text()
    journey.shot("approved")
    journey.sign_out()

    journey.sign_in("kofi.boateng@example.org")
    journey.go("/profile")
    page.fill("#bio", "Coordinates civil-society early-warning monitors in northern Ghana.")
    page.check("label:has-text('French') >> xpath=preceding-sibling::input")
    page.check("label:has-text('Mediation and dialogue') >> xpath=preceding-sibling::input")
    page.click("text=Save my profile")
    assert "Your profile is saved." in page.locator(".flashes").inner_text()
    journey.shot("profile-saved")

    journey.go("/focal-points/")
    page.fill("#q", "transitional")  # an expertise, not a name
    page.click("text=Show focal points")
    assert page.locator("h2 >> text=Mette Holm").count() == 1
    journey.shot("directory-finds-counterpart")
    page.click("text=Mette Holm")
    assert "Denmark" in page.locator("main").inner_text()
    journey.shot("counterpart-profile")


def test_national_assessment_versions_compare_and_share(journey):
    page = journey.page
    journey.sign_in("ama.mensah@example.org")
    journey.go("/assessments/new")
    page.fill("#title", "National strategy for atrocity prevention 2027-2030")
    page.click("text=Create the draft")
    assert "Draft created" in page.locator(".flashes").inner_text()
    page.check("input[name=rf01_judgement][value=some_concern]")
    page.fill("#rf01_evidence", "Tension ahead of the census in two districts.")
    journey.shot("element-1")
    page.click("text=Save and continue")
    page.fill("#priority_actions-0-action", "Create a national prevention committee")
    page.click("text=Save and continue")
    page.select_option("#training_courses-0-audience", "police")
    page.fill("#training_courses-0-planned", "120")
    page.click("text=Save and continue")
    page.fill("#endorsements", "Cabinet declared prevention a national priority.")
    page.fill("#partnerships", "Dialogue with the press council every quarter.")
    page.click("main button:has-text('Save')")
    journey.shot("element-4")
    page.click("text=National strategy for atrocity prevention 2027-2030")
    assert page.locator("text=Element 2").count() >= 1
    page.check("#submit-incomplete")  # the list of missing answers asks for a confirmation
    page.click("text=Submit as version 1")
    assert "Version 1 is submitted" in page.locator(".flashes").inner_text()
    journey.shot("version-1-submitted")

    page.click("text=Start a new draft from version 1")
    page.check("input[name=rf01_judgement][value=serious_concern]")
    page.click("main button:has-text('Save')")
    page.click("text=National strategy for atrocity prevention 2027-2030")
    page.check("#submit-incomplete")
    page.click("text=Submit as version 2")
    page.click("main button:has-text('Compare')")
    assert "1 judgement changed" in page.locator("main").inner_text()
    assert page.locator("ins >> text=Serious concern").count() == 1
    journey.shot("comparison")

    page.click("text=National strategy for atrocity prevention 2027-2030")
    page.click("a:text-is('Version 2')")
    page.check("input[name=visibility][value=network]")
    page.check("#confirm")
    page.click("text=Change who may read version 2")
    assert "Shared with the network" in page.locator(".flashes").inner_text()
    journey.shot("shared-with-network")
    assessment_url = re.sub(r"/versions/2.*$", "", page.url)
    journey.sign_out()

    journey.sign_in("moussa.diallo@example.org")
    journey.go("/assessments/")
    page.click("text=National strategy for atrocity prevention 2027-2030")
    assert "Tension ahead of the census" in page.locator("main").inner_text()
    journey.shot("other-country-reads-shared-version")
    private = page.goto(f"{assessment_url}/versions/1")
    assert private.status == 404
    assert "Tension ahead" not in page.content()
    journey.shot("private-version-is-404")


def test_capacity_map_verification_matches_and_downloads(journey):
    page = journey.page
    journey.sign_in("mette.holm@example.org")
    journey.go("/capacity/submissions/")
    page.click("text=Start a map for a cycle")
    page.fill("#cycle", "2026")
    page.click("main button:has-text('Start')")
    page.select_option("#category", "mediation")
    page.check("input[name=status][value=offers]")
    page.check("input[name=maturity][value='4']")
    page.fill("#description", "Senior mediators available for regional dialogue processes.")
    page.click("text=Add the entry")
    assert "Entry added." in page.locator(".flashes").inner_text()
    page.click("text=Submit for verification")
    assert "an administrator will verify it" in page.locator(".flashes").inner_text()
    journey.shot("submitted")
    journey.sign_out()

    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/capacity/verification")
    assert page.locator("text=Senior mediators available").count() == 1
    page.click("text=Verify this map")
    assert "is verified" in page.locator(".flashes").inner_text()
    journey.shot("verified")

    journey.go("/capacity/?category=mediation")
    matches = page.locator("#matches-heading >> xpath=..").inner_text()
    assert "Senegal" in matches and "Denmark" in matches
    journey.shot("map-and-matches")
    with page.expect_download() as download:
        page.click("a:text-is('CSV')")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    # The headers are in the reader's language (English here); the cells keep their codes.
    assert {("DNK", "offers"), ("SEN", "needs")} <= {(r["ISO code"], r["Status"]) for r in rows}
    with page.expect_download() as download:
        page.click("a:text-is('XLSX')")
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    values = {cell.value for row in workbook["Entries"].iter_rows() for cell in row}
    assert "Senior mediators available for regional dialogue processes." in values

    # The regional views show it too: on the EU's map, and as the nearest offer for West Africa's gap.
    journey.go("/regions/orgs/eu?capacity=mediation")
    assert page.locator("svg g.cap-offers title", has_text="Denmark").count() == 1
    journey.shot("eu-map-shows-the-offer")
    journey.go("/regions/m49/011")
    gaps = page.locator("#capacity-heading >> xpath=..").inner_text()
    assert "Mediation and dialogue" in gaps and "Denmark" in gaps
    journey.shot("west-africa-gap-and-nearest-offer")


def test_lesson_moderated_found_by_search_and_discussed(journey):
    page = journey.page
    journey.sign_in("moussa.diallo@example.org")
    journey.go("/lessons/new")
    page.fill("#title", "Village monitors and a national response team")
    page.fill("#summary", "Community monitors reported weekly to a national team that could act within days.")
    page.select_option("#countries", ["SEN"])
    page.fill("#period_start", "2019")
    page.fill("#period_end", "2023")
    page.check("input[name=pillars][value='1']")
    page.check("input[name=themes][value=early-warning]")
    page.fill("#what_happened", "**Weekly** reports from *village monitors* reached the capital.")
    page.fill("#recommendations", "- Name the response owner first\n- Pay the monitors")
    journey.shot("lesson-form")
    page.click("text=Save and submit for moderation")
    assert "Sent to the moderators" in page.locator(".flashes").inner_text()
    journey.shot("lesson-submitted")
    journey.sign_out()

    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/admin/moderation")
    page.click("table.queue a:has-text('Village monitors and a national response team')")
    item = page.locator(".opened-item article")
    assert item.locator("strong", has_text="Weekly").count() == 1  # shown as it would be published
    item.locator("input[value=request_changes]").check()
    item.locator("textarea").fill("Please add how the monitors were protected.")
    item.locator("text=Record the decision").click()
    assert "Decision recorded" in page.locator(".flashes").inner_text()
    journey.shot("changes-requested")
    journey.sign_out()

    journey.sign_in("moussa.diallo@example.org")
    journey.go("/lessons/mine")
    assert "Please add how the monitors were protected." in page.locator("main").inner_text()
    page.click("text=Village monitors and a national response team")
    page.click("main a:text-is('Edit')")
    page.fill("#what_did_not", "Two monitors were threatened; names are now kept off written reports.")
    page.click("text=Save and submit for moderation")
    journey.shot("resubmitted")
    journey.sign_out()

    journey.sign_in(ADMIN_EMAIL, ADMIN_TOTP)
    journey.go("/admin/moderation")
    page.click("table.queue a:has-text('Village monitors and a national response team')")
    item = page.locator(".opened-item article")
    item.locator("input[value=approve]").check()
    item.locator("text=Record the decision").click()
    assert "Decision recorded" in page.locator(".flashes").inner_text()
    journey.sign_out()

    journey.sign_in("mette.holm@example.org")
    journey.go("/lessons/")
    page.fill("#q", "village monitors")
    page.click("text=Show lessons")
    assert page.locator("mark", has_text="village").count() >= 1
    journey.shot("found-by-search")
    page.click("h2 a:has-text('Village')")
    assert page.locator("main strong", has_text="Weekly").count() == 1
    page.fill("#body", "We will try this in our own early-warning pilot.")
    page.click("text=Post the comment")
    assert "Your comment is posted." in page.locator(".flashes").inner_text()
    assert page.locator("article.card", has_text="our own early-warning pilot").count() == 1
    journey.shot("commented")
