"""Reads for the regional views: every aggregate in SQL, a fixed number of queries per page.

Each aggregate takes a *scope*: a subquery of (scope, iso3) pairs naming the countries of one
region, group or organisation, or of several at once for the comparison page. The numbers
come only from what the permission rules let a member see: current verified capacity maps
without restricted needs, assessment versions their teams shared, published lessons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from math import cos, radians
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, case, distinct, func, select, union, union_all
from sqlalchemy.orm import aliased

from r2p_network.assessments.default_template import RISK_FACTORS
from r2p_network.assessments.queries import K_ANONYMITY, SHARED, join_latest_version
from r2p_network.core.geography import (
    MEMBER_STATUSES,
    body_scope,
    country_name_column,
    m49_provenance,
    region_name,
    region_rows,
    region_scope,
    region_tree,
)
from r2p_network.core.i18n import current_lang, localized
from r2p_network.core.membership import CountryRow
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    BodyKind,
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Country,
    Lesson,
    LessonTag,
    Membership,
    Network,
    Region,
    RegionalBody,
    SubmissionStatus,
    TagKind,
)
from r2p_network.permissions import published_lessons

JUDGEMENTS = ("serious_concern", "some_concern", "no_concern")
# Countries that belong to a body for these views; observers and participants do not.


# --- scopes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    kind: str  # "m49", "groups" or "orgs"
    key: str
    name: str
    acronym: str = ""
    level: str = ""


def m49_places() -> list[tuple[Place, int]]:
    """Every M49 region, sub-region and intermediate region, with its depth, in tree order."""
    tree = region_tree(region_rows(), current_lang())
    return [(Place("m49", code, label), depth) for code, label, depth in tree]


def body_places(kind: BodyKind | None = None) -> list[Place]:
    stmt = select(
        RegionalBody.slug,
        RegionalBody.kind,
        RegionalBody.acronym,
        RegionalBody.name,
        RegionalBody.translations,
    ).order_by(RegionalBody.acronym)
    if kind is not None:
        stmt = stmt.where(RegionalBody.kind == kind)
    lang = current_lang()
    return [
        Place(
            "groups" if k == BodyKind.UN_GROUP else "orgs",
            slug,
            localized(translations, "name", name, lang),
            acronym,
        )
        for slug, k, acronym, name, translations in db.session.execute(stmt)
    ]


def find_place(kind: str, key: str) -> Place | None:
    """The region, group or organisation at /regions/<kind>/<key>, or None."""
    if kind == "m49":
        row = db.session.execute(select(Region.name, Region.level).where(Region.code == key)).first()
        return (
            Place("m49", key, region_name(key, row[0], current_lang()), level=row[1].value) if row else None
        )
    expected = BodyKind.UN_GROUP if kind == "groups" else BodyKind.ORGANISATION
    body = db.session.execute(
        select(RegionalBody.acronym, RegionalBody.name, RegionalBody.translations).where(
            RegionalBody.slug == key, RegionalBody.kind == expected
        )
    ).first()
    return Place(kind, key, localized(body[2], "name", body[1]), body[0]) if body else None


@dataclass(frozen=True)
class Provenance:
    """Where the list of a place's countries comes from, and when it was last checked."""

    source: str
    as_of: date
    countries: int | None  # how many memberships rest on this source and date (None for M49)


def membership_provenance(place: Place) -> tuple[list[Provenance], str | None]:
    """The sources and as-of dates of the memberships a regional view shows, oldest first, and the
    body's note (one query for a group or organisation, none for an M49 region)."""
    if place.kind == "m49":
        source, as_of = m49_provenance()
        return [Provenance(source, as_of, None)], None
    rows = db.session.execute(
        select(Membership.source, Membership.as_of, func.count(), RegionalBody.note)
        .join(RegionalBody, RegionalBody.slug == Membership.body_slug)
        .where(Membership.body_slug == place.key, Membership.status.in_(MEMBER_STATUSES))
        .group_by(Membership.source, Membership.as_of, RegionalBody.note)
        .order_by(Membership.as_of, Membership.source)
    ).all()
    note = rows[0][3] if rows else None
    return [Provenance(source, as_of, int(n)) for source, as_of, n, _note in rows], note


def scope_of(place: Place) -> Subquery:
    if place.kind == "m49":
        return region_scope(place.key)
    return body_scope(BodyKind.UN_GROUP if place.kind == "groups" else BodyKind.ORGANISATION, place.key)


def scopes_of(places: Sequence[Place]) -> Subquery:
    """Several places side by side, any mix of regions, groups and organisations (keys are
    unique across the three: M49 codes are digits, and bodies share one table of slugs)."""
    parts = [select(scope.c.scope, scope.c.iso3) for scope in map(scope_of, places)]
    return union_all(*parts).subquery("scope")


