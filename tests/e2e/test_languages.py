"""The site in French and in Arabic, end to end: no English interface text left on the pages a
member uses, and Arabic pages read right to left without horizontal overflow."""

from __future__ import annotations

import re

import pytest

from r2p_network.core import catalogues
from tests.e2e.conftest import ARTIFACTS, PASSWORD

pytestmark = pytest.mark.browser

PAGES = (
    "/",
    "/assessments/",
    "/assessments/new",
    "/lessons/",
    "/lessons/new",
    "/capacity/",
    "/regions/m49/002",
    "/focal-points/",
    "/profile",
)


def _english_phrases(lang: str) -> set[str]:
    """Interface sentences whose translation differs from the English: none may show."""
    phrases = set()
    for message in catalogues.read(lang):
        if not message.id or isinstance(message.id, tuple) or "%" in message.id:
            continue
        text = message.id.strip()
        translated = message.string if isinstance(message.string, str) else ""
        # Whole phrases of three words or more: short words also occur in member-written text.
        if len(text.split()) >= 3 and translated and translated.strip() != text:
            phrases.add(text)
    return phrases


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_member_uses_the_site_in_their_language(browser, live_server, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=lang)
    page = context.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        # The language is chosen before signing in, with the menu, and survives sign-in.
        page.goto(live_server + "/auth/login")
        page.click("summary.menu-toggle")
        page.select_option("select[name=lang]", lang)
        page.locator("form:has(select[name=lang]) button").click()
        assert page.locator("html").get_attribute("lang") == lang
        page.fill("#email", "ama.mensah@example.org")
        page.fill("#password", PASSWORD)
        page.locator("main button[type=submit]").click()
        phrases = _english_phrases(lang)
        assert len(phrases) > 200
        english_left = {}
        for path in PAGES:
            response = page.goto(live_server + path)
            assert response is not None and response.status == 200, path
            assert page.locator("html").get_attribute("lang") == lang, path
            shown = page.locator("body").inner_text()
            left = sorted(phrase for phrase in phrases if re.search(rf"\b{re.escape(phrase)}\b", shown))
            if left:
                english_left[path] = left
            if lang == "ar":
                assert page.locator("html").get_attribute("dir") == "rtl", path
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (path, overflow)
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(ARTIFACTS / f"language-{lang}-{name}.png"), full_page=True)
        # An assessment section: the template's own text reads in the language too.
        page.goto(live_server + "/assessments/new")
        page.fill("#title", f"Strategy drafted in {lang}")
        page.locator("main button[type=submit]").click()
        assert "/edit" in page.url, page.url
        shown = page.locator("body").inner_text()
        left = sorted(phrase for phrase in phrases if re.search(rf"\b{re.escape(phrase)}\b", shown))
        assert "Situations of armed conflict" not in shown
        if left:
            english_left["assessment section"] = left
        page.screenshot(path=str(ARTIFACTS / f"language-{lang}-assessment-section.png"), full_page=True)
        # A lesson written in the member's language, saved as a draft and read back.
        page.goto(live_server + "/lessons/new")
        page.fill("#title", f"Lesson drafted in {lang}: village monitors")
        page.fill("#summary", "Community monitors reported weekly to a national team that could act.")
        page.select_option("#language", lang)
        page.select_option("#countries", ["SEN"])
        page.fill("#period_start", "2019")
        page.check("input[name=themes][value=early-warning]")
        page.fill("#what_happened", "Weekly reports reached the capital.")
        page.fill("#recommendations", "Name the response owner first.")
        page.locator("main form button[type=submit]").first.click()
        assert "/lessons/new" not in page.url, page.locator("main").inner_text()[:600]
        assert "/lessons/" in page.url and page.locator("h1").get_attribute("lang") == lang, page.url
        shown = page.locator("body").inner_text()
        left = sorted(phrase for phrase in phrases if re.search(rf"\b{re.escape(phrase)}\b", shown))
        if left:
            english_left["lesson"] = left
        page.screenshot(path=str(ARTIFACTS / f"language-{lang}-lesson.png"), full_page=True)
        assert english_left == {}
    finally:
        context.close()
