"""Pillar II: who reads restricted needs, assistance requests between teams, and the reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_

from r2p_network.models import (
    AssistanceRequest,
    CapacitySubmission,
    User,
)
from r2p_network.permissions.core import (
    Capability,
    Scope,
    current_session_passed_second_factor,
    grants,
    holds,
    holds_anywhere,
    scope_condition,
    sees_restricted_needs,
    team_of,
)


def restricted_needs(user: User | Any) -> bool | ColumnElement[bool]:
    """Which restricted needs the member reads: all (True), none (False), or, for a capacity
    submission's country, those within the scopes where they hold the capability (SQL)."""
    if sees_restricted_needs(user):
        return True
    if not holds_anywhere(user, Capability.SEE_RESTRICTED_NEEDS):
        return False
    return scope_condition(user, Capability.SEE_RESTRICTED_NEEDS, iso3=CapacitySubmission.country_iso3)


def restricted_needs_audience(user: User | Any) -> str:
    """A name for the restricted needs the member reads, to key cached page parts by."""
    if sees_restricted_needs(user):
        return "restricted needs"
    scopes = sorted(f"{s.kind}:{s.key}" for c, s in grants(user) if c == Capability.SEE_RESTRICTED_NEEDS)
    if scopes and current_session_passed_second_factor():
        return "restricted needs in " + " ".join(scopes)
    return "members"


def can_read_assistance(user: User | Any, request: AssistanceRequest) -> bool:
    """Either team reads a request; overseers of either country too, and, when it answers a
    restricted need, only those who also see that country's restricted needs."""
    teams = (
        (request.requester_iso3, request.requester_network),
        (request.provider_iso3, request.provider_network),
    )
    if team_of(user) in teams:
        return True
    if request.restricted and not sees_restricted_needs(user, Scope.country(request.requester_iso3)):
        return False
    return any(holds(user, Capability.OVERSEE_ASSISTANCE, Scope.country(iso3)) for iso3, _network in teams)


def can_read_need_of(user: User | Any, request: AssistanceRequest) -> bool:
    """The need a request answers, when it is restricted: the asking team and those who see that
    country's restricted needs (the offering team reads the request, not the need)."""
    if not request.restricted or team_of(user) == (request.requester_iso3, request.requester_network):
        return True
    return sees_restricted_needs(user, Scope.country(request.requester_iso3))


def readable_assistance(user: User | Any) -> ColumnElement[bool]:
    """SQL: the assistance requests *user* may read (the same rule as ``can_read_assistance``)."""
    team = team_of(user)
    own: ColumnElement[bool] = false()
    if team is not None:
        own = or_(
            and_(AssistanceRequest.requester_iso3 == team[0], AssistanceRequest.requester_network == team[1]),
            and_(AssistanceRequest.provider_iso3 == team[0], AssistanceRequest.provider_network == team[1]),
        )
    overseen = or_(
        scope_condition(user, Capability.OVERSEE_ASSISTANCE, iso3=AssistanceRequest.requester_iso3),
        scope_condition(user, Capability.OVERSEE_ASSISTANCE, iso3=AssistanceRequest.provider_iso3),
    )
    unrestricted = or_(
        AssistanceRequest.restricted.is_(False),
        scope_condition(user, Capability.SEE_RESTRICTED_NEEDS, iso3=AssistanceRequest.requester_iso3),
    )
    return or_(own, and_(overseen, unrestricted))


def can_view_reports(user: User | Any) -> bool:
    """Open the reporting page (its figures cover the scopes where the member holds the power)."""
    return holds_anywhere(user, Capability.VIEW_REPORTS)
