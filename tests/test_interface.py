"""The interface pass (issue #20), checked on the server's HTML: the header and its menu, the
compact moderation queue, the lesson-page fixes, word-boundary excerpts, and the directory's
phone layout. The browser crawl (tests/e2e/test_crawl.py) checks layout and accessibility."""

from __future__ import annotations

import re

import pytest

from r2p_network.admin.moderation_queries import PER_PAGE
from r2p_network.core.search import excerpt
from r2p_network.extensions import db
from r2p_network.lessons import services
from r2p_network.notifications.services import MESSAGES, notify
from tests.conftest import count_queries, login
from tests.factories import lesson_data, make_lesson, make_member


@pytest.fixture
def author(db_session):
    return make_member("KEN", email="author@example.org")


@pytest.fixture
def author_client(app, author):
    client = app.test_client()
    login(client, author.email)
    return client


def _header(page: str) -> str:
    return page[page.index('<header class="site-header">') : page.index("</header>")]


def test_header_has_main_sections_and_one_menu_that_opens_without_script(member_client):
    header = _header(member_client.get("/lessons/").get_data(as_text=True))
    assert header.count('<details class="menu">') == 1 and '<summary class="menu-toggle">' in header
    menu = header[header.index('<details class="menu">') :]
    for text in (
        "My profile",
        "Notifications",
        "Assistance requests",
        "Network coverage",
        "Account and security",
        "Sign out",
        'id="language-select"',
    ):
        assert text in menu, text
    assert header.count("Sign out") == 1 and header.count('id="language-select"') == 1
    main = header[: header.index('<details class="menu">')]
    for text in (
        "Directory",
        "Strategies",
        "Capacity map",
        "Lessons",
        "Events",
        "Library",
        "Regions",
    ):
        assert text in main, text
    assert "My profile" not in main  # the account's pages are in the menu, so the line fits


def test_the_current_section_is_marked(member_client):
    header = _header(member_client.get("/lessons/cross-regional").get_data(as_text=True))
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', header)
    assert set(current) == {"/lessons/"}
    header = _header(member_client.get("/regions/").get_data(as_text=True))
    assert set(re.findall(r'<a href="([^"]+)" aria-current="page">', header)) == {"/regions/"}


def test_unread_count_is_a_readable_badge_on_the_menu_button(member_client, member):
    notify(member.id, next(iter(MESSAGES)), "/lessons/")
    db.session.flush()
    header = _header(member_client.get("/").get_data(as_text=True))
    summary = header[header.index("<summary") : header.index("</summary>")]
    assert '<span class="badge count">1<span class="visually-hidden"> unread</span></span>' in summary


def test_visitors_get_sign_in_and_the_language_menu(client):
    header = _header(client.get("/").get_data(as_text=True))
    assert "Sign in" in header and "Request access" in header and 'id="language-select"' in header
    assert "Sign out" not in header


def test_the_queue_is_compact_and_opens_one_item(app, admin_client, author):
    first = make_lesson(author, status="submitted", title="First waiting lesson")
    second = make_lesson(author, status="submitted", title="Second waiting lesson")
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    assert page.count("<tr") == 3  # the header and two rows
    assert "First waiting lesson" in page and "Author Kenya" not in page
    row = page[page.index("First waiting lesson") :]
    row = row[: row.index("</tr>")]
    assert "Kenya" in row and "Publish this new lesson?" in row and "ago" in row
    assert "Record the decision" not in page  # nothing is opened until asked
    opened = admin_client.get(f"/admin/moderation?open=lesson-{first.id}").get_data(as_text=True)
    assert opened.count("Record the decision") == 1 and 'aria-current="true"' in opened
    assert f"New lesson: {first.title}" in opened and f"New lesson: {second.title}" not in opened
    gone = admin_client.get("/admin/moderation?open=lesson-999999").get_data(as_text=True)
    assert "That item no longer waits" in gone
    assert admin_client.get("/admin/moderation?kind=nonsense").status_code == 404


def test_the_queue_pages_and_its_tab_is_marked(admin_client, author):
    for n in range(PER_PAGE + 2):
        make_lesson(author, status="submitted", title=f"Waiting lesson {n:02d}")
    page = admin_client.get("/admin/moderation?kind=lesson").get_data(as_text=True)
    assert f"{PER_PAGE + 2} items waiting" in page and "Page 1 of 2" in page
    assert '<a href="/admin/moderation?kind=lesson" aria-current="page">' in page
    second = admin_client.get("/admin/moderation?kind=lesson&page=2").get_data(as_text=True)
    assert "Waiting lesson 26" in second and "Waiting lesson 00" not in second


def test_the_queue_runs_the_same_queries_with_one_item_open(admin_client, author):
    lesson = make_lesson(author, status="submitted")

    def queries(path: str) -> int:
        with count_queries() as statements:
            assert admin_client.get(path).status_code == 200
        return len(statements)

    small = queries(f"/admin/moderation?open=lesson-{lesson.id}")
    for _ in range(5):
        make_lesson(author, status="submitted")
    assert queries(f"/admin/moderation?open=lesson-{lesson.id}") == small


def test_a_resubmitted_lesson_no_longer_shows_the_old_note(app, author, author_client, admin_client):
    lesson = make_lesson(author, status="changes_requested")
    page = author_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Please say more about the outcome." in page
    with app.test_request_context():
        services.save(lesson, lesson_data(title="Now with the outcome"), author, submit=True)
    page = author_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Please say more about the outcome." not in page
    mine = author_client.get("/lessons/mine").get_data(as_text=True)
    assert "Please say more about the outcome." not in mine


