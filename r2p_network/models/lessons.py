"""Lessons-learned posts, their tags, comments and flags."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.assessments import Visibility
from r2p_network.models.base import Base, enum_column, utcnow


class LessonStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for a moderator
    CHANGES_REQUESTED = "changes_requested"  # back with the author, with a note
    PUBLISHED = "published"
    REJECTED = "rejected"  # final, with a reason


class RevisionStatus(enum.StrEnum):
    """The state of a proposed edit to a published lesson (the published text stays visible)."""

    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"


class LessonKind(enum.StrEnum):
    """What sort of lesson it is: the kinds of learning the 2015 report asks the network to share."""

    GOOD_PRACTICE = "good_practice"
    CASE_STUDY = "case_study"
    THEMATIC_STUDY = "thematic_study"
    PATTERN_OVER_TIME = "pattern_over_time"
    DO_NO_HARM = "do_no_harm"


class TagKind(enum.StrEnum):
    COUNTRY = "country"  # ISO alpha-3 of a country the lesson concerns
    AREA = "area"  # every M49 region, sub-region or intermediate region it touches (derived)
    PILLAR = "pillar"  # "1", "2", "3"
    CRIME = "crime"
    THEME = "theme"  # a LessonTheme slug


class LessonTheme(Base):
    """A theme or tool that lessons are filed under; administrators extend the list."""

    __tablename__ = "lesson_theme"
    renews_data: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    active: Mapped[bool] = mapped_column(nullable=False, default=True)
    # {"fr": {"name": "...", ...}, ...}: the other five UN languages; English is in the columns above.
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSON, nullable=False, default=dict, server_default="{}"
    )


class HiddenMixin:
    """Content a moderator can hide with a reason: kept, never deleted."""

    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    hidden_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class Lesson(HiddenMixin, Base):
    """A lessons-learned post. Its columns and tags hold the text readers see; while the post is
    published, an author's edit waits in ``revision`` until a moderator approves it."""

    __tablename__ = "lesson"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        CheckConstraint("visibility IN ('network', 'public')", name="network_or_public"),
        CheckConstraint("period_end IS NULL OR period_end >= period_start", name="period_order"),
        Index("ix_lesson_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, index=True
    )
    status: Mapped[LessonStatus] = mapped_column(
        enum_column(LessonStatus, "lesson_status"), nullable=False, default=LessonStatus.DRAFT
    )
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "lesson_visibility"), nullable=False, default=Visibility.NETWORK
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    # The language the author wrote in (one of the six UN languages): shown to readers, and the
    # language whose stems the search index holds.
    language: Mapped[str] = mapped_column(String(2), nullable=False, default="en")
    kind: Mapped[LessonKind] = mapped_column(
        enum_column(LessonKind, "lesson_kind"), nullable=False, default=LessonKind.CASE_STUDY
    )
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), nullable=True)
    cross_regional: Mapped[bool] = mapped_column(nullable=False, default=False)
    period_start: Mapped[int] = mapped_column(Integer, nullable=False)
    period_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Markdown source of each body section, and the sanitised HTML rendered from it.
    body: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False, default=dict)
    body_html: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False, default=dict)
    # The moderator's last note to the author (changes asked for, or the reason for a rejection).
    moderation_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A proposed edit of a published lesson: the form's data, applied when approved.
    revision: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    revision_status: Mapped[RevisionStatus | None] = mapped_column(
        enum_column(RevisionStatus, "revision_status"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    # When the lesson or its edit last entered the moderation queue (oldest first).
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)

    @property
    def current_moderation_note(self) -> str | None:
        """The moderators' last note while it still answers what the author sent; once the author
        submits again (the lesson or an edit), it is history and no longer shown."""
        waiting = self.status == LessonStatus.SUBMITTED or self.revision_status == RevisionStatus.SUBMITTED
        return None if waiting else self.moderation_note


class LessonTag(Base):
    """One country, area, pillar, crime or theme of a lesson's published text."""

    __tablename__ = "lesson_tag"
    renews_data: ClassVar[bool] = True
    __table_args__ = (Index("ix_lesson_tag_kind_value", "kind", "value", "lesson_id"),)

    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[TagKind] = mapped_column(enum_column(TagKind, "lesson_tag_kind"), primary_key=True)
    value: Mapped[str] = mapped_column(String(60), primary_key=True)


class LessonComment(HiddenMixin, Base):
    """A member's comment on a published lesson."""

    __tablename__ = "lesson_comment"
    renews_data: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lesson.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)


class FlagTarget(enum.StrEnum):
    LESSON = "lesson"
    COMMENT = "comment"


class FlagResolution(enum.StrEnum):
    HIDDEN = "hidden"  # the moderator hid the content
    DISMISSED = "dismissed"  # the moderator kept it


class Flag(Base):
    """A member's report that a lesson or comment needs a moderator's attention."""

    __tablename__ = "flag"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        UniqueConstraint("reporter_id", "target_type", "target_id"),
        Index("ix_flag_open", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[FlagTarget] = mapped_column(enum_column(FlagTarget, "flag_target"), nullable=False)
    target_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # The lesson the target belongs to (the target itself, or the comment's lesson).
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), nullable=False)
    reporter_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    resolution: Mapped[FlagResolution | None] = mapped_column(
        enum_column(FlagResolution, "flag_resolution"), nullable=True
    )


class LessonThemeCount(Base):
    """Published lessons per theme, top-level M49 region (or "cross") and visibility.

    A summary for the theme x region view, rebuilt by ``lessons.queries.refresh_theme_counts``
    whenever a lesson is published, its edit approved, or it is hidden or shown again.
    """

    __tablename__ = "lesson_theme_count"
    renews_data: ClassVar[bool] = True

    theme: Mapped[str] = mapped_column(String(60), primary_key=True)
    area: Mapped[str] = mapped_column(String(8), primary_key=True)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "theme_count_visibility"), primary_key=True
    )
    lessons: Mapped[int] = mapped_column(Integer, nullable=False)


class TranslationStatus(enum.StrEnum):
    """The state of a member's translation of a published lesson (moderated like an edit)."""

    SUBMITTED = "submitted"  # waiting for a moderator
    CHANGES_REQUESTED = "changes_requested"  # back with the translator, with a note
    PUBLISHED = "published"
    REJECTED = "rejected"  # final, with a reason


class LessonTranslation(Base):
    """A member's translation of a published lesson into another UN language; one per language."""

    __tablename__ = "lesson_translation"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        UniqueConstraint("lesson_id", "language"),
        Index("ix_lesson_translation_status_submitted_at", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"), nullable=False)
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    translator_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, index=True
    )
    status: Mapped[TranslationStatus] = mapped_column(
        enum_column(TranslationStatus, "lesson_translation_status"),
        nullable=False,
        default=TranslationStatus.SUBMITTED,
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    # Markdown source of each body section, and the sanitised HTML rendered from it (as lessons).
    body: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False, default=dict)
    body_html: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False, default=dict)
    # The moderator's last note to the translator (changes asked for, or the reason for a rejection).
    moderation_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)

    @property
    def current_moderation_note(self) -> str | None:
        """The moderators' last note, unless the translator has since submitted again."""
        return None if self.status == TranslationStatus.SUBMITTED else self.moderation_note
