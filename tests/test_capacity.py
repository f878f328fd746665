"""Capacity mapping: submissions and their state machine, the map, matches, exports and visibility."""

from __future__ import annotations

import csv
import io
import json
import re
import tracemalloc

import openpyxl
import pytest
from sqlalchemy import insert, select

from r2p_network.capacity.queries import EXPORT_COLUMNS, MapFilters, export_header, export_rows
from r2p_network.capacity.services import refresh_current_maps
from r2p_network.core.exports import csv_chunks, neutralise
from r2p_network.extensions import db
from r2p_network.models import (
    AuditEvent,
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Network,
    SubmissionStatus,
)
from tests.conftest import count_queries, login, post_form
from tests.factories import make_member


def category(slug: str) -> CapacityCategory:
    return db.session.scalar(select(CapacityCategory).where(CapacityCategory.slug == slug))


def make_map(
    iso3: str, cycle: int, entries: list[tuple], status=SubmissionStatus.VERIFIED, network=Network.GOVERNMENT
):
    """A submission with entries given as (category slug, status, maturity[, description[, restricted]])."""
    submission = CapacitySubmission(country_iso3=iso3, network=network, cycle=cycle, status=status)
    db.session.add(submission)
    db.session.flush()
    for slug, kind, maturity, *rest in entries:
        description = rest[0] if rest else f"{iso3} {slug} {kind}"
        restricted = rest[1] if len(rest) > 1 else False
        db.session.add(
            CapacityEntry(
                submission_id=submission.id,
                category_id=category(slug).id,
                status=CapacityStatus(kind),
                maturity=maturity,
                description=description,
                restricted=restricted,
            )
        )
    db.session.flush()
    refresh_current_maps((iso3, network))
    return submission


@pytest.fixture
def network_maps(db_session):
    make_map("GHA", 2025, [("mediation", "has", 2)])
    make_map("GHA", 2026, [("mediation", "offers", 4), ("early-warning", "needs", 1)])
    make_map("SEN", 2026, [("early-warning", "offers", 3), ("training", "needs", 2, "Secret need", True)])
    make_map("DNK", 2026, [("early-warning", "offers", 4), ("funding", "offers", 4)])
    make_map("KEN", 2026, [("mediation", "needs", 1)], status=SubmissionStatus.SUBMITTED)  # not verified yet
    make_map("NGA", 2026, [("mediation", "needs", 1, '=HYPERLINK("http://evil")')])


