"""Where countries are: M49 regions, UN regional groups and organisations, named in the reader's language.

Scopes are subqueries of (scope, iso3) pairs naming the countries of one region, group or
organisation (or of each one at once), for aggregates and for permissions held over a scope.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import ColumnElement, Select, Subquery, exists, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from r2p_network.core.i18n import current_lang, localized
from r2p_network.extensions import db
from r2p_network.models import BodyKind, Country, Membership, MembershipStatus, Region, RegionalBody
from r2p_network.models.collation import sort_key

# The official M49 names in the six languages live with the other reference data.
NAMES_JSON = Path(__file__).resolve().parent.parent / "reference" / "data" / "m49_names.json"


@cache
def official_names() -> dict:
    """The official M49 region names in the six languages, and country-name corrections."""
    with NAMES_JSON.open(encoding="utf-8") as handle:
        return json.load(handle)


def region_name(code: str, fallback: str, lang: str) -> str:
    """An M49 region's official name in *lang* (English otherwise), or the reference-data name."""
    names = official_names()["regions"].get(code)
    if not names:
        return fallback
    return names.get(lang) or names["en"]


def m49_provenance() -> tuple[str, date]:
    """Where the M49 regions and their names come from, and when they were checked."""
    data = official_names()
    return data["source"], date.fromisoformat(data["as_of"])


def country_name_column() -> InstrumentedAttribute[str]:
    """The country-name column in the user's language (for SELECT and ORDER BY)."""
    return getattr(Country, f"name_{current_lang()}", Country.name_en)


def country_sort_column() -> InstrumentedAttribute[str]:
    """The collation key of the country name in the user's language: ORDER BY this, not the name,
    so that each language sorts its own way ("Égypte" among the E's, Chinese by pinyin)."""
    return getattr(Country, f"sort_{current_lang()}", Country.sort_en)


def name_sort_key(name: str) -> str:
    """The same collation for names sorted in Python (regions, a lesson's places)."""
    return sort_key(name, current_lang())


def in_body(body_slug: str) -> ColumnElement[bool]:
    """Countries that belong to a regional group or organisation (any membership status)."""
    return exists().where(Membership.body_slug == body_slug, Membership.country_iso3 == Country.iso3)


def in_region(code: str) -> ColumnElement[bool]:
    """Countries in an M49 region, sub-region or intermediate region."""
    return or_(Country.region_code == code, Country.subregion_code == code, Country.intermediate_code == code)


def areas_within(code: str) -> Select[str]:
    """The codes of an M49 region and of every sub-region and intermediate region inside it."""
    child = aliased(Region)
    return select(Region.code).where(
        or_(
            Region.code == code,
            Region.parent_code == code,
            Region.parent_code.in_(select(child.code).where(child.parent_code == code)),
        )
    )


def areas_of(countries: list[str], region: str | None) -> set[str]:
    """Every M49 region, sub-region and intermediate region the countries and the region belong to."""
    areas: set[str] = set()
    if countries:
        for row in db.session.execute(
            select(Country.region_code, Country.subregion_code, Country.intermediate_code).where(
                Country.iso3.in_(countries)
            )
        ):
            areas.update(code for code in row if code)
    if region:
        parents = dict(db.session.execute(select(Region.code, Region.parent_code)).all())
        code: str | None = region
        while code:
            areas.add(code)
            code = parents.get(code)
    return areas


def escape_like(text: str) -> str:
    """Make LIKE wildcards in user input literal (used with escape="\\")."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class FilterOptions:
    regions: list[tuple[str, str, str | None]]  # (code, English name, parent code)
    groups: list[tuple[str, str]]  # (slug, name)
    organisations: list[tuple[str, str]]  # (slug, acronym)


def region_rows() -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) of every M49 region, for ``reference.region_tree``."""
    return [
        (code, name, parent_code)
        for code, name, parent_code in db.session.execute(
            select(Region.code, Region.name, Region.parent_code)
        )
    ]


def filter_options() -> FilterOptions:
    """Regions and regional bodies for the directory's filters, in two queries."""
    regions = region_rows()
    groups: list[tuple[str, str]] = []
    organisations: list[tuple[str, str]] = []
    lang = current_lang()
    for slug, kind, acronym, name, translations in db.session.execute(
        select(
            RegionalBody.slug,
            RegionalBody.kind,
            RegionalBody.acronym,
            RegionalBody.name,
            RegionalBody.translations,
        ).order_by(RegionalBody.acronym)
    ):
        if kind.value == "un_group":
            # Menu options hold no markup: an untranslated name shows plainly in English there.
            groups.append((slug, str(localized(translations, "name", name, lang))))
        else:
            organisations.append((slug, acronym))
    return FilterOptions(regions=regions, groups=groups, organisations=organisations)


def scope_names() -> dict[str, str]:
    """Every scope a coordinator can hold, as "kind:key" -> its name in the reader's language."""
    options = filter_options()
    names = {f"m49:{code}": name for code, name, _depth in region_tree(options.regions, current_lang())}
    names.update({f"group:{slug}": name for slug, name in options.groups})
    names.update({f"org:{slug}": acronym for slug, acronym in options.organisations})
    return names


MEMBER_STATUSES = (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED, MembershipStatus.ASSOCIATE)


def region_scope(code: str | None = None) -> Subquery:
    """One M49 region, sub-region or intermediate region; or, without a code, each top region."""
    if code is None:
        return select(Country.region_code.label("scope"), Country.iso3.label("iso3")).subquery("scope")
    return (
        select(literal(code).label("scope"), Country.iso3.label("iso3"))
        .where(in_region(code))
        .subquery("scope")
    )


def body_scope(kind: BodyKind, slug: str | None = None) -> Subquery:
    """One UN regional group or organisation; or, without a slug, each one of that kind."""
    stmt = (
        select(Membership.body_slug.label("scope"), Membership.country_iso3.label("iso3"))
        .join(RegionalBody, RegionalBody.slug == Membership.body_slug)
        .where(RegionalBody.kind == kind, Membership.status.in_(MEMBER_STATUSES))
    )
    if slug is not None:
        stmt = stmt.where(Membership.body_slug == slug)
    return stmt.subquery("scope")


def country_scope(iso3: str) -> Subquery:
    return (
        select(literal(iso3).label("scope"), Country.iso3.label("iso3"))
        .where(Country.iso3 == iso3)
        .subquery("scope")
    )


def region_tree(regions: list[tuple[str, str, str | None]], lang: str) -> list[tuple[str, str, int]]:
    """(code, name, depth) for M49 regions, each followed by its sub-regions, named and sorted in *lang*."""
    children: dict[str | None, list[tuple[str, str]]] = {}
    for code, name, parent in regions:
        children.setdefault(parent, []).append((code, region_name(code, name, lang)))
    result: list[tuple[str, str, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for code, label in sorted(children.get(parent, []), key=lambda item: sort_key(item[1], lang)):
            result.append((code, label, depth))
            walk(code, depth + 1)

    walk(None, 0)
    return result
