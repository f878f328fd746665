"""Who may do what: the one place where access is decided.

Deny by default: every endpoint needs an approved, active member unless its view is marked
``@public``. Beyond what every member may do, access is a *capability* held over a *scope*
(the whole network, an M49 region, a UN regional group or a regional organisation). Routes
and templates ask questions such as ``can_moderate_lessons(user, scope)``; only this module
knows which role grants what. A capability is used only in a session that proved the second
factor. Object checks are the ``can_*`` predicates, which templates can call too.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ColumnElement, SQLColumnExpression, and_, exists, false, literal, or_, select, true

from r2p_network.core import recovery
from r2p_network.core.geography import MEMBER_STATUSES, areas_within, in_body, in_region
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    AssistanceRequest,
    AudienceKind,
    CapacitySubmission,
    ContactVisibility,
    CoordinatorGrant,
    Country,
    Document,
    Event,
    EventAudience,
    EventAudienceKind,
    EventRegistration,
    Lesson,
    LessonComment,
    LessonStatus,
    LessonTag,
    LessonTranslation,
    Membership,
    Network,
    PeerReview,
    RegistrationStatus,
    ReviewStatus,
    Role,
    SeatKind,
    TagKind,
    TranslationStatus,
    User,
    VersionShare,
    Visibility,
    team_key,
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


# --- capabilities ------------------------------------------------------------------------------


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


def can_oversee_assessments(user: User | Any, scope: Scope = NETWORK) -> bool:
    """See which teams have assessments and their status (never their content)."""
    return holds(user, Capability.OVERSEE_ASSESSMENTS, scope)


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


def can_read_assessment_content(
    user: User | Any, country_iso3: str, network: Network, visibility: Visibility
) -> bool:
    """The team reads everything; others read a version only as far as the team shared it.

    Administrators get no exception: they see that an assessment exists and its
    status, never its answers unless the team shared them.
    """
    if is_team_member(user, country_iso3, network):
        return True
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.NETWORK:
        return bool(user.is_authenticated and user.is_active)
    return False


def can_read_assessment_version(user: User | Any, version: AssessmentVersion) -> bool:
    """One submitted version's answers, as far as its team shared it: with the network, the
    public, or an audience the reader belongs to."""
    assessment = db.session.get(Assessment, version.assessment_id)
    if assessment is None:
        return False
    if can_read_assessment_content(user, assessment.country_iso3, assessment.network, version.visibility):
        return True
    return is_shared_with(user, version.id)


def audiences(user: User | Any) -> list[tuple[AudienceKind, str]]:
    """Every audience a team may share a version with that the member belongs to now."""
    if not is_member(user):
        return []
    found: list[tuple[AudienceKind, str]] = []
    team = team_of(user)
    if team is not None:
        found.append((AudienceKind.TEAM, f"{team[0]}:{team[1].value}"))
        if team[1] == Network.GOVERNMENT:
            found.append((AudienceKind.GOVERNMENT, ""))
    organisation = organisation_of(user)
    if organisation is not None:
        found.append((AudienceKind.ORGANISATION, organisation))
    if user.profile is not None and user.profile.in_post and user.profile.seat == SeatKind.UN_OFFICE:
        found.append((AudienceKind.UN_OFFICE, ""))
    if current_session_passed_second_factor():  # coordinators read as coordinators only with it
        found.extend((AudienceKind.COORDINATORS, f"{s.kind}:{s.key}") for s in coordinated_scopes(user))
    return found


def shared_with(user: User | Any) -> ColumnElement[bool]:
    """SQL: shares in force (``VersionShare`` rows) addressed to an audience the member belongs to."""
    addressed = [
        and_(VersionShare.audience == kind, VersionShare.audience_key == key) for kind, key in audiences(user)
    ]
    if not addressed:
        return false()
    return and_(VersionShare.withdrawn_at.is_(None), or_(*addressed))


def is_shared_with(user: User | Any, version_id: int) -> bool:
    """The version's team shared it with an audience the member belongs to (and has not withdrawn it)."""
    if not audiences(user):
        return False
    found = select(VersionShare.id).where(VersionShare.version_id == version_id, shared_with(user)).limit(1)
    return db.session.scalar(found) is not None


