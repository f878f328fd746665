"""Capabilities held over scopes, who holds them, and the questions every feature asks first:
is this endpoint public, is this a member, which team or seat is theirs, is this `next` safe."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ColumnElement, SQLColumnExpression, false, literal, or_, select, true

from r2p_network.core import recovery
from r2p_network.core.geography import areas_within, in_body, in_region
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import (
    ContactVisibility,
    CoordinatorGrant,
    Country,
    Network,
    Role,
    SeatKind,
    User,
)

F = TypeVar("F", bound=Callable[..., Any])


# Endpoints served by Flask itself rather than a view of ours.
_BUILTIN_PUBLIC = frozenset({"static"})


def public(view: F) -> F:
    """Mark a view as open to anonymous visitors."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def is_public_endpoint(endpoint: str | None) -> bool:
    """True when *endpoint* is on the public allow-list."""
    if endpoint is None:
        return True  # no route matched: the 404 handler answers
    if endpoint in _BUILTIN_PUBLIC:
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def wants_json() -> bool:
    """True for API-style requests, which get status codes instead of redirects."""
    return request.is_json or request.accept_mimetypes.best == "application/json"


def require_login() -> Any:
    """Before each request: send anonymous visitors of non-public pages to sign in."""
    if is_public_endpoint(request.endpoint) or current_user.is_authenticated:
        return None
    if wants_json():
        abort(401)
    # A form sent on an expired session is kept, and sent again once the member is back.
    target = recovery.return_path(recovery.expired_member_id())
    commit()
    return redirect(url_for("auth.login", next=target))


class Capability(enum.StrEnum):
    """Powers beyond an ordinary member's, each held over a scope."""

    REVIEW_ACCESS_REQUESTS = "review_access_requests"
    MODERATE_LESSONS = "moderate_lessons"
    VERIFY_CAPACITY = "verify_capacity"
    SEE_RESTRICTED_NEEDS = "see_restricted_needs"
    SEE_PRIVATE_CONTACTS = "see_private_contacts"
    OVERSEE_ASSESSMENTS = "oversee_assessments"  # which assessments exist and their status, never content
    EDIT_TREATY_RECORDS = "edit_treaty_records"
    MANAGE_MEMBERS = "manage_members"
    EDIT_REFERENCE_DATA = "edit_reference_data"
    READ_AUDIT_LOG = "read_audit_log"
    EXPORT_DIRECTORY = "export_directory"
    ORGANISE_EVENTS = "organise_events"  # create and run meetings for the scope's audiences
    MANAGE_DOCUMENTS = "manage_documents"  # delete any document in the library
    OVERSEE_ASSISTANCE = "oversee_assistance"  # read assistance requests between teams of the scope
    VIEW_REPORTS = "view_reports"  # the reporting page, for the countries of the scope
    MANAGE_OUTBOX = "manage_outbox"  # see queued, sent and failed mail, with errors, and retry it


@dataclass(frozen=True)
class Scope:
    """Where a capability applies: the whole network, or one region, group or organisation."""

    kind: str  # "network", "m49", "group", "org", or "country" for one country's affairs
    key: str = ""

    @classmethod
    def country(cls, iso3: str) -> Scope:
        return cls("country", iso3)

    def covers(self, other: Scope) -> bool:
        return self.kind == "network" or self == other


NETWORK = Scope("network")


def seat_scope(seat: SeatKind, key: str | None) -> Scope:
    """Where a seat lies for powers over it: its country, its organisation, or (the UN office,
    which belongs to no region) the whole network."""
    if seat == SeatKind.COUNTRY and key:
        return Scope.country(key)
    if seat == SeatKind.ORGANISATION and key:
        return Scope("org", key)
    return NETWORK


# What a regional coordinator holds over their scope (an M49 region, a UN group or an
# organisation). Never an assessment's content: that is read only as far as a team shared it.
COORDINATOR_CAPABILITIES: tuple[Capability, ...] = (
    Capability.REVIEW_ACCESS_REQUESTS,
    Capability.MODERATE_LESSONS,
    Capability.VERIFY_CAPACITY,
    Capability.SEE_RESTRICTED_NEEDS,
    Capability.OVERSEE_ASSESSMENTS,
    Capability.ORGANISE_EVENTS,
    Capability.OVERSEE_ASSISTANCE,
    Capability.VIEW_REPORTS,
)


# What each role holds. Administrators hold every capability over the whole network; a role
# limited to a region is added here (or in a table of grants) without touching routes or templates.
ROLE_GRANTS: dict[Role, tuple[tuple[Capability, Scope], ...]] = {
    Role.ADMIN: tuple((capability, NETWORK) for capability in Capability),
    Role.FOCAL_POINT: (),
}


def current_session_passed_second_factor() -> bool:
    """This browser's session proved the second factor (set by the session loader, per request)."""
    return bool(g.get("second_factor_passed", False))


def _request_cache(name: str) -> dict[Any, Any]:
    """A dict that lives for one request (emptied by ``forget_grants`` when a request starts)."""
    cache: dict[Any, Any] = g.setdefault(f"permissions_{name}", {})
    return cache