def all_places() -> list[Place]:
    """Every place one can compare: M49 regions (top and sub-regions), UN groups, organisations."""
    return [place for place, _depth in m49_places()] + body_places()


# --- aggregates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    iso3: str
    network: Network
    versions: int
    last_submitted_at: datetime
    complete: tuple[bool, bool, bool, bool]


def progress(scope: Subquery) -> dict[str, list[Progress]]:
    """Per scope, each assessment's latest submitted version: which elements are complete, and when."""
    version = aliased(AssessmentVersion)
    stmt = join_latest_version(
        select(
            scope.c.scope,
            Assessment.country_iso3,
            Assessment.network,
            version.number,
            version.submitted_at,
            version.element1_complete,
            version.element2_complete,
            version.element3_complete,
            version.element4_complete,
        ).join(Assessment, Assessment.country_iso3 == scope.c.iso3),
        version,
    ).order_by(scope.c.scope, Assessment.country_iso3, Assessment.network)
    found: dict[str, list[Progress]] = defaultdict(list)
    for key, iso3, network, number, at, e1, e2, e3, e4 in db.session.execute(stmt):
        found[key].append(Progress(iso3, network, number, at, (e1, e2, e3, e4)))
    return found


def _current_entries(scope: Subquery, *columns: Any) -> Select:
    """Current verified capacity entries of the scope's countries; restricted needs never count."""
    return (
        select(*columns)
        .select_from(scope)
        .join(CapacitySubmission, CapacitySubmission.country_iso3 == scope.c.iso3)
        .join(CapacityEntry, CapacityEntry.submission_id == CapacitySubmission.id)
        .join(CapacityCategory, CapacityCategory.id == CapacityEntry.category_id)
        .where(
            CapacitySubmission.status == SubmissionStatus.VERIFIED,
            CapacitySubmission.is_current.is_(True),
            CapacityEntry.restricted.is_(False),
        )
    )


Cells = dict[tuple[str, str], set[CapacityStatus]]  # (iso3, category slug) -> statuses
Counts = dict[tuple[str, CapacityStatus], int]  # (category slug, status) -> countries


def capacity_cells(scope: Subquery) -> dict[str, Cells]:
    """Per scope, the statuses each country has mapped for each category (for matrices and maps)."""
    found: dict[str, Cells] = defaultdict(dict)
    stmt = _current_entries(
        scope, scope.c.scope, scope.c.iso3, CapacityCategory.slug, CapacityEntry.status
    ).distinct()
    for key, iso3, slug, status in db.session.execute(stmt):
        found[key].setdefault((iso3, slug), set()).add(status)
    return found


def capacity_counts(scope: Subquery) -> dict[str, Counts]:
    """Per scope, how many countries have, offer or need each category, counted in SQL."""
    stmt = _current_entries(
        scope, scope.c.scope, CapacityCategory.slug, CapacityEntry.status, func.count(distinct(scope.c.iso3))
    ).group_by(scope.c.scope, CapacityCategory.slug, CapacityEntry.status)
    found: dict[str, Counts] = defaultdict(dict)
    for key, slug, status, n in db.session.execute(stmt):
        found[key][(slug, status)] = int(n)
    return found


@dataclass(frozen=True)
class Gap:
    slug: str
    needing: int  # countries of the scope that need it
    nearest: list[tuple[str, str]]  # (iso3, name) of the nearest offering countries outside


def gaps(scope: Subquery, centre: tuple[float, float], limit: int = 3) -> list[Gap]:
    """Needs that no country of the scope offers, with the nearest offers from outside (two queries)."""
    offered = _current_entries(scope, CapacityCategory.slug).where(
        CapacityEntry.status == CapacityStatus.OFFERS
    )
    rows = db.session.execute(
        _current_entries(scope, CapacityCategory.slug, func.count(distinct(scope.c.iso3)))
        .where(CapacityEntry.status == CapacityStatus.NEEDS, CapacityCategory.slug.not_in(offered))
        .group_by(CapacityCategory.slug, CapacityCategory.position)
        .order_by(CapacityCategory.position)
    ).all()
    lat, lon = centre
    # Distance on an equirectangular approximation: enough to rank neighbours, and portable SQL.
    stretch = cos(radians(lat)) ** 2
    distance = (Country.latitude - lat) * (Country.latitude - lat) + (Country.longitude - lon) * (
        Country.longitude - lon
    ) * stretch
    name = country_name_column()
    ranked = (
        select(
            CapacityCategory.slug.label("slug"),
            Country.iso3.label("iso3"),
            name.label("name"),
            func.row_number()
            .over(partition_by=CapacityCategory.slug, order_by=(func.min(distance), Country.iso3))
            .label("rank"),
        )
        .join(CapacitySubmission, CapacitySubmission.country_iso3 == Country.iso3)
        .join(CapacityEntry, CapacityEntry.submission_id == CapacitySubmission.id)
        .join(CapacityCategory, CapacityCategory.id == CapacityEntry.category_id)
        .where(
            CapacitySubmission.status == SubmissionStatus.VERIFIED,
            CapacitySubmission.is_current.is_(True),
            CapacityEntry.status == CapacityStatus.OFFERS,
            CapacityCategory.slug.in_([slug for slug, _n in rows]),
            Country.iso3.not_in(select(scope.c.iso3)),
        )
        .group_by(CapacityCategory.slug, Country.iso3, name)
        .subquery()
    )
    nearest: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for slug, iso3, label in db.session.execute(
        select(ranked.c.slug, ranked.c.iso3, ranked.c.name)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.rank)
    ):
        nearest[slug].append((iso3, label))
    return [Gap(slug, n, nearest.get(slug, [])) for slug, n in rows]


