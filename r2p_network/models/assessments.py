"""National strategy templates (as data) and the teams' assessments with immutable versions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.accounts import Network
from r2p_network.models.base import Base, enum_column, utcnow


class AssessmentStatus(enum.StrEnum):
    DRAFT = "draft"  # being edited by the team
    SUBMITTED = "submitted"  # the latest version is final; a new draft may start from it


class Visibility(enum.StrEnum):
    PRIVATE = "private"  # the owning team only
    NETWORK = "network"  # approved, active members
    PUBLIC = "public"  # anyone


class StrategyTemplate(Base):
    """A named template; its content lives in numbered, immutable versions."""

    __tablename__ = "strategy_template"
    renews_data: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)


class TemplateVersion(Base):
    """One published version of a template: sections and questions as a JSON definition."""

    __tablename__ = "template_version"
    renews_data: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("strategy_template.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    published_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )


class Assessment(Base):
    """A team's national strategy: the working draft plus its submitted versions."""

    __tablename__ = "assessment"
    renews_data: ClassVar[bool] = True
    __table_args__ = (Index("ix_assessment_team", "country_iso3", "network"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), nullable=False)
    network: Mapped[Network] = mapped_column(enum_column(Network, "assessment_network"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_version.id"), nullable=False)
    status: Mapped[AssessmentStatus] = mapped_column(
        enum_column(AssessmentStatus, "assessment_status"), nullable=False, default=AssessmentStatus.DRAFT
    )
    # The working draft's answers, keyed by question key.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    # Optimistic locking per section (an element, or one group such as a risk factor): the
    # number of times each was saved. A save is refused only for a section changed meanwhile.
    section_locks: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)
    # Optimistic locking of the row: every UPDATE checks and bumps this number.
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )

    __mapper_args__ = {"version_id_col": lock_version}


class AssessmentVersion(Base):
    """A submitted, numbered snapshot. Its answers never change; only who may see it does."""

    __tablename__ = "assessment_version"
    renews_data: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_version.id"), nullable=False)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "version_visibility"), nullable=False, default=Visibility.PRIVATE
    )
    # Which of the four strategy elements were complete at submission (for progress views).
    element1_complete: Mapped[bool] = mapped_column(nullable=False, default=False)
    element2_complete: Mapped[bool] = mapped_column(nullable=False, default=False)
    element3_complete: Mapped[bool] = mapped_column(nullable=False, default=False)
    element4_complete: Mapped[bool] = mapped_column(nullable=False, default=False)
    submitted_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    shared_at: Mapped[datetime | None] = mapped_column(nullable=True)


IMMUTABLE_VERSION_FIELDS = ("assessment_id", "number", "template_version_id", "answers", "submitted_at")


class ImmutableVersionError(RuntimeError):
    """Raised on any attempt to change a submitted version's content."""


@event.listens_for(AssessmentVersion, "before_update")
def _refuse_content_changes(_mapper: Any, _connection: Any, target: AssessmentVersion) -> None:
    state = inspect(target)
    changed = [name for name in IMMUTABLE_VERSION_FIELDS if state.attrs[name].history.has_changes()]
    if changed:
        raise ImmutableVersionError(f"submitted versions cannot change: {', '.join(changed)}")