def coordinated_scopes(user: User | Any) -> tuple[Scope, ...]:
    """The scopes the member currently coordinates: read once per request, then from the cache."""
    cache = _request_cache("coordinated")
    if user.id not in cache:
        rows = db.session.execute(
            select(CoordinatorGrant.scope_kind, CoordinatorGrant.scope_key)
            .where(CoordinatorGrant.user_id == user.id, CoordinatorGrant.revoked_at.is_(None))
            .order_by(CoordinatorGrant.id)
        )
        cache[user.id] = tuple(Scope(kind.value, key) for kind, key in rows)
    scopes: tuple[Scope, ...] = cache[user.id]
    return scopes


def forget_grants() -> None:
    """Drop this request's cached grants and coverage (a new request, or grants just changed)."""
    g.pop("permissions_coordinated", None)
    g.pop("permissions_coverage", None)


def grants(user: User | Any) -> tuple[tuple[Capability, Scope], ...]:
    """Every (capability, scope) the member holds by their role and as a regional coordinator,
    whatever this session proved."""
    if not is_member(user):
        return ()
    by_role = ROLE_GRANTS.get(user.role, ())
    if by_role == ROLE_GRANTS[Role.ADMIN]:
        return by_role  # every capability everywhere already
    coordinated = tuple(
        (capability, scope) for scope in coordinated_scopes(user) for capability in COORDINATOR_CAPABILITIES
    )
    return by_role + coordinated


def holds(user: User | Any, capability: Capability, scope: Scope = NETWORK) -> bool:
    """The member holds *capability* over *scope* and this session proved the second factor.

    A country's scope (``Scope.country(iso3)``) is covered by any region, group or organisation
    the country belongs to.
    """
    if not current_session_passed_second_factor():
        return False
    held = [where for what, where in grants(user) if what == capability]
    if any(where.covers(scope) for where in held):
        return True
    if scope.kind not in ("country", "m49") or not held:
        return False
    cache = _request_cache("coverage")
    key = (user.id, capability, scope)
    if key not in cache:
        if scope.kind == "country":
            condition = scope_condition(user, capability, iso3=Country.iso3)
            found = select(Country.iso3).where(Country.iso3 == scope.key, condition)
        else:  # an area inside a region the member holds the capability over
            area = literal(scope.key)
            found = select(area).where(scope_condition(user, capability, m49=area))
        cache[key] = db.session.scalar(found) is not None
    covered: bool = cache[key]
    return covered


def holds_anywhere(user: User | Any, capability: Capability) -> bool:
    """The member holds *capability* over at least one scope (and this session proved the second factor)."""
    return current_session_passed_second_factor() and any(held == capability for held, _ in grants(user))


def scope_condition(
    user: User | Any,
    capability: Capability,
    iso3: SQLColumnExpression[str] | SQLColumnExpression[str | None] | None = None,
    m49: SQLColumnExpression[str] | SQLColumnExpression[str | None] | None = None,
) -> ColumnElement[bool]:
    """SQL: the country in column *iso3* (or the M49 area in column *m49*) lies within a scope where
    the member holds *capability*."""
    if not current_session_passed_second_factor():
        return false()
    clauses: list[ColumnElement[bool]] = []
    for held, where in grants(user):
        if held != capability:
            continue
        if where.kind == "network":
            return true()
        inside = in_region(where.key) if where.kind == "m49" else in_body(where.key)
        if iso3 is not None:
            clauses.append(iso3.in_(select(Country.iso3).where(inside)))
        if m49 is not None and where.kind == "m49":
            clauses.append(m49.in_(areas_within(where.key)))
    return or_(*clauses) if clauses else false()


def needs_second_factor(user: User | Any) -> bool:
    """The member holds powers this session cannot use until it proves the second factor."""
    return bool(grants(user)) and not current_session_passed_second_factor()


def has_powers(user: User | Any) -> bool:
    """The member's role grants powers beyond an ordinary member's (usable once the session proves
    the second factor): the menu offers the administration pages."""
    return bool(grants(user))


def can_administer(user: User | Any) -> bool:
    """Any power beyond an ordinary member's: opens the administration pages."""
    return current_session_passed_second_factor() and bool(grants(user))


def can_review_access_requests(user: User | Any, scope: Scope = NETWORK) -> bool:
    """Approve or reject requests to join (within *scope*)."""
    return holds(user, Capability.REVIEW_ACCESS_REQUESTS, scope)


def can_moderate_lessons(user: User | Any, scope: Scope = NETWORK) -> bool:
    """Decide on lessons and edits, resolve flags, hide and restore lessons and comments."""
    return holds(user, Capability.MODERATE_LESSONS, scope)


def can_verify_capacity(user: User | Any, scope: Scope = NETWORK) -> bool:
    """Verify submitted capacity maps or return them to their team."""
    return holds(user, Capability.VERIFY_CAPACITY, scope)


