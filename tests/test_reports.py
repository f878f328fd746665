"""The reporting page: figures against brute-force counts, scope, suppression, downloads, and a
constant number of queries."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from r2p_network import permissions
from r2p_network.assessments import default_template
from r2p_network.assessments.queries import latest_template_version
from r2p_network.core.geography import region_name
from r2p_network.core.labels import label
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    AssistanceRequest,
    AssistanceStatus,
    CapacityCategory,
    CapacitySubmission,
    Country,
    Instrument,
    LessonStatus,
    Network,
    Region,
    SubmissionStatus,
    TreatyParticipation,
    TreatyStatusChange,
    Visibility,
)
from r2p_network.permissions import Capability, Scope
from r2p_network.reports.periods import periods
from tests.conftest import count_queries, enrol_two_factor, login
from tests.factories import make_lesson, make_member

COUNTRIES = ("GHA", "SEN", "NGA", "KEN", "ZAF", "DNK", "FRA", "JPN", "BRA")
NOW = datetime.now(UTC)
START = datetime(NOW.year - 3, 1, 1, tzinfo=UTC)


def _when(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(int((NOW - START).total_seconds())))


def _period(moment: datetime | date, grain: str) -> str:
    return str(moment.year) if grain == "year" else f"{moment.year} Q{(moment.month + 2) // 3}"


@pytest.fixture
def history(db_session):
    """Members, strategies, maps, requests, lessons and treaty changes spread over four years."""
    rng = random.Random(23)
    made: dict[str, list] = {
        key: [] for key in ("members", "started", "shared", "maps", "requests", "lessons", "treaties")
    }
    for iso3 in COUNTRIES:
        for network in rng.sample(list(Network), 2):
            user = make_member(iso3, network)
            user.approved_at = _when(rng)
            if rng.random() < 0.3:
                user.profile.left_post_at = user.approved_at + timedelta(days=rng.randrange(1, 400))
                user.profile.in_post = user.profile.left_post_at > NOW
            made["members"].append(user)
    template = latest_template_version(default_template.SLUG)
    for iso3 in COUNTRIES:
        for n in range(rng.randrange(0, 3)):
            assessment = Assessment(
                country_iso3=iso3,
                network=Network.GOVERNMENT if n == 0 else Network.CIVIL_SOCIETY,
                title="Strategy",
                template_version_id=template.id,
                answers={},
                created_at=_when(rng),
            )
            db.session.add(assessment)
            db.session.flush()
            made["started"].append(assessment)
            for number in range(1, rng.randrange(1, 4)):
                visibility = rng.choice(list(Visibility))
                version = AssessmentVersion(
                    assessment_id=assessment.id,
                    number=number,
                    template_version_id=template.id,
                    answers={},
                    visibility=visibility,
                    submitted_at=_when(rng),
                )
                db.session.add(version)
                if visibility in (Visibility.NETWORK, Visibility.PUBLIC):
                    made["shared"].append((version, iso3))
    category = db.session.scalar(select(CapacityCategory).limit(1))
    for iso3 in COUNTRIES:
        for cycle in range(NOW.year - 3, NOW.year + 1):
            status = rng.choice(
                [SubmissionStatus.VERIFIED, SubmissionStatus.VERIFIED, SubmissionStatus.SUBMITTED]
            )
            submission = CapacitySubmission(
                country_iso3=iso3,
                network=Network.GOVERNMENT,
                cycle=cycle,
                status=status,
                decided_at=_when(rng) if status == SubmissionStatus.VERIFIED else None,
            )
            db.session.add(submission)
            made["maps"].append(submission)
    for _n in range(40):
        requester, provider = rng.sample(COUNTRIES, 2)
        request = AssistanceRequest(
            requester_iso3=requester,
            requester_network=Network.GOVERNMENT,
            provider_iso3=provider,
            provider_network=Network.GOVERNMENT,
            category_id=category.id,
            what="Help",
            status=rng.choice(list(AssistanceStatus)),
            created_at=_when(rng),
            restricted=rng.random() < 0.2,
        )
        db.session.add(request)
        made["requests"].append(request)
    author = made["members"][0]
    for n in range(12):
        iso3 = rng.choice(COUNTRIES)
        lesson = make_lesson(author, status="published", countries=[iso3], title=f"Lesson {n}")
        lesson.published_at = _when(rng)
        if n == 0:
            lesson.hidden_at = NOW
        made["lessons"].append((lesson, iso3))
    made["lessons"].append((make_lesson(author, status="draft", countries=["GHA"]), "GHA"))
    instruments = list(db.session.scalars(select(Instrument).order_by(Instrument.position).limit(2)))
    for _n in range(30):
        change = TreatyStatusChange(
            country_iso3=rng.choice(COUNTRIES),
            instrument_slug=rng.choice(instruments).slug,
            new_status=rng.choice([TreatyParticipation.PARTY, TreatyParticipation.SIGNATORY]),
            source="test",
            as_of=_when(rng).date(),
        )
        db.session.add(change)
        made["treaties"].append(change)
    db.session.commit()
    return made


def _csv(client, key: str, query: str) -> list[tuple[str, ...]]:
    response = client.get(f"/reports/{key}.csv?{query}")
    assert response.status_code == 200, response.status_code
    _header, *rows = csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    return [tuple(row) for row in rows]


def _expected(made: dict, grain: str, countries: set[str]) -> dict[str, Counter]:
    """Every table's figures counted one object at a time in Python."""
    labels = [p.label for p in periods(grain, START.year, NOW)]
    found: dict[str, Counter] = {key: Counter() for key in made}
    regions = dict(db.session.execute(select(Country.iso3, Country.region_code)).all())
    names = dict(db.session.execute(select(Region.code, Region.name)).all())
    for p in periods(grain, START.year, NOW):
        seats = {
            (regions[u.profile.country_iso3], u.profile.network, u.profile.country_iso3)
            for u in made["members"]
            if u.profile.country_iso3 in countries
            and u.approved_at < p.end
            and (u.profile.left_post_at is None or u.profile.left_post_at >= p.end)
        }
        for region, network, _iso3 in seats:
            found["members"][(p.label, region_name(region, names[region], "en"), label(network))] += 1
    for a in made["started"]:
        if a.country_iso3 in countries:
            found["started"][_period(a.created_at, grain)] += 1
    shared_countries: dict[str, set] = {}
    started_countries: dict[str, set] = {}
    for a in made["started"]:
        if a.country_iso3 in countries:
            started_countries.setdefault(_period(a.created_at, grain), set()).add(a.country_iso3)
    shared_assessments: dict[str, set] = {}
    for version, iso3 in made["shared"]:
        if iso3 in countries:
            key = _period(version.submitted_at, grain)
            shared_assessments.setdefault(key, set()).add(version.assessment_id)
            shared_countries.setdefault(key, set()).add(iso3)

    def shown(value: int, contributors: int) -> int | None:
        # Nothing at all is shown as 0; one or two countries' figures are suppressed.
        return value if contributors == 0 or contributors >= 3 else None

    for key in labels:
        started = shown(found["started"].get(key, 0), len(started_countries.get(key, ())))
        shared = shown(len(shared_assessments.get(key, ())), len(shared_countries.get(key, ())))
        found["shared"][(key, started, shared)] = 1
    for s in made["maps"]:
        if s.status == SubmissionStatus.VERIFIED and s.country_iso3 in countries:
            found["maps"][(_period(s.decided_at, grain), label(s.network))] += 1
    for r in made["requests"]:
        if r.requester_iso3 in countries or r.provider_iso3 in countries:
            found["requests"][(_period(r.created_at, grain), label(r.status))] += 1
    for lesson, iso3 in made["lessons"]:
        if lesson.status == LessonStatus.PUBLISHED and lesson.hidden_at is None and iso3 in countries:
            found["lessons"][_period(lesson.published_at, grain)] += 1
    seen = set()
    names_of = dict(db.session.execute(select(Instrument.slug, Instrument.short_name)).all())
    for c in made["treaties"]:
        key = (_period(c.as_of, grain), names_of[c.instrument_slug], label(c.new_status))
        if c.country_iso3 in countries and (key, c.country_iso3) not in seen:
            seen.add((key, c.country_iso3))
            found["treaties"][key] += 1
    return found


