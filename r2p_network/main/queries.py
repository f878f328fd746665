"""Reads for the public pages: aggregate counts only, never personal data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from r2p_network.extensions import db
from r2p_network.models import AccountStatus, Country, FocalPointProfile, UNStatus, User


@dataclass(frozen=True)
class NetworkSummary:
    countries_with_focal_points: int
    member_states: int


def network_summary() -> NetworkSummary:
    """How many States have at least one active focal point, in one query."""
    covered = (
        select(func.count(distinct(FocalPointProfile.country_iso3)))
        .join(User, User.id == FocalPointProfile.user_id)
        .where(User.status == AccountStatus.ACTIVE)
        .scalar_subquery()
    )
    members = (
        select(func.count())
        .select_from(Country)
        .where(Country.un_status == UNStatus.MEMBER)
        .scalar_subquery()
    )
    row = db.session.execute(select(covered, members)).one()
    return NetworkSummary(countries_with_focal_points=row[0], member_states=row[1])