def _csv(client, query=""):
    response = client.get(f"/capacity/export.csv{query}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    header, *rows = csv.reader(io.StringIO(body.lstrip("\ufeff")))
    assert header[:3] == ["ISO code", "Country", "Network"] and len(header) == len(EXPORT_COLUMNS)
    # Keyed by the stable identifiers that the JSON export uses.
    return [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in rows]


def test_map_shows_latest_verified_cycle_only(member_client, network_maps):
    rows = _csv(member_client)
    ghana = {(r["category"], r["status"]) for r in rows if r["country"] == "GHA"}
    assert ghana == {("mediation", "offers"), ("early-warning", "needs")}  # 2026, not 2025
    assert not [r for r in rows if r["country"] == "KEN"]  # submitted, not verified
    history = _csv(member_client, "?cycle=2025")
    assert {(r["country"], r["status"]) for r in history} == {("GHA", "has")}


def test_restricted_needs_are_for_administrators_only(member_client, admin_client, network_maps):
    for fmt in ("csv", "json", "geojson", "xlsx"):
        body = member_client.get(f"/capacity/export.{fmt}").data
        assert b"Secret need" not in body, fmt
    page = member_client.get("/capacity/").get_data(as_text=True)
    assert "Secret need" not in page
    assert "Senegal" in page
    geo = json.loads(member_client.get("/capacity/export.geojson").get_data(as_text=True))
    senegal = next(f for f in geo["features"] if f["properties"]["country"] == "SEN")
    assert senegal["properties"]["needs_count"] == 0 and senegal["properties"]["needs"] == []
    assert "Secret need" in admin_client.get("/capacity/").get_data(as_text=True)
    assert any(r["description"] == "Secret need" for r in _csv(admin_client))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?region=002", {"GHA", "SEN", "NGA"}),
        ("?org=eu", {"DNK"}),
        ("?group=african", {"GHA", "SEN", "NGA"}),
        ("?category=early-warning", {"GHA", "SEN", "DNK"}),
        ("?status=offers", {"GHA", "SEN", "DNK"}),
        ("?status=needs&region=011", {"GHA", "NGA"}),
    ],
)
def test_filters_select_the_same_rows_everywhere(member_client, network_maps, query, expected):
    rows = _csv(member_client, query)
    assert {r["country"] for r in rows} == expected
    data = json.loads(member_client.get(f"/capacity/export.json{query}").get_data(as_text=True))
    assert data["schema"] == "r2p-capacity-map" and data["schema_version"] == 1
    # JSON keeps text as it is; CSV neutralises formulas. Otherwise the rows are the same.
    as_csv = [{k: neutralise(v) for k, v in entry.items()} for entry in data["entries"]]
    assert as_csv == [{**r} for r in rows]
    workbook = openpyxl.load_workbook(io.BytesIO(member_client.get(f"/capacity/export.xlsx{query}").data))
    assert workbook.sheetnames == ["Entries", "Matrix", "Matches", "About"]
    sheet = [[cell.value for cell in row] for row in workbook["Entries"].iter_rows()]
    assert [str(v) for v in sheet[1][:4]] == [
        rows[0]["country"],
        rows[0]["country_name"],
        rows[0]["network"],
        rows[0]["cycle"],
    ]
    assert len(sheet) - 1 == len(rows)
    page = member_client.get(f"/capacity/{query}").get_data(as_text=True)
    assert f"{len(rows)} entr" in page


