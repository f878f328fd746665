"""Lessons learned: who reads, edits, discusses, moderates and translates them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, select

from r2p_network.extensions import db
from r2p_network.models import (
    Lesson,
    LessonComment,
    LessonStatus,
    LessonTag,
    LessonTranslation,
    TagKind,
    TranslationStatus,
    User,
    Visibility,
)
from r2p_network.permissions.core import (
    NETWORK,
    Capability,
    Scope,
    can_moderate_lessons,
    holds_anywhere,
    is_member,
)


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
