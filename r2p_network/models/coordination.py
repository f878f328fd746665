"""Regional coordinators (a member's role over one M49 region, UN group or organisation) and
organisations' own profiles."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.base import Base, enum_column, utcnow


class ScopeKind(enum.StrEnum):
    M49 = "m49"  # an M49 region, sub-region or intermediate region (its code)
    GROUP = "group"  # a UN regional group (its slug)
    ORG = "org"  # a regional or subregional organisation (its slug)


class CoordinatorGrant(Base):
    """One member coordinating one scope, granted and revoked by an administrator.

    Revoking keeps the row (``revoked_at``) so who coordinated what, and when, stays on record.
    """

    __tablename__ = "coordinator_grant"
    renews_data: ClassVar[bool] = True  # a grant changes what cached page parts a member sees
    __table_args__ = (Index("ix_coordinator_grant_current", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False)
    scope_kind: Mapped[ScopeKind] = mapped_column(enum_column(ScopeKind, "scope_kind"), nullable=False)
    scope_key: Mapped[str] = mapped_column(String(40), nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    granted_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class OrganisationProfile(Base):
    """A regional organisation's prevention mechanisms, kept by its focal points and administrators."""

    __tablename__ = "organisation_profile"
    renews_data: ClassVar[bool] = True

    slug: Mapped[str] = mapped_column(ForeignKey("regional_body.slug", ondelete="CASCADE"), primary_key=True)
    early_warning: Mapped[str] = mapped_column(Text, nullable=False, default="")
    mediation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    human_rights: Mapped[str] = mapped_column(Text, nullable=False, default="")
    standby: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)
