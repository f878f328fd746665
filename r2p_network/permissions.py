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
from sqlalchemy import ColumnElement, SQLColumnExpression, and_, false, or_, select, true

from r2p_network.core.geography import in_body, in_region
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    ContactVisibility,
    Country,
    Lesson,
    LessonComment,
    LessonStatus,
    LessonTag,
    LessonTranslation,
    Network,
    Role,
    TagKind,
    TranslationStatus,
    User,
    Visibility,
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
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


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

# What each role holds. Administrators hold every capability over the whole network; a role
# limited to a region is added here (or in a table of grants) without touching routes or templates.
ROLE_GRANTS: dict[Role, tuple[tuple[Capability, Scope], ...]] = {
    Role.ADMIN: tuple((capability, NETWORK) for capability in Capability),
    Role.FOCAL_POINT: (),
}


def current_session_passed_second_factor() -> bool:
    """This browser's session proved the second factor (set by the session loader, per request)."""
    return bool(g.get("second_factor_passed", False))


def grants(user: User | Any) -> tuple[tuple[Capability, Scope], ...]:
    """Every (capability, scope) the member holds by their role, whatever this session proved."""
    if not is_member(user):
        return ()
    return ROLE_GRANTS.get(user.role, ())


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
    if scope.kind != "country" or not held:
        return False
    condition = scope_condition(user, capability, Country.iso3)
    return db.session.scalar(select(Country.iso3).where(Country.iso3 == scope.key, condition)) is not None


def holds_anywhere(user: User | Any, capability: Capability) -> bool:
    """The member holds *capability* over at least one scope (and this session proved the second factor)."""
    return current_session_passed_second_factor() and any(held == capability for held, _ in grants(user))


def scope_condition(
    user: User | Any,
    capability: Capability,
    iso3: SQLColumnExpression[str] | None = None,
    m49: SQLColumnExpression[str] | None = None,
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
            clauses.append(m49 == where.key)
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
            return redirect(url_for("account.reauth", next=request.full_path.rstrip("?")))
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
    if profile is None or not profile.in_post:
        return None
    return profile.country_iso3, profile.network


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
    """One submitted version's answers, as far as its team shared it."""
    assessment = db.session.get(Assessment, version.assessment_id)
    if assessment is None:
        return False
    return can_read_assessment_content(user, assessment.country_iso3, assessment.network, version.visibility)


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
    app.before_request(require_login)
    app.jinja_env.globals.update(
        has_powers=lambda: has_powers(current_user),
        can_moderate_lesson=lambda lesson: can_moderate_lesson(current_user, lesson.id),
        can_manage_members=lambda: can_manage_members(current_user),
        can_export_directory=lambda: can_export_directory(current_user),
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
