"""The document library: files members share, in the library or attached to an event, a lesson or a
strategy version."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.accounts import Network
from r2p_network.models.assessments import Visibility
from r2p_network.models.base import Base, enum_column, utcnow


class DocumentKind(enum.StrEnum):
    NATIONAL_STRATEGY = "national_strategy"  # a national strategy or action plan
    TERMS_OF_REFERENCE = "terms_of_reference"
    TRAINING_MATERIAL = "training_material"
    STATEMENT = "statement"
    REPORT = "report"
    OTHER = "other"


class Document(Base):
    """A file and what describes it. The file itself lives in the configured storage under
    ``storage_key``, a random name; ``filename`` is only what the browser is told on download.

    At most one of ``event_id``, ``lesson_id`` and ``assessment_version_id`` is set; an attachment
    is readable exactly as far as what it is attached to (see ``permissions.can_read_document``).
    """

    __tablename__ = "document"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN event_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN lesson_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN assessment_version_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_attachment",
        ),
        Index("ix_document_team", "country_iso3", "network"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"), nullable=False)
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "document_visibility"), nullable=False, default=Visibility.NETWORK
    )
    # The team that shares it (None for the secretariat's own uploads): "team" visibility means this team.
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"), nullable=True)
    network: Mapped[Network | None] = mapped_column(enum_column(Network, "document_network"), nullable=True)
    # Or the organisation whose seat shares it: "team" visibility then means that organisation's
    # focal points.
    organisation_slug: Mapped[str | None] = mapped_column(ForeignKey("regional_body.slug"), nullable=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), nullable=True)
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), nullable=True)
    assessment_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_version.id", ondelete="CASCADE"), nullable=True
    )
    storage_key: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    filename: Mapped[str] = mapped_column(String(160), nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class DocumentPlace(Base):
    """A country a document concerns (kind "country") or an M49 area it touches (kind "area":
    those of its countries and any region chosen), for the library's filters."""

    __tablename__ = "document_place"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        UniqueConstraint("document_id", "kind", "value"),
        Index("ix_document_place_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    value: Mapped[str] = mapped_column(String(3), nullable=False)
