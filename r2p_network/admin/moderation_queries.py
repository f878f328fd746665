"""The moderation queue as compact rows: one SQL statement over lessons, translations, flags and
capacity maps, each kept to the scopes where the reader moderates or verifies.

Every condition on what the queue shows lives in ``queue_statement``, so a new scope rule (e.g.
a coordinator's region) is one more WHERE clause there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, case, cast, literal, null, select, union_all
from sqlalchemy.orm import aliased

from r2p_network.capacity.submission_queries import verified_by
from r2p_network.core.geography import country_name_column
from r2p_network.core.pagination import paginate
from r2p_network.lessons.queries import moderated_by, waiting_for_moderation
from r2p_network.models import (
    CapacitySubmission,
    Country,
    Flag,
    FocalPointProfile,
    Lesson,
    LessonStatus,
    LessonTranslation,
    RevisionStatus,
    SubmissionStatus,
    TranslationStatus,
    User,
)

KINDS = ("lesson", "translation", "flag", "capacity")
PER_PAGE = 25


@dataclass(frozen=True)
class QueueRow:
    kind: str  # one of KINDS
    item_id: int  # the lesson, translation, flag or submission
    title: str
    author: str | None  # who wrote it (for a flag: who reported it); none for a team's map
    country_name: str | None  # the author's country, or the team's
    since: datetime | None  # waiting since
    asked: str  # what is asked: new, edit, translation language code, flag, verify

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.item_id}"


def _row(kind: str, *columns: Any) -> Select:
    """One kind's part of the queue, its columns named alike so the parts stack."""
    names = ("item_id", "title", "author", "iso3", "since", "asked")
    return select(
        literal(kind, String).label("kind"), *(c.label(n) for c, n in zip(columns, names, strict=True))
    )


def queue_statement(user: User | Any, kind: str = "") -> Select:
    """Every item waiting for *user*'s decision (of one kind, or all), oldest first."""
    person = aliased(User)
    profile = aliased(FocalPointProfile)
    parts = []
    if kind in ("", "lesson"):
        parts.append(
            _row(
                "lesson",
                Lesson.id,
                Lesson.title,
                person.name,
                profile.country_iso3,
                Lesson.submitted_at,
                case((Lesson.revision_status == RevisionStatus.SUBMITTED, "edit"), else_="new"),
            )
            .select_from(Lesson)
            .outerjoin(person, person.id == Lesson.author_id)
            .outerjoin(profile, profile.user_id == person.id)
            .where(waiting_for_moderation(), moderated_by(user))
        )
    if kind in ("", "translation"):
        parts.append(
            _row(
                "translation",
                LessonTranslation.id,
                LessonTranslation.title,
                person.name,
                profile.country_iso3,
                LessonTranslation.submitted_at,
                LessonTranslation.language,
            )
            .select_from(LessonTranslation)
            .join(Lesson, Lesson.id == LessonTranslation.lesson_id)
            .outerjoin(person, person.id == LessonTranslation.translator_id)
            .outerjoin(profile, profile.user_id == person.id)
            .where(
                LessonTranslation.status == TranslationStatus.SUBMITTED,
                Lesson.status == LessonStatus.PUBLISHED,
                Lesson.hidden_at.is_(None),
                moderated_by(user),
            )
        )
    if kind in ("", "flag"):
        parts.append(
            _row(
                "flag",
                Flag.id,
                Lesson.title,
                person.name,
                profile.country_iso3,
                Flag.created_at,
                cast(Flag.target_type, String),
            )
            .select_from(Flag)
            .join(Lesson, Lesson.id == Flag.lesson_id)
            .outerjoin(person, person.id == Flag.reporter_id)
            .outerjoin(profile, profile.user_id == person.id)
            .where(Flag.resolved_at.is_(None), moderated_by(user))
        )
    if kind in ("", "capacity"):
        parts.append(
            _row(
                "capacity",
                CapacitySubmission.id,
                cast(CapacitySubmission.cycle, String),
                cast(null(), String),
                CapacitySubmission.country_iso3,
                CapacitySubmission.submitted_at,
                cast(CapacitySubmission.network, String),
            ).where(CapacitySubmission.status == SubmissionStatus.SUBMITTED, verified_by(user))
        )
    waiting = union_all(*parts).subquery()
    return (
        select(
            waiting.c.kind,
            waiting.c.item_id,
            waiting.c.title,
            waiting.c.author,
            country_name_column(),
            waiting.c.since,
            waiting.c.asked,
        )
        .outerjoin(Country, Country.iso3 == waiting.c.iso3)
        # Oldest first; an item without a time (data from before it was kept) comes first.
        .order_by(waiting.c.since.is_not(None), waiting.c.since, waiting.c.kind, waiting.c.item_id)
    )


def queue_page(user: User | Any, kind: str, page: int) -> tuple[Sequence[QueueRow], int, int]:
    """One page of the queue (two queries: the count and the rows), the total, and the page shown."""
    rows, total, page = paginate(queue_statement(user, kind), page, PER_PAGE)
    return [QueueRow(*row) for row in rows], total, page