def _check(client, made, grain: str, countries: set[str]) -> None:
    query = f"grain={grain}&since={START.year}"
    expected = _expected(made, grain, countries)
    hidden = "fewer than 3 countries"
    assert (
        Counter({(p, r, n): int(c) for p, r, n, c in _csv(client, "coverage", query)}) == expected["members"]
    )
    strategies = {
        (p, None if s == hidden else int(s), None if h == hidden else int(h)): 1
        for p, s, h in _csv(client, "strategies", query)
    }
    assert Counter(strategies) == expected["shared"]
    assert Counter({(p, n): int(c) for p, n, c in _csv(client, "capacity", query)}) == expected["maps"]
    assert Counter({(p, s): int(c) for p, s, c in _csv(client, "assistance", query)}) == expected["requests"]
    assert Counter({p: int(c) for p, c in _csv(client, "lessons", query) if c != "0"}) == expected["lessons"]
    assert (
        Counter({(p, i, s): int(c) for p, i, s, c in _csv(client, "treaties", query)}) == expected["treaties"]
    )


@pytest.mark.parametrize("grain", ["year", "quarter"])
def test_network_wide_figures_equal_brute_force_counts(admin_client, history, grain):
    _check(admin_client, history, grain, set(COUNTRIES))


def test_a_coordinator_sees_the_figures_of_their_scope_only(app, history, monkeypatch):
    coordinator = make_member(None)
    enrol_two_factor(coordinator)
    db.session.commit()
    real = permissions.grants
    monkeypatch.setattr(
        permissions.core,
        "grants",
        lambda user: (
            ((Capability.VIEW_REPORTS, Scope("m49", "002")),) if user.id == coordinator.id else real(user)
        ),
    )
    client = app.test_client()
    login(client, coordinator.email)
    africa = set(db.session.scalars(select(Country.iso3).where(Country.region_code == "002")))
    _check(client, history, "year", set(COUNTRIES) & africa)


