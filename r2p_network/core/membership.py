"""Who holds a seat: the one rule for a current focal point, and coverage built on it.

A seat is one country's place in one network (government, civil society, parliament). A member
holds it while their account is active and they are in post; a seat is vacant when someone held
it, has left, and nobody holds it now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Subquery, and_, case, func, select

from r2p_network.core.geography import country_name_column, country_sort_column
from r2p_network.extensions import db
from r2p_network.models import AccountStatus, Country, FocalPointProfile, Network, UNStatus, User


def holds_seat() -> ColumnElement[bool]:
    """The one definition of a current focal point: approved, active and still in post."""
    return and_(User.status == AccountStatus.ACTIVE, FocalPointProfile.in_post.is_(True))


def left_seat() -> ColumnElement[bool]:
    """A focal point who has left their post (their seat is vacant unless someone else holds it)."""
    return FocalPointProfile.in_post.is_(False)


@dataclass
class CountryRow:
    iso3: str
    m49: str
    name: str
    latitude: float
    longitude: float
    member_state: bool = True  # a UN Member State (else an observer State)
    seats: dict[Network, int] = field(default_factory=dict)  # focal points in post, per network
    vacant: set[Network] = field(default_factory=set)  # seats whose focal points have left

    @property
    def networks(self) -> int:
        return sum(1 for n in self.seats.values() if n)


def coverage(scope: Subquery) -> dict[str, list[CountryRow]]:
    """Each scope's countries with their focal points in post and vacant seats (two queries)."""
    name = country_name_column()
    by_scope: dict[str, dict[str, CountryRow]] = defaultdict(dict)
    for key, iso3, m49, label, lat, lon, status in db.session.execute(
        select(
            scope.c.scope,
            Country.iso3,
            Country.m49,
            name,
            Country.latitude,
            Country.longitude,
            Country.un_status,
        )
        .join(Country, Country.iso3 == scope.c.iso3)
        .order_by(scope.c.scope, country_sort_column(), name)
    ):
        by_scope[key][iso3] = CountryRow(iso3, m49, label, lat, lon, status == UNStatus.MEMBER)
    for key, iso3, network, in_post, former in db.session.execute(
        select(
            scope.c.scope,
            scope.c.iso3,
            FocalPointProfile.network,
            func.sum(case((holds_seat(), 1), else_=0)),
            func.sum(case((left_seat(), 1), else_=0)),
        )
        .join(FocalPointProfile, FocalPointProfile.country_iso3 == scope.c.iso3)
        .join(User, User.id == FocalPointProfile.user_id)
        .group_by(scope.c.scope, scope.c.iso3, FocalPointProfile.network)
    ):
        row = by_scope[key][iso3]
        row.seats[network] = int(in_post or 0)
        if not in_post and former:
            row.vacant.add(network)
    return {key: list(rows.values()) for key, rows in by_scope.items()}


@dataclass(frozen=True)
class CoverageTotals:
    countries: int
    with_any: int
    by_network: dict[str, int]
    vacant: int


def coverage_totals(rows: list[CountryRow]) -> CoverageTotals:
    return CoverageTotals(
        countries=len(rows),
        with_any=sum(1 for r in rows if r.networks),
        by_network={n.value: sum(1 for r in rows if r.seats.get(n)) for n in Network},
        vacant=sum(1 for r in rows if r.vacant),
    )
