"""Reads about shares of versions with chosen readers: who a version is shared with, and what
is shared with a member. A fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from r2p_network.core.geography import country_name_column, scope_names
from r2p_network.core.labels import label
from r2p_network.core.membership import holds_seat
from r2p_network.extensions import db
from r2p_network.models import (
    AccountStatus,
    Assessment,
    AssessmentVersion,
    AudienceKind,
    CoordinatorGrant,
    Country,
    FocalPointProfile,
    Network,
    ScopeKind,
    SeatKind,
    User,
    VersionShare,
)
from r2p_network.permissions import shared_with

Audience = tuple[AudienceKind, str]


def audience_names(pairs: list[Audience]) -> dict[Audience, str]:
    """Each audience in words, in the reader's language (two queries at most)."""
    countries = {key.split(":")[0] for kind, key in pairs if kind == AudienceKind.TEAM}
    names: dict[str, str] = {}
    if countries:
        rows = db.session.execute(
            select(Country.iso3, country_name_column()).where(Country.iso3.in_(countries))
        )
        names = {iso3: name for iso3, name in rows}
    scoped = any(kind in (AudienceKind.ORGANISATION, AudienceKind.COORDINATORS) for kind, _key in pairs)
    scopes = scope_names() if scoped else {}
    words: dict[Audience, str] = {}
    for kind, key in pairs:
        if kind == AudienceKind.TEAM:
            iso3, network = key.split(":")
            text = _(
                "%(country)s, %(network)s team",
                country=names.get(iso3, iso3),
                network=label(Network(network)).lower(),
            )
        elif kind == AudienceKind.ORGANISATION:
            text = scopes.get(f"org:{key}", key)
        elif kind == AudienceKind.COORDINATORS:
            text = _("the regional coordinators of %(scope)s", scope=scopes.get(key, key))
        elif kind == AudienceKind.UN_OFFICE:
            text = label(SeatKind.UN_OFFICE)
        else:
            text = _("the government focal points of every country")
        words[(kind, key)] = text
    return words


@dataclass(frozen=True)
class ShareRow:
    id: int
    audience: AudienceKind
    key: str
    words: str
    shared_by: str | None
    shared_at: datetime


def version_shares(version_id: int, condition: Any = None) -> list[ShareRow]:
    """The shares of a version in force (those matching *condition* only, if given), oldest first."""
    stmt = (
        select(
            VersionShare.id,
            VersionShare.audience,
            VersionShare.audience_key,
            User.name,
            VersionShare.shared_at,
        )
        .outerjoin(User, User.id == VersionShare.shared_by_id)
        .where(VersionShare.version_id == version_id, VersionShare.withdrawn_at.is_(None))
        .order_by(VersionShare.shared_at, VersionShare.id)
    )
    if condition is not None:
        stmt = stmt.where(condition)
    rows = db.session.execute(stmt).all()
    words = audience_names([(kind, key) for _id, kind, key, _by, _at in rows])
    return [ShareRow(i, kind, key, words[(kind, key)], by, at) for i, kind, key, by, at in rows]


def shares_for_reader(user: User | Any, version_id: int) -> list[ShareRow]:
    """How a version reached this reader: the shares in force addressed to them."""
    return version_shares(version_id, shared_with(user))


@dataclass(frozen=True)
class SharedWithMe:
    assessment_id: int
    number: int
    title: str
    country_name: str
    network: Network
    shared_at: datetime


def versions_shared_with(user: User | Any, limit: int = 50) -> list[SharedWithMe]:
    """The versions other teams shared with an audience the member belongs to, newest share first."""
    newest = func.max(VersionShare.shared_at)
    rows = db.session.execute(
        select(
            Assessment.id,
            AssessmentVersion.number,
            Assessment.title,
            country_name_column(),
            Assessment.network,
            newest,
        )
        .join(AssessmentVersion, AssessmentVersion.id == VersionShare.version_id)
        .join(Assessment, Assessment.id == AssessmentVersion.assessment_id)
        .join(Country, Country.iso3 == Assessment.country_iso3)
        .where(shared_with(user))
        .group_by(
            Assessment.id,
            AssessmentVersion.number,
            Assessment.title,
            country_name_column(),
            Assessment.network,
        )
        .order_by(newest.desc(), Assessment.id)
        .limit(limit)
    )
    return [SharedWithMe(*row) for row in rows]


def latest_shared_number(user: User | Any, assessment_id: int) -> int | None:
    """The newest version of an assessment shared with the member, if any."""
    return db.session.scalar(
        select(func.max(AssessmentVersion.number))
        .join(VersionShare, VersionShare.version_id == AssessmentVersion.id)
        .where(AssessmentVersion.assessment_id == assessment_id, shared_with(user))
    )


def audience_members(kind: AudienceKind, key: str) -> list[int]:
    """The members an audience reaches now (for notifications), in one query."""
    stmt = select(User.id).join(FocalPointProfile, FocalPointProfile.user_id == User.id).where(holds_seat())
    if kind == AudienceKind.TEAM:
        iso3, network = key.split(":")
        stmt = stmt.where(
            FocalPointProfile.country_iso3 == iso3, FocalPointProfile.network == Network(network)
        )
    elif kind == AudienceKind.ORGANISATION:
        stmt = stmt.where(FocalPointProfile.organisation_slug == key)
    elif kind == AudienceKind.UN_OFFICE:
        stmt = stmt.where(FocalPointProfile.seat == SeatKind.UN_OFFICE)
    elif kind == AudienceKind.COORDINATORS:
        scope_kind, scope_key = key.split(":", 1)
        stmt = (
            select(User.id)
            .join(CoordinatorGrant, CoordinatorGrant.user_id == User.id)
            .where(
                User.status == AccountStatus.ACTIVE,
                CoordinatorGrant.scope_kind == ScopeKind(scope_kind),
                CoordinatorGrant.scope_key == scope_key,
                CoordinatorGrant.revoked_at.is_(None),
            )
        )
    else:
        return []  # every government focal point: too many to notify one by one
    return list(db.session.scalars(stmt.order_by(User.id)))