def test_strategy_figures_from_fewer_than_three_countries_are_suppressed(admin_client, db_session):
    template = latest_template_version(default_template.SLUG)
    for iso3 in ("GHA", "SEN"):
        db.session.add(
            Assessment(
                country_iso3=iso3,
                network=Network.GOVERNMENT,
                title="S",
                template_version_id=template.id,
                answers={},
            )
        )
    db.session.commit()
    rows = _csv(admin_client, "strategies", "grain=year")
    assert rows[-1] == (str(NOW.year), "fewer than 3 countries", "0")
    db.session.add(
        Assessment(
            country_iso3="NGA",
            network=Network.GOVERNMENT,
            title="S",
            template_version_id=template.id,
            answers={},
        )
    )
    db.session.commit()
    assert _csv(admin_client, "strategies", "grain=year")[-1] == (str(NOW.year), "3", "0")


def test_reports_are_for_holders_of_the_power(app, member_client, admin_client, db_session):
    assert app.test_client().get("/reports/").status_code == 302  # to the sign-in page
    assert member_client.get("/reports/").status_code == 403
    assert member_client.get("/reports/lessons.csv").status_code == 403
    page = admin_client.get("/reports/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert (
        "<svg" in text
        and "Coverage by network and region" in text
        and "<script" not in text.split("<main")[-1]
    )
    assert admin_client.get("/reports/nope.csv").status_code == 404
    assert admin_client.get("/reports/all.csv").status_code == 404
    workbook = openpyxl.load_workbook(io.BytesIO(admin_client.get("/reports/all.xlsx").data), read_only=True)
    assert len(workbook.sheetnames) == 6
    assert "Reports" in admin_client.get("/admin/").get_data(as_text=True)


def test_the_page_runs_a_constant_number_of_queries(admin_client, history):
    counts = []
    for query in ("grain=year&since=2025", "grain=quarter&since=2015", "grain=year&since=2010"):
        admin_client.get(f"/reports/?{query}")
        with count_queries() as statements:
            assert admin_client.get(f"/reports/?{query}").status_code == 200
        counts.append(len(statements))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 14, counts
