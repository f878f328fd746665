"""Reads for the capacity map. Every listing, matrix, match and export starts from
``map_entries``, so the verification and visibility rules live in one place."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Row, Select, String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from r2p_network.core.geography import country_name_column, country_sort_column, in_body, in_region
from r2p_network.core.i18n import Localized, current_lang, localized, translated_column
from r2p_network.core.pagination import paginate
from r2p_network.extensions import db
from r2p_network.models import (
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Country,
    Network,
    SubmissionStatus,
)

PER_PAGE = 50
MATCHES_PER_PAGE = 50  # needs, each with its offers


@dataclass(frozen=True)
class MapFilters:
    region: str = ""
    group: str = ""
    org: str = ""
    category: str = ""
    status: str = ""
    cycle: int | None = None  # None: each team's latest verified cycle

    def country_conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.region:
            conditions.append(in_region(self.region))
        for slug in (self.group, self.org):
            if slug:
                conditions.append(in_body(slug))
        return conditions

    def as_query(self) -> dict[str, str]:
        values = {k: str(v) for k, v in vars(self).items() if v not in ("", None)}
        return values


def on_the_map(submission: type[CapacitySubmission]) -> ColumnElement[bool]:
    """The submission is verified and no verified revision has replaced it."""
    return and_(submission.status == SubmissionStatus.VERIFIED, submission.replaced_by_id.is_(None))


def current_cycle(submission: type[CapacitySubmission]) -> ColumnElement[bool]:
    """The submission is its team's latest verified one."""
    other = aliased(CapacitySubmission)
    latest = (
        select(func.max(other.cycle))
        .where(
            other.country_iso3 == submission.country_iso3,
            other.network == submission.network,
            other.status == SubmissionStatus.VERIFIED,
        )
        .scalar_subquery()
    )
    return submission.cycle == latest


# Which restricted needs a reader sees: all (True), none (False), or those an SQL condition selects.
Restricted = bool | ColumnElement[bool]


def map_entries(filters: MapFilters, *, include_restricted: Restricted) -> Select:
    """Entries of verified submissions that the filters select, as rows for pages and exports.

    Restricted needs are left out unless *include_restricted*: True for those who see them
    everywhere, or an SQL condition on the submission's country (a coordinator's scopes).
    """
    name = country_name_column()
    stmt = (
        select(
            CapacityEntry.id,
            Country.iso3,
            name.label("country_name"),
            Country.region_code,
            CapacitySubmission.network,
            CapacitySubmission.cycle,
            CapacityCategory.slug.label("category_slug"),
            translated_column(
                CapacityCategory.name, CapacityCategory.translations, "name", current_lang()
            ).label("category_name"),
            CapacityEntry.status,
            CapacityEntry.maturity,
            CapacityEntry.description,
            CapacityEntry.institution,
            CapacityEntry.contact,
            CapacityEntry.restricted,
            country_sort_column().label("country_sort"),
        )
        .join(CapacitySubmission, CapacitySubmission.id == CapacityEntry.submission_id)
        .join(Country, Country.iso3 == CapacitySubmission.country_iso3)
        .join(CapacityCategory, CapacityCategory.id == CapacityEntry.category_id)
        .where(on_the_map(CapacitySubmission), *filters.country_conditions())
        .order_by(
            country_sort_column(),
            name,
            CapacitySubmission.network,
            CapacityCategory.position,
            CapacityEntry.status,
            CapacityEntry.id,
        )
    )
    if filters.cycle is None:
        stmt = stmt.where(CapacitySubmission.is_current.is_(True))
    else:
        stmt = stmt.where(CapacitySubmission.cycle == filters.cycle)
    if filters.category:
        stmt = stmt.where(CapacityCategory.slug == filters.category)
    if filters.status:
        stmt = stmt.where(CapacityEntry.status == CapacityStatus(filters.status))
    if include_restricted is not True:
        shown = CapacityEntry.restricted.is_(False)
        stmt = stmt.where(shown if include_restricted is False else or_(shown, include_restricted))
    return stmt


@dataclass(frozen=True)
class EntryRow:
    id: int
    iso3: str
    country_name: str
    region_code: str
    network: Network
    cycle: int
    category_slug: str
    category_name: str
    status: CapacityStatus
    maturity: int
    description: str
    institution: str
    contact: str
    restricted: bool
    country_sort: str  # the collation key of country_name


