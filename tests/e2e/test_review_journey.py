"""Sharing with chosen partners and peer review, in Chromium: Ghana shares a version with Kenya's
team and the UN office, invites Kenya to review, Kenya comments on two risk factors, Ghana replies
and closes the review; Côte d'Ivoire's team can read none of it."""

from __future__ import annotations

import re

import pytest

from tests.e2e.people import REVIEWED_ANSWERS, REVIEWED_TITLE

pytestmark = pytest.mark.browser


def test_share_with_named_partners_and_peer_review(journey):
    page = journey.page
    journey.sign_in("ama.mensah@example.org")
    journey.go("/assessments/")
    page.click(f"text={REVIEWED_TITLE}")
    page.click("a:text-is('Version 1')")
    version_url = page.url.split("?")[0]
    page.click("text=Share with chosen partners, and see who can read this version")
    sharing_url = page.url
    page.check("input[name=audience][value=team]")
    page.select_option("#country", "KEN")
    page.select_option("#network", "government")
    page.check("#confirm")
    page.click("text=Share version 1")
    assert "Version 1 is shared." in page.locator(".flashes").inner_text()
    page.check("input[name=audience][value=un_office]")
    page.check("#confirm")
    page.click("text=Share version 1")
    listing = page.locator("main").inner_text()
    assert "Kenya, government team" in listing and "UN Office on Genocide Prevention" in listing
    journey.shot("shared-with-kenya-and-the-un-office")

    page.click("text=Invite a reviewer")
    page.check("input[name=reviewer][value=team]")
    page.select_option("#country", "KEN")
    page.select_option("#network", "government")
    page.fill("#message", "Please look at the risk factors first.")
    page.fill("#recommendation", "UPR recommendation on preventing incitement")
    page.fill("#recommendation_url", "https://example.org/upr/ghana")
    page.check("#confirm")
    journey.shot("invitation")
    page.click("main button:has-text('Invite')")
    assert "The reviewer is invited" in page.locator(".flashes").inner_text()
    review_url = page.url
    journey.sign_out()

    journey.sign_in("wanjiru.kamau@example.org")
    journey.go("/reviews/")
    page.click(f"text={REVIEWED_TITLE}")
    assert page.url == review_url
    assert REVIEWED_ANSWERS["rf01_evidence"] in page.locator("main").inner_text()
    for target, text in (
        ("rf01", "Which districts, and since when?"),
        ("rf04", "Were the speeches reported to the media council?"),
    ):
        page.select_option("#target", target)
        page.fill("#body", text)
        page.click("text=Add the comment")
        assert "Your comment is added" in page.locator(".flashes").inner_text()
    page.fill("#overall_note", "A frank assessment; the evidence could name its sources.")
    page.click("text=Save the overall note")
    journey.shot("kenya-commented-on-two-risk-factors")
    journey.go(version_url.replace(journey.base, ""))
    assert "Shared with you" in page.locator("main").inner_text()
    journey.sign_out()

    journey.sign_in("ama.mensah@example.org")
    journey.go(review_url.replace(journey.base, ""))
    point = page.locator("#point-rf01")
    assert "Which districts, and since when?" in point.inner_text()
    point.locator("textarea").fill("Two districts in the Northern Region, since March.")
    point.locator("button:has-text('Reply')").click()
    assert "Your reply is added" in page.locator(".flashes").inner_text()
    assert "Two districts in the Northern Region" in page.locator("#point-rf01").inner_text()
    page.click("text=Close the review")
    assert "The review is closed" in page.locator(".flashes").inner_text()
    journey.shot("ghana-replied-and-closed")
    journey.sign_out()

    journey.sign_in("aya.kouassi@example.org")
    for url in (version_url, review_url, sharing_url):
        response = page.goto(url)
        assert response.status == 404, url
        assert REVIEWED_ANSWERS["rf01_evidence"] not in page.content()
    journey.go("/assessments/")
    assert REVIEWED_TITLE not in page.locator("main").inner_text()
    journey.go("/reviews/")
    assert REVIEWED_TITLE not in page.locator("main").inner_text()
    assert re.search(r"/reviews/\d+$", review_url)
    journey.shot("cote-divoire-reads-none-of-it")
