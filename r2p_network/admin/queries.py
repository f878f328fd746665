"""Reads for the administration pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from r2p_network.core.geography import country_name_column, country_sort_column, escape_like
from r2p_network.core.pagination import paginate
from r2p_network.extensions import db
from r2p_network.lessons.queries import moderated_by, waiting_for_moderation
from r2p_network.models import (
    AccessRequest,
    AccountStatus,
    AuditEvent,
    CapacitySubmission,
    CoordinatorGrant,
    Country,
    Flag,
    FocalPointProfile,
    Lesson,
    Membership,
    Network,
    RegionalBody,
    RequestStatus,
    Role,
    StrategyTemplate,
    SubmissionStatus,
    TemplateVersion,
    User,
)
from r2p_network.permissions import Capability, holds, scope_condition


@dataclass(frozen=True)
class PendingRequest:
    id: int
    created_at: datetime
    name: str
    email: str
    title: str
    institution: str
    country_iso3: str
    country_name: str
    network: Network
    justification: str


def pending_access_requests(reviewer: User) -> list[PendingRequest]:
    """Requests awaiting a decision within *reviewer*'s scopes, oldest first, in one query."""
    rows = db.session.execute(
        select(
            AccessRequest.id,
            AccessRequest.created_at,
            User.name,
            User.email,
            FocalPointProfile.title,
            FocalPointProfile.institution,
            FocalPointProfile.country_iso3,
            country_name_column(),
            FocalPointProfile.network,
            AccessRequest.justification,
        )
        .join(User, User.id == AccessRequest.user_id)
        .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .join(Country, Country.iso3 == FocalPointProfile.country_iso3)
        .where(
            AccessRequest.status == RequestStatus.PENDING,
            scope_condition(reviewer, Capability.REVIEW_ACCESS_REQUESTS, iso3=FocalPointProfile.country_iso3),
        )
        .order_by(AccessRequest.created_at, AccessRequest.id)
    ).all()
    # Ten columns: SQLAlchemy types only the first ones of a row this wide.
    return [PendingRequest(*cast(tuple[Any, ...], row)) for row in rows]


def access_request(request_id: int) -> AccessRequest | None:
    """One request with its member and profile loaded."""
    return db.session.get(AccessRequest, request_id)


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_query(self) -> dict[str, str]:
        return {k: str(v) for k, v in vars(self).items() if v not in ("", None)}


@dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: datetime
    actor_name: str | None
    actor_email: str | None
    action: str
    object_type: str | None
    object_id: str | None
    ip_address: str
    detail: dict


AUDIT_PER_PAGE = 50


def _audit_select(filters: AuditFilters) -> Select:
    stmt = (
        select(
            AuditEvent.id,
            AuditEvent.created_at,
            User.name,
            User.email,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.ip_address,
            AuditEvent.detail,
        )
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.id.desc())
    )
    if filters.actor:
        pattern = f"%{escape_like(filters.actor)}%"
        stmt = stmt.where(or_(User.email.ilike(pattern, escape="\\"), User.name.ilike(pattern, escape="\\")))
    if filters.action:
        stmt = stmt.where(AuditEvent.action.startswith(filters.action, autoescape=True))
    if filters.object_type:
        stmt = stmt.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        stmt = stmt.where(AuditEvent.object_id == filters.object_id)
    if filters.date_from:
        stmt = stmt.where(AuditEvent.created_at >= datetime.combine(filters.date_from, time.min, UTC))
    if filters.date_to:
        stmt = stmt.where(
            AuditEvent.created_at < datetime.combine(filters.date_to + timedelta(days=1), time.min, UTC)
        )
    return stmt


def audit_page(filters: AuditFilters, page: int) -> tuple[list[AuditRow], int, int]:
    """One page of the audit log, newest first, with the total count."""
    rows, total, page = paginate(_audit_select(filters), page, AUDIT_PER_PAGE)
    return [AuditRow(*row) for row in rows], total, page


def audit_rows(filters: AuditFilters) -> Iterator[AuditRow]:
    for row in db.session.execute(_audit_select(filters).execution_options(yield_per=1000)):
        yield AuditRow(*row)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    email: str
    role: Role
    status: AccountStatus
    country_iso3: str | None
    country_name: str | None
    network: Network | None
    has_two_factor: bool
    created_at: datetime


MEMBERS_PER_PAGE = 50