EXPORT_COLUMNS = (
    "country",
    "country_name",
    "network",
    "cycle",
    "category",
    "category_name",
    "status",
    "maturity",
    "description",
    "institution",
    "contact",
)
# The CSV and XLSX column headers in the reader's language; JSON keys stay EXPORT_COLUMNS.
EXPORT_HEADERS = {
    "country": _l("ISO code"),
    "country_name": _l("Country"),
    "network": _l("Network"),
    "cycle": _l("Cycle"),
    "category": _l("Capacity code"),
    "category_name": _l("Capacity"),
    "status": _l("Status"),
    "maturity": _l("Maturity"),
    "description": _l("Description"),
    "institution": _l("Institution"),
    "contact": _l("Contact"),
}


def export_header() -> list[str]:
    """The header row of the CSV and XLSX exports, one label for each of ``EXPORT_COLUMNS``."""
    return [str(EXPORT_HEADERS[column]) for column in EXPORT_COLUMNS]


def export_statement(filters: MapFilters, *, include_restricted: Restricted) -> Select:
    """The selected entries, one row each with the cells of ``EXPORT_COLUMNS``, network and
    status as their stored text."""
    return map_entries(filters, include_restricted=include_restricted).with_only_columns(
        Country.iso3,
        country_name_column(),
        type_coerce(CapacitySubmission.network, String),
        CapacitySubmission.cycle,
        CapacityCategory.slug,
        CapacityCategory.name,
        type_coerce(CapacityEntry.status, String),
        CapacityEntry.maturity,
        CapacityEntry.description,
        CapacityEntry.institution,
        CapacityEntry.contact,
    )


def export_rows(filters: MapFilters, *, include_restricted: Restricted) -> Iterator[Row]:
    """``export_statement``'s rows, streamed in batches.

    Core rather than the ORM, and no enum objects: an export reads tens of thousands of rows,
    and ORM rows cost several times more.
    """
    stmt = export_statement(filters, include_restricted=include_restricted)
    yield from db.session.connection().execute(stmt.execution_options(yield_per=1000))


def entry_page(
    filters: MapFilters, page: int, *, include_restricted: Restricted
) -> tuple[list[EntryRow], int, int]:
    """One page of entries, the total and the page number actually shown."""
    rows, total, page = paginate(map_entries(filters, include_restricted=include_restricted), page, PER_PAGE)
    return [EntryRow(*row) for row in rows], total, page


@dataclass
class MatrixRow:
    iso3: str
    country_name: str
    cells: dict[str, dict[CapacityStatus, int]] = field(
        default_factory=dict
    )  # category -> status -> best maturity


def matrix(filters: MapFilters, *, include_restricted: Restricted) -> list[MatrixRow]:
    """Countries x categories with the statuses present, aggregated in SQL."""
    entries = map_entries(filters, include_restricted=include_restricted).subquery()
    rows = db.session.execute(
        select(
            entries.c.iso3,
            entries.c.country_name,
            entries.c.category_slug,
            entries.c.status,
            func.max(entries.c.maturity),
        )
        .group_by(
            entries.c.iso3,
            entries.c.country_name,
            entries.c.country_sort,
            entries.c.category_slug,
            entries.c.status,
        )
        .order_by(entries.c.country_sort, entries.c.iso3)
    )
    by_country: dict[str, MatrixRow] = {}
    for iso3, country, category, status, maturity in rows:
        row = by_country.setdefault(iso3, MatrixRow(iso3, country))
        row.cells.setdefault(category, {})[status] = maturity
    return list(by_country.values())


@dataclass(frozen=True)
class Match:
    need_iso3: str
    need_country: str
    category_slug: str
    category_name: str
    offer_iso3: str
    offer_country: str
    same_region: bool
    maturity: int


MATCHES_PER_NEED = 5


def _per_country(stmt: Select):
    """One row per country and capacity (with the highest maturity), so that pairing stays small."""
    entries = stmt.subquery()
    columns = (
        entries.c.iso3,
        entries.c.country_name,
        entries.c.country_sort,
        entries.c.region_code,
        entries.c.category_slug,
        entries.c.category_name,
    )
    return select(*columns, func.max(entries.c.maturity).label("maturity")).group_by(*columns).subquery()


