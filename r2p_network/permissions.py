"""Who may do what: the one place where access is decided.

Deny by default: every endpoint needs an approved, active member unless its view
is marked ``@public``. Role checks use ``@role_required``; object checks use the
``can_*`` predicates, which templates can call too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, and_

from r2p_network.models import (
    ContactVisibility,
    Lesson,
    LessonComment,
    LessonStatus,
    Network,
    Role,
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


def role_required(role: Role) -> Callable[[F], F]:
    """Allow a view only to members holding *role* (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401) if wants_json() else abort(403)
            if current_user.role != role:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


admin_required = role_required(Role.ADMIN)


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


def can_edit_country_records(user: User | Any, iso3: str) -> bool:
    """Administrators, and focal points in post for that country, edit its treaty records."""
    if user.is_authenticated and user.is_admin:
        return True
    team = team_of(user)
    return team is not None and team[0] == iso3


def can_see_contact(viewer: User | Any, owner_id: int, visibility: ContactVisibility) -> bool:
    """A contact field shows to its owner, to administrators, and to members when shared with the network."""
    if not viewer.is_authenticated:
        return False
    return viewer.is_admin or viewer.id == owner_id or visibility == ContactVisibility.NETWORK


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


def can_read_lesson(user: User | Any, lesson: Lesson) -> bool:
    """Its author and administrators read a lesson in any state; others only as published for them."""
    if is_member(user) and (user.is_admin or lesson.author_id == user.id):
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
    """A hidden comment's text is for administrators and its author only."""
    if comment.hidden_at is None:
        return True
    return is_member(user) and (user.is_admin or comment.author_id == user.id)


def init_app(app: Flask) -> None:
    app.before_request(require_login)
    app.jinja_env.globals.update(
        is_admin=lambda: current_user.is_authenticated and current_user.is_admin,
        can_edit_country_records=lambda iso3: can_edit_country_records(current_user, iso3),
        can_see_contact=lambda owner_id, visibility: can_see_contact(current_user, owner_id, visibility),
        can_edit_lesson=lambda lesson: can_edit_lesson(current_user, lesson),
        can_discuss_lesson=lambda lesson: can_discuss_lesson(current_user, lesson),
        can_read_comment=lambda comment: can_read_comment(current_user, comment),
    )


def can_edit_government_treaty_records(user: User | Any, iso3: str) -> bool:
    """A country's treaty records are its government's statements: administrators and that
    country's government focal points in post edit them; civil-society and parliamentary
    focal points read them on the country page."""
    if is_member(user) and user.is_admin:
        return True
    return team_of(user) == (iso3, Network.GOVERNMENT)
