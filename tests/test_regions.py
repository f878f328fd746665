"""Regional views: numbers against direct computation, k-anonymity, privacy, maps, constant queries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from r2p_network.extensions import db
from r2p_network.models import Country, FocalPointProfile, Network, SubmissionStatus, User, Visibility
from r2p_network.models.accounts import AccountStatus
from tests.conftest import count_queries
from tests.factories import make_assessment, make_lesson, make_member
from tests.test_capacity import make_map

WEST_AFRICA = "011"


def judged(level: str) -> dict:
    """Answers judging every risk factor at *level*."""
    return {f"rf{n:02d}_judgement": level for n in range(1, 15)}


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def west_africa(db_session):
    """Focal points, a vacant seat, capacity maps and lessons in and around Western Africa."""
    make_member("GHA")
    make_member("GHA")
    make_member("GHA", Network.CIVIL_SOCIETY)
    make_member("SEN", Network.PARLIAMENT)
    left = make_member("NGA")
    left.profile.in_post = False
    make_member("KEN")  # Eastern Africa: outside the view
    make_member("CIV", status=AccountStatus.DEACTIVATED)  # not counted
    make_map("GHA", 2026, [("mediation", "needs", 1), ("early-warning", "has", 3), ("training", "needs", 2)])
    make_map("SEN", 2026, [("training", "offers", 3), ("funding", "needs", 1, "Restricted need", True)])
    make_map("MAR", 2026, [("mediation", "offers", 4)])  # Northern Africa: nearest offer
    make_map("DNK", 2026, [("mediation", "offers", 4), ("funding", "offers", 4)])
    make_map("NER", 2026, [("casualty-recording", "needs", 1)], status=SubmissionStatus.SUBMITTED)
    db.session.flush()


def test_unknown_regions_are_404(member_client):
    for path in ("/regions/m49/999", "/regions/groups/ecowas", "/regions/orgs/african", "/regions/x/au"):
        assert member_client.get(path).status_code == 404, path
        assert member_client.get(path + "/data.json").status_code == 404, path
    assert member_client.get("/regions/compare?set=planets").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/regions/m49/002",
        "/regions/m49/011",
        "/regions/groups/african",
        "/regions/groups/asia-pacific",
        "/regions/groups/eastern-european",
        "/regions/groups/latin-american-caribbean",
        "/regions/groups/western-european-others",
        *[
            f"/regions/orgs/{slug}"
            for slug in (
                *("au", "ecowas", "eccas", "sadc", "igad", "icglr", "las"),
                *("eu", "osce", "asean", "oas", "sica", "caricom"),
            )
        ],
    ],
)
def test_every_region_group_and_organisation_has_a_view(member_client, path):
    page = member_client.get(path)
    assert page.status_code == 200
    assert "<svg" in page.get_data(as_text=True)


def test_coverage_matches_a_direct_count(member_client, west_africa):
    data = member_client.get(f"/regions/m49/{WEST_AFRICA}/data.json").get_json()
    coverage = data["coverage"]
    countries = db.session.scalars(select(Country.iso3).where(Country.intermediate_code == WEST_AFRICA)).all()
    assert coverage["countries"] == len(countries) == 16
    in_post = db.session.execute(
        select(FocalPointProfile.country_iso3, FocalPointProfile.network, func.count())
        .join(User, User.id == FocalPointProfile.user_id)
        .where(
            FocalPointProfile.country_iso3.in_(countries),
            FocalPointProfile.in_post.is_(True),
            User.status == AccountStatus.ACTIVE,
        )
        .group_by(FocalPointProfile.country_iso3, FocalPointProfile.network)
    ).all()
    expected = {(iso3, network.value): n for iso3, network, n in in_post}
    # Three government focal points of Ghana: the two above and the signed-in reader.
    assert expected == {("GHA", "government"): 3, ("GHA", "civil_society"): 1, ("SEN", "parliament"): 1}
    shown = {
        (row["country"], network): n
        for row in coverage["per_country"]
        for network, n in row["focal_points"].items()
        if n
    }
    assert shown == expected
    assert coverage["with_focal_points"] == 2
    assert coverage["by_network"] == {"government": 1, "civil_society": 1, "parliament": 1}
    assert coverage["vacant"] == 1  # Nigeria
    nigeria = next(r for r in coverage["per_country"] if r["country"] == "NGA")
    assert nigeria["vacant"] == ["government"]


def test_page_tables_show_the_same_numbers_as_the_data(member_client, west_africa):
    page = member_client.get(f"/regions/m49/{WEST_AFRICA}").get_data(as_text=True)
    data = member_client.get(f"/regions/m49/{WEST_AFRICA}/data.json").get_json()
    assert "2 of 16 countries have focal points in the network." in page
    ghana_row = re.search(r">Ghana</a></th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", ghana_row) == ["3", "1"]
    for item in data["capacity"]["countries_per_category"]:
        if item["category"] == "training":
            assert (item["has"], item["offers"], item["needs"]) == (0, 1, 1)
    table = page[page.index("Countries per capacity") :]
    training = re.search(r"Training and awareness-raising</th>(.*?)</tr>", table, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", training) == ["0", "1", "1"]
    # The chart draws the same numbers (its bars carry them in their titles).
    assert "Training and awareness-raising, Can offer to others: 1" in page


def test_gaps_are_needs_nobody_in_the_region_offers_with_the_nearest_offers(member_client, west_africa):
    data = member_client.get(f"/regions/m49/{WEST_AFRICA}/data.json").get_json()
    gaps = {g["category"]: g for g in data["capacity"]["gaps"]}
    assert set(gaps) == {"mediation"}  # training is offered by Senegal; funding's need is restricted
    assert gaps["mediation"]["needing"] == 1
    assert gaps["mediation"]["nearest_offers"] == ["MAR", "DNK"]


def test_restricted_needs_and_unverified_maps_never_count(member_client, admin_client, west_africa):
    for client in (member_client, admin_client):
        data = client.get(f"/regions/m49/{WEST_AFRICA}/data.json").get_json()
        funding = next(c for c in data["capacity"]["countries_per_category"] if c["category"] == "funding")
        assert funding["needs"] == 0
        casualty = next(
            c for c in data["capacity"]["countries_per_category"] if c["category"] == "casualty-recording"
        )
        assert casualty["needs"] == 0
    assert "Restricted need" not in member_client.get(f"/regions/m49/{WEST_AFRICA}").get_data(as_text=True)


def test_risk_overview_needs_three_countries_that_shared(member_client, west_africa):
    def risk():
        return member_client.get(f"/regions/m49/{WEST_AFRICA}/data.json").get_json()["risk_factors"]

    make_assessment("GHA", versions=[(judged("serious_concern"), Visibility.NETWORK)])
    make_assessment("SEN", versions=[(judged("some_concern"), Visibility.PUBLIC)])
    # Private answers never count, however many there are.
    make_assessment("NGA", versions=[(judged("serious_concern"), Visibility.PRIVATE)])
    make_assessment("CIV", versions=[(judged("no_concern"), Visibility.PRIVATE)])
    assert risk() == {"suppressed": True, "reason": "fewer than 3 countries"}
    page = member_client.get(f"/regions/m49/{WEST_AFRICA}").get_data(as_text=True)
    assert "Fewer than 3 countries have shared" in page

    # A later private version does not hide an earlier shared one, and adds nothing.
    make_assessment(
        "MLI",
        versions=[
            (judged("no_concern"), Visibility.NETWORK),
            (judged("serious_concern"), Visibility.PRIVATE),
        ],
    )
    shown = risk()
    assert shown["suppressed"] is False and shown["countries"] == 3
    assert shown["counts"]["1"] == {"serious_concern": 1, "some_concern": 1, "no_concern": 1}
    assert "Built only from the latest version each team shared, from 3 countries." in member_client.get(
        f"/regions/m49/{WEST_AFRICA}"
    ).get_data(as_text=True)


def test_the_public_sees_coverage_only(anonymous, west_africa):
    make_assessment("GHA", versions=[(judged("serious_concern"), Visibility.PUBLIC)])
    page = anonymous.get(f"/regions/m49/{WEST_AFRICA}").get_data(as_text=True)
    assert "Network coverage" in page and "Ghana" in page
    for hidden in ("National strategies", "Capacities", "Risk factors", "Gaps", "needs"):
        assert hidden not in page.split("<main", 1)[1].split("Members of the network also see")[0], hidden
    data = anonymous.get(f"/regions/m49/{WEST_AFRICA}/data.json").get_json()
    assert set(data) == {"region", "coverage", "membership_sources"}
    assert "National strategies" not in anonymous.get("/regions/compare").get_data(as_text=True)
    assert "offer / need" not in anonymous.get("/regions/compare").get_data(as_text=True)


def test_strategy_progress_shows_status_only(member_client, west_africa):
    make_assessment(
        "GHA",
        versions=[({"rf01_judgement": "serious_concern", "rf01_evidence": "SECRET"}, Visibility.PRIVATE)],
    )
    page = member_client.get(f"/regions/m49/{WEST_AFRICA}").get_data(as_text=True)
    section = page[page.index("National strategies") : page.index('id="capacity-heading"')]
    assert "Ghana" in section and "SECRET" not in page and "Serious concern" not in section


def test_lessons_about_the_region_and_cross_regional_ones(member_client, west_africa):
    author = make_member("GHA")
    make_lesson(author, title="Ghana peace councils", countries=["GHA"])
    make_lesson(author, title="Sahel and Andes exchange", countries=["NER", "PER"], cross_regional=True)
    make_lesson(author, title="Region-wide monitoring", countries=[], region=WEST_AFRICA)
    make_lesson(author, title="Kenya only", countries=["KEN"])
    make_lesson(author, title="Draft about Ghana", countries=["GHA"], status="draft")
    page = member_client.get(f"/regions/m49/{WEST_AFRICA}").get_data(as_text=True)
    about, cross = page.split("Cross-regional lessons that concern it")
    about = about[about.index("About this region") :]
    assert "Ghana peace councils" in about and "Region-wide monitoring" in about
    assert "Sahel and Andes exchange" in cross
    assert "Kenya only" not in page and "Draft about Ghana" not in page


def test_map_draws_every_member_and_marks_small_island_states(member_client):
    page = member_client.get("/regions/m49/009").get_data(as_text=True)  # Oceania
    members = db.session.scalar(select(func.count()).select_from(Country).where(Country.region_code == "009"))
    assert page.count('<g class="cov-') == members == 14
    tuvalu = re.search(r"<title>Tuvalu:.*?</g>", page, re.S).group(0)
    assert "<circle" in tuvalu  # no shape in the 1:50m file, still visible
    assert "do not imply official endorsement or acceptance by the United Nations" in page


def test_map_can_be_coloured_by_a_capacity(member_client, west_africa):
    page = member_client.get(f"/regions/m49/{WEST_AFRICA}?capacity=training").get_data(as_text=True)
    assert re.search(r'<g class="cap-offers"><title>Senegal: Can offer to others</title>', page)
    assert re.search(r'<g class="cap-needs"><title>Ghana: Needs support</title>', page)
    page = member_client.get(f"/regions/m49/{WEST_AFRICA}?capacity=<script>").get_data(as_text=True)
    assert '<g class="cov-' in page  # unknown capacity: back to coverage


def test_compare_matches_the_regional_views(member_client, west_africa):
    page = member_client.get("/regions/compare").get_data(as_text=True)
    africa = member_client.get("/regions/m49/002/data.json").get_json()["coverage"]
    header = re.findall(r'<th scope="col"><a href="/regions/m49/(\d+)">', page)
    assert sorted(header) == ["002", "009", "019", "142", "150"]
    column = header.index("002")
    countries_row = re.search(r"Countries</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", countries_row)[column] == str(africa["countries"]) == "54"
    with_row = re.search(r"With focal points</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", with_row)[column] == str(africa["with_focal_points"]) == "3"
    assert member_client.get("/regions/compare?set=groups").status_code == 200
    assert member_client.get("/regions/compare?set=orgs").status_code == 200


def test_country_pages_link_to_their_regions_and_summarise(member_client, west_africa):
    make_lesson(make_member("GHA"), title="Ghana peace councils", countries=["GHA"])
    page = member_client.get("/countries/GHA").get_data(as_text=True)
    for path in ("/regions/m49/002", "/regions/m49/202", "/regions/m49/011", "/regions/groups/african"):
        assert f'href="{path}"' in page, path
    assert 'href="/regions/orgs/ecowas"' in page and 'href="/regions/orgs/au"' in page
    assert "Ghana peace councils" in page
    assert "Needs support</span>: Mediation and dialogue" in page


@pytest.mark.parametrize(
    "path",
    ["/regions/m49/002", "/regions/groups/african", "/regions/orgs/ecowas", "/regions/compare", "/regions/"],
)
def test_regional_pages_run_a_constant_number_of_queries(member_client, path):
    def queries() -> int:
        with count_queries() as statements:
            assert member_client.get(path).status_code == 200
        return len(statements)

    def grow(countries: list[str]) -> None:
        for i, iso3 in enumerate(countries):
            make_member(iso3)
            make_map(
                iso3, 2026 - i, [("mediation", "offers" if i % 2 else "needs", 2), ("training", "has", 1)]
            )
            make_assessment(iso3, versions=[(judged("some_concern"), Visibility.NETWORK)])
            make_lesson(make_member(iso3), countries=[iso3])

    grow(["GHA"])
    small = queries()
    grow(["SEN", "NGA", "KEN", "ZAF", "EGY", "MLI"])
    assert queries() == small


def test_the_capacity_chart_is_mirrored_for_right_to_left_readers(member_client, member, west_africa):
    import re

    def bars(lang: str) -> tuple[list[str], str]:
        member.language = lang  # after sign-in the member's own language chooses the page's
        db.session.flush()
        page = member_client.get("/regions/m49/011").get_data(as_text=True)
        chart = page.split('class="bars"')[1].split("</svg>")[0]
        return re.findall(r'<rect class="cap-\w+" x="([\d.]+)"', chart), chart

    ltr, chart = bars("en")
    rtl, arabic_chart = bars("ar")
    assert ltr and set(ltr) == {"250"}  # left to right: every bar starts after the names
    assert rtl and all(float(x) <= 390 for x in rtl) and 'direction="rtl"' in arabic_chart
    assert 'direction="rtl"' not in chart