def is_reviewer(user: User | Any, review: PeerReview) -> bool:
    """The member belongs to the team, organisation seat or UN office invited to the review."""
    return (review.reviewer, review.reviewer_key) in audiences(user)


def can_read_review(user: User | Any, review: PeerReview, assessment: Assessment) -> bool:
    """The reviewed team, and the invited reviewers while the version is shared with them."""
    if is_team_member(user, assessment.country_iso3, assessment.network):
        return True
    return is_reviewer(user, review) and is_shared_with(user, review.version_id)


def invited_reviews(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``PeerReview``: reviews whose invited reviewer is an audience the member belongs to
    (the same rule as ``is_reviewer``)."""
    invited = [
        and_(PeerReview.reviewer == kind, PeerReview.reviewer_key == key) for kind, key in audiences(user)
    ]
    return or_(*invited) if invited else false()


def readable_reviews(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``PeerReview``: the reviews *user* may read (the same rule as ``can_read_review``)."""
    team = team_of(user)
    own: ColumnElement[bool] = false()
    if team is not None:
        own = PeerReview.version_id.in_(
            select(AssessmentVersion.id)
            .join(Assessment, Assessment.id == AssessmentVersion.assessment_id)
            .where(Assessment.country_iso3 == team[0], Assessment.network == team[1])
        )
    still_shared = exists().where(VersionShare.version_id == PeerReview.version_id, shared_with(user))
    return or_(own, and_(invited_reviews(user), still_shared))


def can_comment_on_review(user: User | Any, review: PeerReview, assessment: Assessment) -> bool:
    """Invited reviewers comment and give their overall note until the team closes the review."""
    return (
        review.status == ReviewStatus.OPEN
        and is_reviewer(user, review)
        and can_read_review(user, review, assessment)
    )


def can_answer_review(user: User | Any, review: PeerReview, assessment: Assessment) -> bool:
    """The reviewed team replies to comments and closes the review while it is open."""
    return review.status == ReviewStatus.OPEN and is_team_member(
        user, assessment.country_iso3, assessment.network
    )


def is_member(user: User | Any) -> bool:
    """An approved, active account: what the network's own content needs."""
    return bool(user.is_authenticated and user.is_active)


def published_lessons(user: User | Any) -> ColumnElement[bool]:
    """The one filter for every listing and count of lessons: published, not hidden, and public
    unless the reader is a member."""
    audiences = [Visibility.PUBLIC, Visibility.NETWORK] if is_member(user) else [Visibility.PUBLIC]
    return and_(
        Lesson.status == LessonStatus.PUBLISHED,
        Lesson.hidden_at.is_(None),
        Lesson.visibility.in_(audiences),
    )


def lesson_scopes(lesson_id: int) -> list[Scope]:
    """Where a lesson belongs for moderation: its countries and M49 areas, or the whole network."""
    rows = db.session.execute(
        select(LessonTag.kind, LessonTag.value).where(
            LessonTag.lesson_id == lesson_id, LessonTag.kind.in_([TagKind.COUNTRY, TagKind.AREA])
        )
    )
    scopes = [Scope.country(v) if kind == TagKind.COUNTRY else Scope("m49", v) for kind, v in rows]
    return scopes or [NETWORK]


def can_moderate_lesson(user: User | Any, lesson_id: int) -> bool:
    """The member moderates lessons in a scope that covers this lesson's countries or regions."""
    if can_moderate_lessons(user):
        return True  # the whole network: no need to look at the lesson
    if not holds_anywhere(user, Capability.MODERATE_LESSONS):
        return False
    return any(can_moderate_lessons(user, scope) for scope in lesson_scopes(lesson_id))


def can_read_lesson(user: User | Any, lesson: Lesson) -> bool:
    """Its author and moderators read a lesson in any state; others only as published for them."""
    if is_member(user) and (lesson.author_id == user.id or can_moderate_lesson(user, lesson.id)):
        return True
    if lesson.status != LessonStatus.PUBLISHED or lesson.hidden_at is not None:
        return False
    return lesson.visibility == Visibility.PUBLIC or is_member(user)


def can_edit_lesson(user: User | Any, lesson: Lesson) -> bool:
    """Only the author edits, and not once a lesson is rejected or hidden."""
    return (
        is_member(user)
        and lesson.author_id == user.id
        and lesson.status != LessonStatus.REJECTED
        and lesson.hidden_at is None
    )


def can_discuss_lesson(user: User | Any, lesson: Lesson) -> bool:
    """Members comment on, and flag, lessons that are published for them."""
    return is_member(user) and lesson.status == LessonStatus.PUBLISHED and lesson.hidden_at is None


def can_read_comment(user: User | Any, comment: LessonComment) -> bool:
    """A hidden comment's text is for moderators and its author only."""
    if comment.hidden_at is None:
        return True
    return is_member(user) and (comment.author_id == user.id or can_moderate_lesson(user, comment.lesson_id))


def init_app(app: Flask) -> None:
    app.before_request(forget_grants)
    app.before_request(require_login)
    app.jinja_env.globals.update(
        has_powers=lambda: has_powers(current_user),
        can_moderate_lesson=lambda lesson: can_moderate_lesson(current_user, lesson.id),
        can_manage_members=lambda: can_manage_members(current_user),
        can_export_directory=lambda: can_export_directory(current_user),
        can_view_reports=lambda: can_view_reports(current_user),
        can_see_private_contacts=lambda: can_see_private_contacts(current_user),
        can_manage_outbox=lambda: can_manage_outbox(current_user),
        can_see_contact=lambda owner_id, visibility: can_see_contact(current_user, owner_id, visibility),
        can_edit_lesson=lambda lesson: can_edit_lesson(current_user, lesson),
        can_discuss_lesson=lambda lesson: can_discuss_lesson(current_user, lesson),
        can_read_comment=lambda comment: can_read_comment(current_user, comment),
    )


def can_translate_lesson(user: User | Any, lesson: Lesson) -> bool:
    """Members translate a lesson that is published for them."""
    return can_discuss_lesson(user, lesson) and can_read_lesson(user, lesson)


def can_read_translation(user: User | Any, lesson: Lesson, translation: LessonTranslation) -> bool:
    """Readers of the lesson read its published translations; the translator and the lesson's
    moderators read one in any state."""
    if not can_read_lesson(user, lesson):
        return False
    if translation.status == TranslationStatus.PUBLISHED and lesson.status == LessonStatus.PUBLISHED:
        return True
    return is_member(user) and (translation.translator_id == user.id or can_moderate_lesson(user, lesson.id))


def can_edit_translation(user: User | Any, translation: LessonTranslation) -> bool:
    """The translator corrects a translation until a moderator publishes or rejects it."""
    return (
        is_member(user)
        and translation.translator_id == user.id
        and translation.status in (TranslationStatus.SUBMITTED, TranslationStatus.CHANGES_REQUESTED)
    )


# --- events ------------------------------------------------------------------------------------


def event_scope(event: Event) -> Scope:
    """The scope an event was organised under."""
    return Scope(event.scope_kind, event.scope_key)


def can_organise_events(user: User | Any, scope: Scope = NETWORK) -> bool:
    """Create events for audiences within *scope*."""
    return holds(user, Capability.ORGANISE_EVENTS, scope)


def can_organise_event(user: User | Any, event: Event) -> bool:
    """Edit the event, see its participants, attach documents, record action points and the summary."""
    return can_organise_events(user, event_scope(event))


def event_seat(user: User | Any) -> tuple[EventAudienceKind, str] | None:
    """The seat the member holds in post, named as event audiences and action-point owners name it:
    their team, their organisation's seat or the UN office."""
    team = team_of(user)
    if team is not None:
        return EventAudienceKind.TEAM, team_key(*team)
    organisation = organisation_of(user)
    if organisation is not None:
        return EventAudienceKind.ORG_SEAT, organisation
    profile = user.profile if is_member(user) else None
    if profile is not None and profile.in_post and profile.seat == SeatKind.UN_OFFICE:
        return EventAudienceKind.UN_OFFICE, ""
    return None


def _audience_matches(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``EventAudience``: rows that include the reader."""
    clauses: list[ColumnElement[bool]] = [EventAudience.kind == EventAudienceKind.PUBLIC]
    if is_member(user):
        clauses.append(EventAudience.kind == EventAudienceKind.NETWORK)
        team = team_of(user)
        if team is not None:
            iso3, network = team
            country = Country.__table__.alias("reader_country")
            clauses += [
                and_(
                    EventAudience.kind == EventAudienceKind.NETWORK_KIND, EventAudience.key == network.value
                ),
                and_(
                    EventAudience.kind == EventAudienceKind.TEAM, EventAudience.key == team_key(iso3, network)
                ),
                and_(
                    EventAudience.kind == EventAudienceKind.M49,
                    exists().where(
                        country.c.iso3 == iso3,
                        or_(
                            country.c.region_code == EventAudience.key,
                            country.c.subregion_code == EventAudience.key,
                            country.c.intermediate_code == EventAudience.key,
                        ),
                    ),
                ),
                and_(
                    EventAudience.kind.in_([EventAudienceKind.GROUP, EventAudienceKind.ORG]),
                    exists().where(
                        Membership.body_slug == EventAudience.key,
                        Membership.country_iso3 == iso3,
                        Membership.status.in_(MEMBER_STATUSES),
                    ),
                ),
            ]
        seat = event_seat(user)
        if seat is not None and seat[0] != EventAudienceKind.TEAM:
            clauses.append(and_(EventAudience.kind == seat[0], EventAudience.key == seat[1]))
    return or_(*clauses)


def _organised_events(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``Event``: events organised under a scope where the member holds ORGANISE_EVENTS."""
    if not current_session_passed_second_factor():
        return false()
    clauses: list[ColumnElement[bool]] = []
    for held, where in grants(user):
        if held != Capability.ORGANISE_EVENTS:
            continue
        if where.kind == "network":
            return true()
        clauses.append(and_(Event.scope_kind == where.kind, Event.scope_key == where.key))
    return or_(*clauses) if clauses else false()


def visible_events(user: User | Any) -> ColumnElement[bool]:
    """The one filter for every listing of events: those whose audience includes the reader, those
    they registered for, and those they organise."""
    condition = exists().where(EventAudience.event_id == Event.id, _audience_matches(user))
    if not is_member(user):
        return condition
    registered = exists().where(
        EventRegistration.event_id == Event.id,
        EventRegistration.user_id == user.id,
        EventRegistration.status == RegistrationStatus.REGISTERED,
    )
    return or_(condition, registered, _organised_events(user))


def can_read_event(user: User | Any, event: Event) -> bool:
    """The event is visible to the reader (see ``visible_events``)."""
    return db.session.scalar(select(Event.id).where(Event.id == event.id, visible_events(user))) is not None


def is_registered(user: User | Any, event: Event) -> bool:
    """The member is registered for the event."""
    return is_member(user) and (
        db.session.scalar(
            select(EventRegistration.id).where(
                EventRegistration.event_id == event.id,
                EventRegistration.user_id == user.id,
                EventRegistration.status == RegistrationStatus.REGISTERED,
            )
        )
        is not None
    )


def can_see_participants(user: User | Any, event: Event) -> bool:
    """The participants list is for registered participants and organisers."""
    return can_organise_event(user, event) or is_registered(user, event)


def can_respond_to_event(user: User | Any, event: Event) -> bool:
    """Members register for (or decline) events they can see; the public reads them only."""
    return is_member(user) and can_read_event(user, event)


def organiser_scopes(user: User | Any) -> list[Scope]:
    """The scopes under which the member may organise events."""
    if not current_session_passed_second_factor():
        return []
    return [where for held, where in grants(user) if held == Capability.ORGANISE_EVENTS]


def can_update_action_point(user: User | Any, event: Event, owner_kind: str, owner_key: str) -> bool:
    """The event's organisers and the owning seat (team, organisation or UN office) move an action
    point along."""
    return event_seat(user) == (owner_kind, owner_key) or can_organise_event(user, event)


# --- documents ---------------------------------------------------------------------------------


def _library_rule(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``Document``: its own visibility lets the reader in (public, network, or their team's
    or organisation's)."""
    audiences = [Visibility.PUBLIC, Visibility.NETWORK] if is_member(user) else [Visibility.PUBLIC]
    clauses: list[ColumnElement[bool]] = [Document.visibility.in_(audiences)]
    team = team_of(user)
    if team is not None:
        clauses.append(and_(Document.country_iso3 == team[0], Document.network == team[1]))
    organisation = organisation_of(user)
    if organisation is not None:
        clauses.append(Document.organisation_slug == organisation)
    if is_member(user):
        clauses.append(Document.uploaded_by_id == user.id)
    return or_(*clauses)


def visible_documents(user: User | Any) -> ColumnElement[bool]:
    """The one filter for every listing of documents. Attachments of a strategy version are never
    listed (they show on the version's own page, to its readers); a lesson's attachments follow the
    lesson; an event's need the event to be visible as well as their own visibility."""
    library = and_(Document.event_id.is_(None), Document.lesson_id.is_(None), _library_rule(user))
    of_event = and_(
        Document.event_id.is_not(None),
        exists(
            select(Event.id)
            .where(Event.id == Document.event_id, visible_events(user))
            .correlate_except(Event)
        ),
        _library_rule(user),
    )
    of_lesson = and_(
        Document.lesson_id.is_not(None),
        exists(
            select(Lesson.id)
            .where(Lesson.id == Document.lesson_id, published_lessons(user))
            .correlate_except(Lesson)
        ),
    )
    return and_(Document.assessment_version_id.is_(None), or_(library, of_event, of_lesson))


def _own_rule(user: User | Any, document: Document) -> bool:
    if document.visibility == Visibility.PUBLIC:
        return True
    if not is_member(user):
        return False
    if document.visibility == Visibility.NETWORK or document.uploaded_by_id == user.id:
        return True
    if document.organisation_slug is not None:
        return organisation_of(user) == document.organisation_slug
    return team_of(user) == (document.country_iso3, document.network)


def can_read_document(user: User | Any, document: Document) -> bool:
    """An attachment is exactly as readable as what it is attached to (a strategy version, a lesson;
    an event's also by its own visibility); a library document by its visibility."""
    if document.assessment_version_id is not None:
        version = db.session.get(AssessmentVersion, document.assessment_version_id)
        return version is not None and can_read_assessment_version(user, version)
    if document.lesson_id is not None:
        lesson = db.session.get(Lesson, document.lesson_id)
        return lesson is not None and can_read_lesson(user, lesson)
    if document.event_id is not None:
        event = db.session.get(Event, document.event_id)
        if event is None or not can_read_event(user, event):
            return False
        return can_organise_event(user, event) or _own_rule(user, document)
    return _own_rule(user, document)


def can_attach_to_version(user: User | Any, version: AssessmentVersion) -> bool:
    """The assessment's own team attaches files to its versions."""
    assessment = db.session.get(Assessment, version.assessment_id)
    return assessment is not None and is_team_member(user, assessment.country_iso3, assessment.network)


def can_delete_document(user: User | Any, document: Document) -> bool:
    """Its uploader, the organisers of its event, and holders of MANAGE_DOCUMENTS delete a document."""
    if not is_member(user):
        return False
    if document.uploaded_by_id == user.id or holds(user, Capability.MANAGE_DOCUMENTS):
        return True
    event = db.session.get(Event, document.event_id) if document.event_id is not None else None
    return event is not None and can_organise_event(user, event)