def members_page(q: str, role: str, status: str, page: int) -> tuple[list[MemberRow], int, int]:
    """Accounts for the members page, filtered and paginated, in two queries."""
    name = country_name_column()
    stmt = (
        select(
            User.id,
            User.name,
            User.email,
            User.role,
            User.status,
            FocalPointProfile.country_iso3,
            name,
            FocalPointProfile.network,
            User.totp_enabled_at.is_not(None),
            User.created_at,
        )
        .outerjoin(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .outerjoin(Country, Country.iso3 == FocalPointProfile.country_iso3)
        .order_by(User.name, User.id)
    )
    if q:
        pattern = f"%{escape_like(q)}%"
        stmt = stmt.where(or_(User.email.ilike(pattern, escape="\\"), User.name.ilike(pattern, escape="\\")))
    if role:
        stmt = stmt.where(User.role == Role(role))
    if status:
        stmt = stmt.where(User.status == AccountStatus(status))
    rows, total, page = paginate(stmt, page, MEMBERS_PER_PAGE)
    return [MemberRow(*row) for row in rows], total, page


def active_admin_count() -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN, User.status == AccountStatus.ACTIVE)
        )
        or 0
    )


@dataclass(frozen=True)
class Dashboard:
    pending_requests: int
    capacity_waiting: int
    active_members: int
    lessons_waiting: int
    flags_open: int
    recent: list[AuditRow]


def dashboard(user: User | Any) -> Dashboard:
    """Counts for the start page of the administration, within *user*'s scopes, in one query,
    plus the latest audit events for those who read the audit log."""
    counts = db.session.execute(
        select(
            select(func.count())
            .select_from(AccessRequest)
            .where(
                AccessRequest.status == RequestStatus.PENDING,
                AccessRequest.user_id.in_(
                    select(FocalPointProfile.user_id).where(
                        scope_condition(
                            user, Capability.REVIEW_ACCESS_REQUESTS, iso3=FocalPointProfile.country_iso3
                        )
                    )
                ),
            )
            .scalar_subquery(),
            select(func.count())
            .select_from(CapacitySubmission)
            .where(
                CapacitySubmission.status == SubmissionStatus.SUBMITTED,
                scope_condition(user, Capability.VERIFY_CAPACITY, iso3=CapacitySubmission.country_iso3),
            )
            .scalar_subquery(),
            select(func.count())
            .select_from(User)
            .where(User.status == AccountStatus.ACTIVE)
            .scalar_subquery(),
            select(func.count()).where(waiting_for_moderation(), moderated_by(user)).scalar_subquery(),
            select(func.count())
            .select_from(Flag)
            .where(
                Flag.resolved_at.is_(None), Flag.lesson_id.in_(select(Lesson.id).where(moderated_by(user)))
            )
            .scalar_subquery(),
        )
    ).one()
    recent = audit_page(AuditFilters(), 1)[0][:15] if holds(user, Capability.READ_AUDIT_LOG) else []
    return Dashboard(*counts, recent=recent)


def template_versions(template_id: int) -> list[TemplateVersion]:
    """A template's versions, newest first."""
    return list(
        db.session.scalars(
            select(TemplateVersion)
            .where(TemplateVersion.template_id == template_id)
            .order_by(TemplateVersion.number.desc())
        )
    )


def templates() -> list[StrategyTemplate]:
    return list(db.session.scalars(select(StrategyTemplate).order_by(StrategyTemplate.name)))


def body_memberships(slug: str) -> list[tuple[Membership, str]]:
    """A regional body's memberships with the country names in the reader's language."""
    name = country_name_column()
    return [
        (membership, country)
        for membership, country in db.session.execute(
            select(Membership, name)
            .join(Country, Country.iso3 == Membership.country_iso3)
            .where(Membership.body_slug == slug)
            .order_by(country_sort_column(), name)
        )
    ]


def regional_bodies() -> list[RegionalBody]:
    return list(
        db.session.scalars(select(RegionalBody).order_by(RegionalBody.kind.desc(), RegionalBody.acronym))
    )


@dataclass(frozen=True)
class CoordinatorRow:
    id: int
    user_id: int
    name: str
    email: str
    scope: str  # "kind:key"
    granted_at: datetime
    granted_by: str | None


def current_coordinators() -> list[CoordinatorRow]:
    """Every grant in force, by member name, in one query."""
    granter = aliased(User)
    rows = db.session.execute(
        select(
            CoordinatorGrant.id,
            User.id,
            User.name,
            User.email,
            CoordinatorGrant.scope_kind,
            CoordinatorGrant.scope_key,
            CoordinatorGrant.granted_at,
            granter.name,
        )
        .join(User, User.id == CoordinatorGrant.user_id)
        .outerjoin(granter, granter.id == CoordinatorGrant.granted_by_id)
        .where(CoordinatorGrant.revoked_at.is_(None))
        .order_by(User.name, CoordinatorGrant.id)
    )
    return [
        CoordinatorRow(grant_id, user_id, name, email, f"{kind.value}:{key}", at, by)
        for grant_id, user_id, name, email, kind, key, at, by in rows
    ]


def member_by_email(email: str) -> User | None:
    """An active account with this email address (any case)."""
    return db.session.scalar(
        select(User).where(
            func.lower(User.email) == email.strip().lower(), User.status == AccountStatus.ACTIVE
        )
    )
