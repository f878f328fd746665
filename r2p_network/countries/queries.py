"""Reads for country pages and network coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import distinct, func, select

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
    UNStatus,
    User,
)
from r2p_network.models.accounts import AccountStatus
from r2p_network.profiles.queries import in_network
from r2p_network.reference import country_name_column, current_lang, region_name


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
        BodyMembership(slug, kind.value, acronym, name, status, note, as_of, source)
        for slug, kind, acronym, name, status, note, as_of, source in db.session.execute(
            select(
                RegionalBody.slug,
                RegionalBody.kind,
                RegionalBody.acronym,
                RegionalBody.name,
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
    for user_id, name, title, institution, network, in_post in db.session.execute(
        select(
            User.id,
            User.name,
            FocalPointProfile.title,
            FocalPointProfile.institution,
            FocalPointProfile.network,
            FocalPointProfile.in_post,
        )
        .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .where(FocalPointProfile.country_iso3 == country.iso3, User.status == AccountStatus.ACTIVE)
        .order_by(User.name)
    ):
        if in_post:
            seats[network].append(Seat(user_id, name, title, institution))
        else:
            former.add(network)
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
                short_name=instrument.short_name,
                name=instrument.name,
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
    rows = db.session.execute(
        select(
            Instrument.short_name,
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
    return [TreatyChange(*row) for row in rows]


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
    member = Country.un_status == UNStatus.MEMBER
    covered = (
        select(Country.region_code, FocalPointProfile.network, func.count(distinct(Country.iso3)))
        .join(FocalPointProfile, FocalPointProfile.country_iso3 == Country.iso3)
        .join(User, User.id == FocalPointProfile.user_id)
        .where(in_network(), member)
        .group_by(Country.region_code, FocalPointProfile.network)
    )
    per_region: dict[str, dict[Network, int]] = defaultdict(dict)
    for region, network, count in db.session.execute(covered):
        per_region[region][network] = count

    name_column = country_name_column()
    countries: dict[str, tuple[str, str, set[Network], bool]] = {}
    for iso3, name, region, network, is_member in db.session.execute(
        select(Country.iso3, name_column, Country.region_code, FocalPointProfile.network, member)
        .join(FocalPointProfile, FocalPointProfile.country_iso3 == Country.iso3)
        .join(User, User.id == FocalPointProfile.user_id)
        .where(in_network())
        .distinct()
        .order_by(name_column)
    ):
        countries.setdefault(iso3, (name, region, set(), is_member))[2].add(network)

    any_per_region: dict[str, int] = defaultdict(int)
    for _name, region, _networks, is_member in countries.values():
        if is_member:
            any_per_region[region] += 1

    regions: list[RegionCoverage] = []
    totals_by_network: dict[Network, int] = defaultdict(int)
    total_members = 0
    for code, name, count in db.session.execute(
        select(Region.code, Region.name, func.count(Country.iso3))
        .join(Country, Country.region_code == Region.code)
        .where(member)
        .group_by(Region.code, Region.name)
    ):
        total_members += count
        for network, n in per_region[code].items():
            totals_by_network[network] += n
        regions.append(
            RegionCoverage(code, region_name(code, name, lang), count, per_region[code], any_per_region[code])
        )
    regions.sort(key=lambda r: r.name)
    totals = RegionCoverage(
        "001",
        region_name("001", "World", lang),
        total_members,
        dict(totals_by_network),
        sum(any_per_region.values()),
    )
    return Coverage(
        regions=regions,
        totals=totals,
        countries=[
            CoveredCountry(iso3, name, frozenset(nets)) for iso3, (name, _r, nets, _m) in countries.items()
        ],
    )
