"""Reads for country pages and network coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from sqlalchemy import or_, select

from r2p_network.core.geography import name_sort_key, region_name, region_scope
from r2p_network.core.i18n import current_lang, localized
from r2p_network.core.membership import coverage, holds_seat, left_seat
from r2p_network.extensions import db
from r2p_network.models import (
    Country,
    FocalPointProfile,
    Instrument,
    Membership,
    MembershipStatus,
    Network,
    Region,
    RegionalBody,
    TreatyParticipation,
    TreatyStatus,
    TreatyStatusChange,
    User,
)


@dataclass(frozen=True)
class BodyMembership:
    slug: str
    kind: str
    acronym: str
    name: str
    status: MembershipStatus
    note: str | None
    as_of: date
    source: str


@dataclass(frozen=True)
class Seat:
    user_id: int
    name: str
    title: str
    institution: str


@dataclass(frozen=True)
class TreatyRow:
    slug: str
    short_name: str
    name: str
    status: TreatyParticipation | None
    source: str | None
    as_of: date | None
    applicable: bool
    withdrawal_effective_on: date | None = None
    implementing_legislation: str | None = None


@dataclass
class CountryPage:
    country: Country
    name: str
    regions: list[tuple[str, str]]  # (code, name) from region to intermediate region
    memberships: list[BodyMembership]
    seats: dict[Network, list[Seat]] = field(default_factory=dict)
    vacant: set[Network] = field(default_factory=set)
    treaties: list[TreatyRow] = field(default_factory=list)

    @property
    def groups(self) -> list[BodyMembership]:
        return [m for m in self.memberships if m.kind == "un_group"]

    @property
    def organisations(self) -> list[BodyMembership]:
        return [m for m in self.memberships if m.kind == "organisation"]


def country_page(iso3: str) -> CountryPage | None:
    """Everything the country page shows, in five queries whatever the data size."""
    country = db.session.get(Country, iso3.upper())
    if country is None:
        return None
    lang = current_lang()
    codes = [c for c in (country.region_code, country.subregion_code, country.intermediate_code) if c]
    names = {
        code: name
        for code, name in db.session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))
    }
    regions = [(code, region_name(code, names.get(code, code), lang)) for code in codes]

    memberships = [
        BodyMembership(
            slug,
            kind.value,
            acronym,
            localized(translations, "name", name, lang),
            status,
            note,
            as_of,
            source,
        )
        for slug, kind, acronym, name, translations, status, note, as_of, source in db.session.execute(
            select(
                RegionalBody.slug,
                RegionalBody.kind,
                RegionalBody.acronym,
                RegionalBody.name,
                RegionalBody.translations,
                Membership.status,
                Membership.note,
                Membership.as_of,
                Membership.source,
            )
            .join(Membership, Membership.body_slug == RegionalBody.slug)
            .where(Membership.country_iso3 == country.iso3)
            .order_by(RegionalBody.kind.desc(), RegionalBody.acronym)
        )
    ]
    page = CountryPage(country=country, name=country.name(lang), regions=regions, memberships=memberships)

    seats: dict[Network, list[Seat]] = defaultdict(list)
    former: set[Network] = set()
    for user_id, name, title, institution, network, holder in db.session.execute(
        select(
            User.id,
            User.name,
            FocalPointProfile.title,
            FocalPointProfile.institution,
            FocalPointProfile.network,
            holds_seat(),
        )
        .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .where(FocalPointProfile.country_iso3 == country.iso3, or_(holds_seat(), left_seat()))
        .order_by(User.name)
    ):
        if holder:
            seats[cast(Network, network)].append(Seat(user_id, name, title, institution))
        else:
            former.add(cast(Network, network))
    page.seats = dict(seats)
    page.vacant = former - set(seats)

    body_slugs = {m.slug for m in memberships}
    for instrument, status in db.session.execute(
        select(Instrument, TreatyStatus)
        .outerjoin(
            TreatyStatus,
            (TreatyStatus.instrument_slug == Instrument.slug) & (TreatyStatus.country_iso3 == country.iso3),
        )
        .order_by(Instrument.position)
    ):
        applicable = instrument.body_slug is None or instrument.body_slug in body_slugs
        page.treaties.append(
            TreatyRow(
                slug=instrument.slug,
                short_name=localized(instrument.translations, "short_name", instrument.short_name, lang),
                name=localized(instrument.translations, "name", instrument.name, lang),
                status=status.status
                if status
                else (None if applicable else TreatyParticipation.NOT_APPLICABLE),
                source=status.source if status else None,
                as_of=status.as_of if status else None,
                applicable=applicable,
                withdrawal_effective_on=status.withdrawal_effective_on if status else None,
                implementing_legislation=status.implementing_legislation if status else None,
            )
        )
    return page


@dataclass(frozen=True)
class TreatyChange:
    instrument: str
    old_status: TreatyParticipation | None
    new_status: TreatyParticipation
    source: str
    as_of: date
    withdrawal_effective_on: date | None
    implementing_legislation: str | None
    changed_at: datetime
    changed_by: str | None


def treaty_history(iso3: str, limit: int = 100) -> list[TreatyChange]:
    """The latest changes to a country's treaty records, newest first."""
    lang = current_lang()
    rows = db.session.execute(
        select(
            Instrument.short_name,
            Instrument.translations,
            TreatyStatusChange.old_status,
            TreatyStatusChange.new_status,
            TreatyStatusChange.source,
            TreatyStatusChange.as_of,
            TreatyStatusChange.withdrawal_effective_on,
            TreatyStatusChange.implementing_legislation,
            TreatyStatusChange.changed_at,
            User.name,
        )
        .join(Instrument, Instrument.slug == TreatyStatusChange.instrument_slug)
        .outerjoin(User, User.id == TreatyStatusChange.changed_by_id)
        .where(TreatyStatusChange.country_iso3 == iso3)
        .order_by(TreatyStatusChange.changed_at.desc(), TreatyStatusChange.id.desc())
        .limit(limit)
    )
    return [
        TreatyChange(localized(translations, "short_name", short_name, lang), *rest)
        for short_name, translations, *rest in rows
    ]