def test_geojson_is_a_valid_feature_collection(member_client, network_maps):
    geo = json.loads(member_client.get("/capacity/export.geojson").get_data(as_text=True))
    assert geo["type"] == "FeatureCollection"
    for feature in geo["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    denmark = next(f for f in geo["features"] if f["properties"]["country"] == "DNK")
    assert denmark["properties"]["offers_count"] == 2
    assert denmark["geometry"]["coordinates"][1] > 50  # Denmark is in the north


def test_exports_neutralise_formulas_and_are_audited(member_client, network_maps):
    rows = _csv(member_client)
    assert '\'=HYPERLINK("http://evil")' in {r["description"] for r in rows}
    workbook = openpyxl.load_workbook(io.BytesIO(member_client.get("/capacity/export.xlsx").data))
    values = [cell.value for row in workbook["Entries"].iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil")' in values
    exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.capacity")).all()
    assert {e.detail["format"] for e in exports} == {"csv", "xlsx"}
    assert all("filters" in e.detail for e in exports)


def test_matches_list_offers_same_region_first(member_client, network_maps):
    page = member_client.get("/capacity/?status=needs").get_data(as_text=True)
    section = page[page.index("Matches: who can help whom") :]
    ghana_row = section[section.index('<th scope="row">Ghana</th>') :][:800]
    assert ghana_row.index("Senegal") < ghana_row.index("Denmark")  # same region first
    nigeria_row = section[section.index('<th scope="row">Nigeria</th>') :][:600]
    assert "Ghana" in nigeria_row  # Ghana offers mediation


def test_team_submission_state_machine(app, member_client, member, admin_client, outbox):
    response = post_form(
        member_client, "/capacity/submissions/new", {"cycle": "2026"}, form_page="/capacity/submissions/new"
    )
    submission = db.session.scalar(select(CapacitySubmission).where(CapacitySubmission.country_iso3 == "GHA"))
    assert response.headers["Location"].endswith(f"/capacity/submissions/{submission.id}")
    base = f"/capacity/submissions/{submission.id}"
    # Empty maps cannot be submitted.
    response = post_form(member_client, f"{base}/submit", {}, form_page=base, follow_redirects=True)
    assert "Add at least one entry" in response.get_data(as_text=True)
    bad = post_form(
        member_client,
        f"{base}/entries",
        {"category": "nope", "status": "has", "maturity": "9", "description": "", "restricted": "y"},
        form_page=base,
    )
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Not a valid choice" in page and "Only a need can be restricted" in page
    post_form(
        member_client,
        f"{base}/entries",
        {"category": "mediation", "status": "offers", "maturity": "3", "description": "Mediators on call"},
        form_page=base,
    )
    post_form(member_client, f"{base}/submit", {}, form_page=base)
    db.session.expire_all()
    assert db.session.get(CapacitySubmission, submission.id).status == SubmissionStatus.SUBMITTED
    # No edits while waiting; administrators return it with a note.
    response = post_form(
        member_client,
        f"{base}/entries",
        {"category": "training", "status": "has", "maturity": "2", "description": "x"},
        form_page=base,
        follow_redirects=True,
    )
    assert "can no longer be edited" in response.get_data(as_text=True)
    queue = admin_client.get("/capacity/verification").get_data(as_text=True)
    assert "Mediators on call" in queue
    post_form(
        admin_client,
        f"/capacity/submissions/{submission.id}/return",
        {f"n{submission.id}-note": "Add a contact."},
        form_page="/capacity/verification",
    )
    db.session.expire_all()
    assert db.session.get(CapacitySubmission, submission.id).status == SubmissionStatus.RETURNED
    assert "Add a contact." in member_client.get(base).get_data(as_text=True)
    post_form(member_client, f"{base}/submit", {}, form_page=base)
    post_form(
        admin_client, f"/capacity/submissions/{submission.id}/verify", {}, form_page="/capacity/verification"
    )
    db.session.expire_all()
    assert db.session.get(CapacitySubmission, submission.id).status == SubmissionStatus.VERIFIED
    assert "verified" in outbox[-1].body
    # Verified is final.
    response = post_form(
        admin_client,
        f"/capacity/submissions/{submission.id}/verify",
        {},
        form_page="/capacity/verification",
        follow_redirects=True,
    )
    assert "not waiting for verification" in response.get_data(as_text=True)
    assert {r["description"] for r in _csv(member_client)} == {"Mediators on call"}
    # One map per team and cycle.
    again = post_form(
        member_client, "/capacity/submissions/new", {"cycle": "2026"}, form_page="/capacity/submissions/new"
    )
    assert again.headers["Location"].endswith(base)


def test_submissions_are_private_to_the_team_and_administrators(app, member, admin_client):
    submission = make_map(
        "GHA", 2026, [("mediation", "needs", 1, "Draft need")], status=SubmissionStatus.DRAFT
    )
    db.session.commit()
    other = app.test_client()
    login(other, make_member("KEN").email)
    path = f"/capacity/submissions/{submission.id}"
    assert other.get(path).status_code == 404
    assert post_form(other, f"{path}/submit", {}, form_page="/").status_code == 404
    same_country = app.test_client()
    login(same_country, make_member("GHA", Network.CIVIL_SOCIETY).email)
    assert same_country.get(path).status_code == 404
    assert admin_client.get(path).status_code == 200
    owner = app.test_client()
    login(owner, member.email)
    assert "Draft need" in owner.get(path).get_data(as_text=True)


def test_map_runs_a_constant_number_of_queries(member_client):
    def count() -> int:
        with count_queries() as statements:
            assert member_client.get("/capacity/").status_code == 200
        return len(statements)

    make_map("GHA", 2026, [("mediation", "offers", 3), ("training", "needs", 1)])
    db.session.commit()
    small = count()
    for iso3 in ("KEN", "SEN", "NGA", "DNK", "FRA", "BRA", "CHL", "IDN", "PHL", "JPN"):
        make_map(iso3, 2025, [("mediation", "has", 2)])
        make_map(
            iso3,
            2026,
            [
                (slug, kind, 2)
                for slug in ("mediation", "training", "funding", "early-warning")
                for kind in ("has", "offers", "needs")
            ],
        )
    db.session.commit()
    assert count() == small


def _bulk_entries(iso3: str, count: int) -> None:
    submission = make_map(iso3, 2026, [])
    categories = db.session.scalars(select(CapacityCategory.id)).all()
    db.session.execute(
        insert(CapacityEntry),
        [
            {
                "submission_id": submission.id,
                "category_id": categories[n % len(categories)],
                "status": "has",
                "maturity": 2,
                "description": f"Entry number {n} " + "x" * 80,
                "institution": "",
                "contact": "",
                "restricted": False,
            }
            for n in range(count)
        ],
    )
    db.session.flush()


def _peak_export_memory() -> tuple[int, int]:
    tracemalloc.start()
    size = 0
    for chunk in csv_chunks(EXPORT_COLUMNS, export_rows(MapFilters(), include_restricted=False)):
        size += len(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, size


def test_csv_export_streams_with_flat_memory(app):
    _bulk_entries("GHA", 1000)
    small_peak, small_size = _peak_export_memory()
    _bulk_entries("KEN", 4000)
    large_peak, large_size = _peak_export_memory()
    assert large_size > 4 * small_size
    # Four times the rows, but the peak stays within the same bounded buffer.
    assert large_peak < small_peak * 1.5 + 256 * 1024, (small_peak, large_peak)


def test_xlsx_is_right_to_left_in_arabic(member_client, network_maps):
    post_form(member_client, "/language", {"lang": "ar", "next": "/"}, form_page="/")
    workbook = openpyxl.load_workbook(io.BytesIO(member_client.get("/capacity/export.xlsx").data))
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    post_form(member_client, "/language", {"lang": "en", "next": "/"}, form_page="/")
    workbook = openpyxl.load_workbook(io.BytesIO(member_client.get("/capacity/export.xlsx").data))
    assert not any(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)


def test_verifying_a_newer_cycle_makes_it_the_current_map(admin, member):
    from r2p_network.capacity.services import verify

    old = make_map("GHA", 2025, [("mediation", "has", 2)], status=SubmissionStatus.SUBMITTED)
    new = make_map("GHA", 2026, [("mediation", "offers", 3)], status=SubmissionStatus.SUBMITTED)
    verify(old, admin)
    db.session.expire_all()
    assert (
        db.session.get(CapacitySubmission, old.id).is_current,
        db.session.get(CapacitySubmission, new.id).is_current,
    ) == (True, False)
    verify(db.session.get(CapacitySubmission, new.id), admin)
    db.session.expire_all()
    assert (
        db.session.get(CapacitySubmission, old.id).is_current,
        db.session.get(CapacitySubmission, new.id).is_current,
    ) == (False, True)


def test_matches_equal_a_brute_force_pairing(app, db_session):
    """Up to five offers per need: same region first, then higher maturity, then name."""
    import random

    from r2p_network.capacity.queries import MATCHES_PER_NEED, matches
    from r2p_network.models import Country

    rng = random.Random(7)
    countries = db.session.execute(select(Country.iso3, Country.name_en, Country.region_code)).all()
    chosen = rng.sample(countries, 60)
    slugs = ["mediation", "early-warning", "training"]
    for iso3, _name, _region in chosen:
        picks = [(slug, rng.choice(["offers", "needs", "has"]), rng.randint(1, 4)) for slug in slugs]
        make_map(iso3, 2026, [p for p in picks if rng.random() < 0.8] or picks[:1])
    records = (
        dict(zip(EXPORT_COLUMNS, r, strict=True)) for r in export_rows(MapFilters(), include_restricted=False)
    )
    entries = {(r["country"], r["category"], r["status"]): r for r in records}
    region = {iso3: code for iso3, _n, code in countries}
    name = {iso3: n for iso3, n, _c in countries}
    expected = []
    needs = sorted({(name[i], s, i) for i, s, st in entries if st == "needs"})
    for _need_name, slug, need in needs:
        offers = [i for i, s, st in entries if st == "offers" and s == slug and i != need]
        offers.sort(
            key=lambda i: (region[i] != region[need], -entries[(i, slug, "offers")]["maturity"], name[i])
        )
        expected += [(need, slug, offer) for offer in offers[:MATCHES_PER_NEED]]
    with app.test_request_context():
        found = [
            (m.need_iso3, m.category_slug, m.offer_iso3)
            for m in matches(MapFilters(), include_restricted=False)
        ]
    # Same needs, and for each need the same offers in the same order.
    assert sorted(found, key=lambda m: (name[m[0]], m[1])) == sorted(
        expected, key=lambda m: (name[m[0]], m[1])
    )
    assert len(found) > 50


def test_matches_come_in_pages_that_keep_the_other_listing_in_place(member_client):
    categories = db.session.scalars(select(CapacityCategory.slug).order_by(CapacityCategory.position)).all()
    make_map("DNK", 2026, [(slug, "offers", 3) for slug in categories])
    for iso3 in ("GHA", "SEN", "KEN"):  # 3 x 21 = 63 needs with an offer
        make_map(iso3, 2026, [(slug, "needs", 1) for slug in categories])

    def rows(query: str) -> tuple[str, list[str]]:
        page = member_client.get(f"/capacity/{query}").get_data(as_text=True)
        matches = page.split('id="matches-heading"')[1].split('id="entries-heading"')[0]
        return matches, re.findall(r'<tr><th scope="row">([^<]+)</th>', matches)

    first, shown = rows("?page=2")
    assert "63 needs have offers." in first and len(shown) == 50
    assert 'href="/capacity/?page=2&amp;mpage=2#matches-heading"' in first  # the entries stay on page 2
    second, rest = rows("?mpage=2")
    assert len(rest) == 13 and not set(rest) - {"Ghana", "Kenya", "Senegal"}
    assert 'href="/capacity/?mpage=1#matches-heading"' in second
    assert rows("?mpage=99")[1] == rest  # past the end: the last page
    assert rows("?mpage=-1")[1] == shown  # invalid: the first page
    entries = member_client.get("/capacity/?mpage=2").get_data(as_text=True).split('id="entries-heading"')[1]
    assert 'href="/capacity/?mpage=2&amp;page=2#entries-heading"' in entries


TRICKY_TEXT = [
    "=SUM(A1:A2)",
    "+1 555",
    "-minus",
    "@handle",
    "\tleading tab",
    "\rleading return",
    'a "quoted", comma',
    "two\nlines",
    "carriage\rreturn",
    "trailing space ",
    " leading space",
    "back\\slash \\. dot",
    "حماية السكان",
    "保护责任",
    "",
]


def test_csv_export_writes_every_cell_as_the_python_writer_does(member_client):
    """On PostgreSQL the database writes the CSV (COPY); the cells must equal csv_chunks' own."""
    categories = db.session.scalars(select(CapacityCategory.slug).order_by(CapacityCategory.position)).all()
    make_map(
        "GHA",
        2026,
        [(categories[n % len(categories)], "has", 1 + n % 4, text) for n, text in enumerate(TRICKY_TEXT)],
    )
    submission = make_map("SEN", 2026, [("mediation", "offers", 2)])
    entry = db.session.scalar(select(CapacityEntry).where(CapacityEntry.submission_id == submission.id))
    entry.institution, entry.contact = "=cmd|' /C calc'!A0", "-1"
    db.session.flush()
    response = member_client.get("/capacity/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    with member_client.application.test_request_context():
        header = export_header()
    expected = "".join(csv_chunks(header, export_rows(MapFilters(), include_restricted=False)))
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeffISO code,Country,Network,")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))
    assert rows == list(csv.reader(io.StringIO(expected.lstrip("\ufeff"), newline="")))
    assert len(rows) == 1 + len(TRICKY_TEXT) + 1
    assert {r[8] for r in rows[1:]} >= {"'=SUM(A1:A2)", "'\tleading tab", "two\nlines", "", "保护责任"}
    assert ["'=cmd|' /C calc'!A0", "'-1"] in [r[9:] for r in rows]