def test_an_unpublished_byline_has_no_dangling_separator(author_client, author):
    lesson = make_lesson(author, status="draft")
    page = author_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    byline = re.search(r'<p class="meta byline">(.*?)</p>', page, re.S).group(1).strip()
    assert byline == f"by {author.name}"


def test_authors_are_not_offered_to_report_their_own_lesson(author_client, member_client, author):
    lesson = make_lesson(author)
    assert "Report this lesson" not in author_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Report this lesson" in member_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)


@pytest.mark.parametrize("before", [0, 1, 20, 50, 120])
def test_excerpts_start_and_end_on_word_boundaries(before):
    words = " ".join(f"word{n:03d}" for n in range(200))
    text = " ".join(f"word{n:03d}" for n in range(before)) + " mediation " + words
    shown = "".join(piece for piece, _hit in excerpt(text, "mediation"))
    inner = shown.removeprefix("… ").removesuffix(" …")
    for word in inner.split():
        assert word == "mediation" or re.fullmatch(r"word\d{3}", word), (word, shown)
    assert "mediation" in shown


def test_excerpts_in_scripts_without_spaces_still_show_the_match():
    text = "保护责任" * 100 + "调解" + "保护责任" * 100
    pieces = excerpt(text, "调解")
    assert any(hit and piece == "调解" for piece, hit in pieces)


def test_directory_filters_fold_into_a_panel_after_the_search(member_client):
    page = member_client.get("/focal-points/?network=government&language=fr").get_data(as_text=True)
    start = page.index('<details class="filter-panel">')
    panel = page[start : page.index("</details>", start)]
    assert 'id="region"' in panel and 'id="expertise"' in panel and 'id="q"' not in panel
    assert "2 active" in panel
    assert page.index('id="q"') < page.index('<details class="filter-panel">')


def test_regional_page_puts_member_sections_first_and_folds_the_coverage_table(member_client):
    page = member_client.get("/regions/m49/002").get_data(as_text=True)
    assert page.index('id="progress-heading"') < page.index('id="coverage-heading"')
    assert page.index('id="lessons-heading"') < page.index('id="coverage-heading"')
    folded = page[page.index('<details class="coverage-table">') :]
    assert folded.index("<summary>") < folded.index("Focal points in post by country and network")
    assert 'action="/regions/m49/002#coverage-heading"' in page


def test_compare_any_places_chosen_in_the_url(member_client):
    page = member_client.get("/regions/compare?place=m49:002&place=groups:african&place=orgs:ecowas")
    html = page.get_data(as_text=True)
    table = html[html.index('<table class="data compare-regions">') :]
    heads = re.findall(r'<th scope="col"><a href="([^"]+)"', table)
    assert heads == ["/regions/m49/002", "/regions/groups/african", "/regions/orgs/ecowas"]
    assert 'value="orgs:ecowas" id="place-orgs-ecowas" checked' in html
    assert '<a href="#choose-places" aria-current="page">' in html


def test_compare_keeps_at_most_six_and_ignores_unknown_places(member_client):
    codes = ["002", "019", "142", "150", "009", "014", "011"]
    query = "&".join(f"place=m49:{c}" for c in codes) + "&place=m49:999"
    html = member_client.get(f"/regions/compare?{query}").get_data(as_text=True)
    table = html[html.index('<table class="data compare-regions">') :]
    assert len(re.findall(r'<th scope="col"><a href="/regions/', table)) == 6
    assert "At most 6 places can be compared" in html
    empty = member_client.get("/regions/compare?place=nowhere:1").get_data(as_text=True)
    assert "Choose the places to compare above." in empty


def test_compare_presets_still_work(member_client):
    html = member_client.get("/regions/compare?set=groups").get_data(as_text=True)
    assert '<a href="/regions/compare?set=groups" aria-current="page">' in html


def test_capacity_map_draws_the_chosen_capacity_beside_a_matrix_with_named_columns(member_client):
    from tests.test_capacity import make_map

    make_map("SEN", 2026, [("mediation", "offers", 3)])
    make_map("GHA", 2026, [("mediation", "needs", 2)])
    page = member_client.get("/capacity/?category=mediation").get_data(as_text=True)
    beside = page[page.index('<div class="beside">') :]
    assert beside.index('<figure class="region-map">') < beside.index('<table class="data matrix">')
    assert '<g class="cap-offers"><title>Senegal: Can offer to others</title>' in beside
    assert '<g class="cap-needs"><title>Ghana: Needs support</title>' in beside
    assert re.search(r'<th scope="col" class="rotated"><span title="Mediation and dialogue">', beside)
    assert "<abbr" not in beside  # no numbered columns explained only in tooltips
    plain = member_client.get("/capacity/").get_data(as_text=True)
    assert "Choose a capacity in the filters" in plain and '<figure class="region-map">' not in plain


def test_the_capacity_chart_has_a_legend_an_axis_and_values(member_client):
    from tests.test_capacity import make_map

    make_map("SEN", 2026, [("mediation", "offers", 3)])
    page = member_client.get("/regions/m49/002").get_data(as_text=True)
    chart = page[
        page.index('<figure class="chart">') : page.index("</figure>", page.index('<figure class="chart">'))
    ]
    assert "Number of countries" in chart and chart.count('class="grid-line"') >= 2
    assert re.search(r'<text class="bar-value"[^>]*>1</text>', chart)
    for status in ("Has domestically", "Can offer to others", "Needs support"):
        assert f"</span>{status}</li>" in chart, status