def sees_restricted_needs(user: User | Any, scope: Scope = NETWORK) -> bool:
    """Read needs that a team kept for administrators only."""
    return holds(user, Capability.SEE_RESTRICTED_NEEDS, scope)


def can_oversee_assessments(user: User | Any, scope: Scope = NETWORK) -> bool:
    """See which teams have assessments and their status (never their content)."""
    return holds(user, Capability.OVERSEE_ASSESSMENTS, scope)


def can_manage_members(user: User | Any) -> bool:
    """Change members' roles and status, send resets, reset two-factor sign-in."""
    return holds(user, Capability.MANAGE_MEMBERS)


def can_edit_reference_data(user: User | Any) -> bool:
    """Edit templates, regional memberships, the capacity catalogue and lesson themes."""
    return holds(user, Capability.EDIT_REFERENCE_DATA)


def can_read_audit_log(user: User | Any) -> bool:
    """Read and export the audit trail."""
    return holds(user, Capability.READ_AUDIT_LOG)


def can_export_directory(user: User | Any) -> bool:
    """Download the directory with contact details."""
    return holds(user, Capability.EXPORT_DIRECTORY)


def can_manage_outbox(user: User | Any) -> bool:
    """See the outbox (queued, sent, failed mail and its errors) and retry failed mail."""
    return holds(user, Capability.MANAGE_OUTBOX)


def can_see_private_contacts(user: User | Any) -> bool:
    """Read contact fields a member kept for administrators."""
    return holds(user, Capability.SEE_PRIVATE_CONTACTS)


def requires(need: Capability | Callable[[Any], bool]) -> Callable[[F], F]:
    """Open a view only to members who hold *need* over some scope (or for whom *need(user)* holds).

    The view then checks the object's own scope, e.g. ``can_verify_capacity(user, Scope.country(...))``.

    A member whose role would allow it but whose session has not proved the second factor is
    sent to enrol (or to sign in again with it); everyone else gets 403.
    """

    check: Callable[[Any], bool]
    if isinstance(need, Capability):
        capability = need

        def check(user: Any) -> bool:
            return holds_anywhere(user, capability)

    else:
        check = need

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not check(current_user):
                return refuse()
            return view(*args, **kwargs)

        wrapped.required_check = check  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def refuse() -> Any:
    """403, or, for a member whose session lacks the second factor their powers need, the way to it."""
    if current_user.is_authenticated and needs_second_factor(current_user) and not wants_json():
        if current_user.has_two_factor:
            flash(_("Confirm it is you with your password and a code to use these pages."), "info")
            target = recovery.return_path(current_user.id)
            commit()
            return redirect(url_for("account.reauth", next=target))
        flash(_("Turn on two-factor sign-in before using these pages."), "error")
        return redirect(url_for("account.two_factor_setup"))
    abort(403)


def is_safe_next(target: str | None) -> bool:
    """Accept only same-site relative paths as redirect targets."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, fallback_endpoint: str = "main.index") -> str:
    """*target* if it is a safe relative path, else the fallback page."""
    return target if target and is_safe_next(target) else url_for(fallback_endpoint)


def can_edit_treaty_records(user: User | Any, iso3: str) -> bool:
    """A country's treaty records are its government's statements: holders of the capability for
    that country and its government focal points in post edit them; civil-society and
    parliamentary focal points read them on the country page."""
    if holds(user, Capability.EDIT_TREATY_RECORDS, Scope.country(iso3)):
        return True
    return team_of(user) == (iso3, Network.GOVERNMENT)


def can_see_contact(viewer: User | Any, owner_id: int, visibility: ContactVisibility) -> bool:
    """A contact field shows to its owner, to those who may see private contacts, and to members when
    shared with the network."""
    if not viewer.is_authenticated:
        return False
    return (
        viewer.id == owner_id or visibility == ContactVisibility.NETWORK or can_see_private_contacts(viewer)
    )


def team_of(user: User | Any) -> tuple[str, Network] | None:
    """(country, network) of the member's team, or None for people without a seat in post."""
    if not user.is_authenticated or not user.is_active:
        return None
    profile = user.profile
    if profile is None or not profile.in_post or profile.country_iso3 is None or profile.network is None:
        return None  # no seat in post, or an organisation's or the UN office's seat
    return profile.country_iso3, profile.network


def organisation_of(user: User | Any) -> str | None:
    """The organisation whose seat the member holds in post, or None."""
    if not is_member(user) or user.profile is None or not user.profile.in_post:
        return None
    return user.profile.organisation_slug if user.profile.seat == SeatKind.ORGANISATION else None


def can_edit_organisation_profile(user: User | Any, slug: str) -> bool:
    """An organisation's focal points in post, and those who edit reference data, keep the profile
    of its prevention mechanisms."""
    return organisation_of(user) == slug or can_edit_reference_data(user)


def is_team_member(user: User | Any, country_iso3: str, network: Network) -> bool:
    """A team is the active focal points in post for one country and one network."""
    return team_of(user) == (country_iso3, network)


def is_member(user: User | Any) -> bool:
    """An approved, active account: what the network's own content needs."""
    return bool(user.is_authenticated and user.is_active)