@dataclass(frozen=True)
class RiskOverview:
    countries: int  # countries that shared an assessment
    counts: dict[int, dict[str, int]]  # risk factor -> judgement -> number of shared assessments

    @property
    def suppressed(self) -> bool:
        return self.countries < K_ANONYMITY


def risk_overview(scope: Subquery) -> dict[str, RiskOverview]:
    """Judgements on the 14 risk factors, from shared versions only, aggregated in one query.

    Callers must not show a scope whose ``suppressed`` is true: with fewer than three
    contributing countries, one country's answers could be inferred.
    """
    version = aliased(AssessmentVersion)
    columns = []
    for number, *_rest in RISK_FACTORS:
        answer = version.answers[f"rf{number:02d}_judgement"].as_string()
        columns += [
            func.sum(case((answer == value, 1), else_=0)).label(f"rf{number}_{value}") for value in JUDGEMENTS
        ]
    stmt = join_latest_version(
        select(scope.c.scope, func.count(distinct(Assessment.country_iso3)), *columns).join(
            Assessment, Assessment.country_iso3 == scope.c.iso3
        ),
        version,
        AssessmentVersion.visibility.in_(SHARED),
    ).group_by(scope.c.scope)
    found: dict[str, RiskOverview] = {}
    for key, countries, *sums in db.session.execute(stmt):
        values = iter(int(v or 0) for v in sums)
        counts = {number: {value: next(values) for value in JUDGEMENTS} for number, *_r in RISK_FACTORS}
        found[key] = RiskOverview(int(countries), counts)
    return found


def lesson_counts(scope: Subquery, user: Any) -> dict[str, int]:
    """Published lessons concerning each scope: one of its countries, or the M49 area (one query)."""
    by_country = select(scope.c.scope.label("scope"), LessonTag.lesson_id).join(
        LessonTag, and_(LessonTag.kind == TagKind.COUNTRY, LessonTag.value == scope.c.iso3)
    )
    by_area = select(LessonTag.value.label("scope"), LessonTag.lesson_id).where(
        LessonTag.kind == TagKind.AREA, LessonTag.value.in_(select(scope.c.scope))
    )
    tagged = union(by_country, by_area).subquery()  # a lesson counts once per scope
    stmt = (
        select(tagged.c.scope, func.count())
        .join(Lesson, Lesson.id == tagged.c.lesson_id)
        .where(published_lessons(user))
        .group_by(tagged.c.scope)
    )
    return {key: int(n) for key, n in db.session.execute(stmt)}


def _about(scope: Subquery, area: str | None) -> ColumnElement[bool]:
    """Lessons tagged with one of the scope's countries, or with the M49 area itself."""
    tagged = and_(LessonTag.kind == TagKind.COUNTRY, LessonTag.value.in_(select(scope.c.iso3)))
    if area:
        tagged = tagged | and_(LessonTag.kind == TagKind.AREA, LessonTag.value == area)
    return Lesson.id.in_(select(LessonTag.lesson_id).where(tagged))


def latest_lessons(
    scope: Subquery, user: Any, *, cross: bool, area: str | None = None, limit: int = 5
) -> Sequence[Any]:
    """The newest published lessons about the scope: regional ones, or cross-regional ones."""
    return db.session.execute(
        select(Lesson.id, Lesson.title, Lesson.summary, Lesson.published_at)
        .where(published_lessons(user), _about(scope, area), Lesson.cross_regional.is_(cross))
        .order_by(Lesson.published_at.desc(), Lesson.id.desc())
        .limit(limit)
    ).all()


def centre_of(rows: list[CountryRow]) -> tuple[float, float]:
    if not rows:
        return (0.0, 0.0)
    return (sum(r.latitude for r in rows) / len(rows), sum(r.longitude for r in rows) / len(rows))