def matches(filters: MapFilters, *, include_restricted: Restricted) -> list[Match]:
    """For each selected need, up to five offering countries: same region first, then higher
    maturity, then name (two queries).

    Rather than pairing every need with every offer, SQL keeps the best few offers of each
    capacity in each region; a need then takes its own region's list and, if that is short,
    the best of the other regions' lists.
    """
    need_filters = MapFilters(**{**vars(filters), "status": CapacityStatus.NEEDS.value})
    offer_filters = MapFilters(
        cycle=filters.cycle, category=filters.category, status=CapacityStatus.OFFERS.value
    )
    needs = _per_country(map_entries(need_filters, include_restricted=include_restricted))
    offers = _per_country(map_entries(offer_filters, include_restricted=False))
    rank = (
        func.row_number()
        .over(
            partition_by=(offers.c.category_slug, offers.c.region_code),
            order_by=(offers.c.maturity.desc(), offers.c.country_sort, offers.c.iso3),
        )
        .label("rank")
    )
    ranked = select(offers, rank).subquery()
    best: dict[tuple[str, str], list[Row]] = defaultdict(list)  # (category, region) -> offers
    # One more than needed: a need's own country may be among its region's best.
    for row in db.session.execute(select(ranked).where(ranked.c.rank <= MATCHES_PER_NEED + 1)):
        best[(row.category_slug, row.region_code)].append(row)

    def order(row: Row) -> tuple[int, str]:
        return (-row.maturity, row.country_sort)

    elsewhere: dict[tuple[str, str], list[Row]] = {}
    found: list[Match] = []
    for need in db.session.execute(
        select(needs).order_by(needs.c.country_sort, needs.c.iso3, needs.c.category_name)
    ):
        key = (need.category_slug, need.region_code)
        same = sorted((o for o in best.get(key, []) if o.iso3 != need.iso3), key=order)
        if key not in elsewhere:
            elsewhere[key] = sorted(
                (
                    o
                    for (slug, region), rows in best.items()
                    if slug == key[0] and region != key[1]
                    for o in rows
                ),
                key=order,
            )
        found += [
            Match(
                need.iso3,
                need.country_name,
                need.category_slug,
                need.category_name,
                offer.iso3,
                offer.country_name,
                offer.region_code == need.region_code,
                offer.maturity,
            )
            for offer in [*same, *elsewhere[key]][:MATCHES_PER_NEED]
        ]
    return found


@dataclass(frozen=True)
class Category:
    """A capacity category as readers see it: named and defined in their language."""

    id: int
    slug: str
    name: Localized
    definition: Localized
    inhibitor: int | None


def categories() -> list[Category]:
    """The categories offered in capacity maps, in catalogue order (one query)."""
    lang = current_lang()
    return [
        Category(
            c.id,
            c.slug,
            localized(c.translations, "name", c.name, lang),
            localized(c.translations, "definition", c.definition, lang),
            c.inhibitor,
        )
        for c in db.session.scalars(
            select(CapacityCategory)
            .where(CapacityCategory.active.is_(True))
            .order_by(CapacityCategory.position)
        )
    ]


def cycles() -> list[int]:
    return list(
        db.session.scalars(
            select(CapacitySubmission.cycle)
            .where(CapacitySubmission.status == SubmissionStatus.VERIFIED)
            .distinct()
            .order_by(CapacitySubmission.cycle.desc())
        )
    )


@dataclass(frozen=True)
class CountrySummary:
    iso3: str
    name: str
    latitude: float
    longitude: float
    counts: dict[CapacityStatus, int]
    categories: dict[CapacityStatus, list[str]]


def country_summaries(filters: MapFilters, *, include_restricted: Restricted) -> list[CountrySummary]:
    """Per country: counts and category slugs by status, with its representative point (for GeoJSON)."""
    entries = map_entries(filters, include_restricted=include_restricted).subquery()
    rows = db.session.execute(
        select(
            entries.c.iso3,
            entries.c.country_name,
            Country.latitude,
            Country.longitude,
            entries.c.status,
            entries.c.category_slug,
            entries.c.country_sort,
        )
        .join(Country, Country.iso3 == entries.c.iso3)
        .distinct()
        .order_by(entries.c.country_sort, entries.c.iso3, entries.c.category_slug)
    )
    result: dict[str, CountrySummary] = {}
    for iso3, name, lat, lon, status, category, _sort in rows:
        summary = result.get(iso3)
        if summary is None:
            summary = result[iso3] = CountrySummary(iso3, name, lat, lon, defaultdict(int), defaultdict(list))
        summary.counts[status] += 1
        summary.categories[status].append(category)
    return list(result.values())


def map_places(iso3s: list[str]) -> list[tuple[str, str, float, float]]:
    """(ISO code, M49 code, latitude, longitude) of the countries to draw on the capacity map."""
    if not iso3s:
        return []
    stmt = (
        select(Country.iso3, Country.m49, Country.latitude, Country.longitude)
        .where(Country.iso3.in_(iso3s))
        .order_by(Country.m49)
    )
    return [(iso3, m49, lat, lon) for iso3, m49, lat, lon in db.session.execute(stmt)]