@dataclass(frozen=True)
class RegionCoverage:
    code: str
    name: str
    member_states: int
    by_network: dict[Network, int]
    any_network: int


@dataclass(frozen=True)
class CoveredCountry:
    iso3: str
    name: str
    networks: frozenset[Network]


@dataclass(frozen=True)
class Coverage:
    regions: list[RegionCoverage]
    totals: RegionCoverage
    countries: list[CoveredCountry]


def network_coverage() -> Coverage:
    """How many Member States have focal points, by M49 region and network: counts only, three queries."""
    lang = current_lang()
    rows = coverage(region_scope())
    regions: list[RegionCoverage] = []
    countries: list[CoveredCountry] = []
    for code, name in db.session.execute(select(Region.code, Region.name).where(Region.code.in_(rows))):
        members = [row for row in rows[code] if row.member_state]
        regions.append(
            RegionCoverage(
                code,
                region_name(code, name, lang),
                len(members),
                {n: c for n in Network if (c := sum(1 for row in members if row.seats.get(n)))},
                sum(1 for row in members if row.networks),
            )
        )
        countries.extend(
            CoveredCountry(row.iso3, row.name, frozenset(n for n, held in row.seats.items() if held))
            for row in rows[code]
            if row.networks
        )
    regions.sort(key=lambda r: name_sort_key(r.name))
    countries.sort(key=lambda c: name_sort_key(c.name))
    totals = RegionCoverage(
        "001",
        region_name("001", "World", lang),
        sum(r.member_states for r in regions),
        {n: c for n in Network if (c := sum(r.by_network.get(n, 0) for r in regions))},
        sum(r.any_network for r in regions),
    )
    return Coverage(regions=regions, totals=totals, countries=countries)
