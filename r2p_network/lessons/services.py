"""Changes to lessons, comments and flags. Services add and flush; the route commits once.

A lesson's life: draft or changes_requested -> submitted -> published, changes_requested or
rejected (final). Once published, an edit waits in ``revision`` (submitted, or sent back with
changes requested) while readers keep seeing the published text; approving it publishes it.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, insert, literal, select
from sqlalchemy.orm import aliased

from r2p_network.core import audit, emails, moderation, richtext, search
from r2p_network.core.errors import StateError
from r2p_network.core.geography import areas_of
from r2p_network.core.i18n import LANGUAGES
from r2p_network.extensions import db
from r2p_network.lessons.content import SECTIONS, Decision, LessonData
from r2p_network.lessons.translation_services import index_published_translations
from r2p_network.models import (
    Flag,
    FlagResolution,
    FlagTarget,
    Lesson,
    LessonComment,
    LessonKind,
    LessonStatus,
    LessonTag,
    LessonThemeCount,
    Region,
    RegionLevel,
    RevisionStatus,
    TagKind,
    User,
    Visibility,
    utcnow,
)
from r2p_network.notifications.services import MESSAGES, notify

CROSS_REGIONAL = "cross"  # the theme x region summary's column for cross-regional lessons
EDITABLE = (LessonStatus.DRAFT, LessonStatus.CHANGES_REQUESTED)


class DuplicateFlag(Exception):
    """The member has already flagged this."""


def _apply(lesson: Lesson, data: LessonData) -> None:
    """Make *data* the lesson's visible text and tags."""
    lesson.title = data.title.strip()
    lesson.summary = data.summary.strip()
    lesson.period_start = data.period_start
    lesson.period_end = data.period_end
    lesson.kind = LessonKind(data.kind)
    lesson.language = data.language if data.language in LANGUAGES else "en"
    lesson.region_code = data.region or None
    lesson.cross_regional = data.cross_regional
    lesson.visibility = Visibility(data.visibility)
    lesson.body = {key: (data.body.get(key) or "").strip() for key in SECTIONS}
    lesson.body_html = {key: richtext.render(source) for key, source in lesson.body.items()}
    lesson.updated_at = utcnow()
    db.session.flush()
    db.session.execute(delete(LessonTag).where(LessonTag.lesson_id == lesson.id))
    tags = {
        TagKind.COUNTRY: set(data.countries),
        TagKind.AREA: areas_of(data.countries, data.region),
        TagKind.PILLAR: set(data.pillars),
        TagKind.CRIME: set(data.crimes),
        TagKind.THEME: set(data.themes),
    }
    db.session.add_all(
        LessonTag(lesson_id=lesson.id, kind=kind, value=value)
        for kind, values in tags.items()
        for value in sorted(values)
    )
    db.session.flush()


def rebuild_search_index() -> int:
    """Rebuild the full-text index from the published lessons and translations; returns how many lessons."""
    search.clear_index()
    published = list(db.session.scalars(select(Lesson).where(Lesson.status == LessonStatus.PUBLISHED)))
    search.index_lessons(
        [
            (
                lesson.id,
                lesson.title,
                lesson.summary,
                " ".join(richtext.plain_text(lesson.body_html.get(key)) for key in SECTIONS),
                lesson.language,
            )
            for lesson in published
        ]
    )
    index_published_translations()
    return len(published)


def index_published(lesson: Lesson) -> None:
    """Put the lesson's published text in the search index."""
    body = " ".join(richtext.plain_text(lesson.body_html.get(key)) for key in SECTIONS)
    search.index_lesson(lesson.id, lesson.title, lesson.summary, body, lesson.language)


def refresh_theme_counts() -> None:
    """Rebuild the theme x region summary from the published lessons (two statements).

    Called whenever a lesson is published, its edit approved, or it is hidden or shown again.
    A lesson counts once in each top-level region it touches, and cross-regional lessons
    also under CROSS_REGIONAL.
    """
    theme_tag = aliased(LessonTag)
    area_tag = aliased(LessonTag)
    live = and_(Lesson.status == LessonStatus.PUBLISHED, Lesson.hidden_at.is_(None))
    top_regions = select(Region.code).where(Region.level == RegionLevel.REGION)
    by_region = (
        select(theme_tag.value, area_tag.value, Lesson.visibility, func.count())
        .join(Lesson, Lesson.id == theme_tag.lesson_id)
        .join(area_tag, and_(area_tag.lesson_id == Lesson.id, area_tag.kind == TagKind.AREA))
        .where(theme_tag.kind == TagKind.THEME, area_tag.value.in_(top_regions), live)
        .group_by(theme_tag.value, area_tag.value, Lesson.visibility)
    )
    cross = (
        select(theme_tag.value, literal(CROSS_REGIONAL), Lesson.visibility, func.count())
        .join(Lesson, Lesson.id == theme_tag.lesson_id)
        .where(theme_tag.kind == TagKind.THEME, Lesson.cross_regional.is_(True), live)
        .group_by(theme_tag.value, Lesson.visibility)
    )
    db.session.execute(delete(LessonThemeCount))
    db.session.execute(
        insert(LessonThemeCount).from_select(
            ["theme", "area", "visibility", "lessons"], by_region.union_all(cross)
        )
    )


def create_lesson(author: User, data: LessonData) -> Lesson:
    """A new draft by *author*."""
    lesson = Lesson(author_id=author.id, title="", summary="", period_start=data.period_start)
    db.session.add(lesson)
    db.session.flush()
    _apply(lesson, data)
    audit.record("lesson.created", actor_id=author.id, object_type="lesson", object_id=lesson.id)
    return lesson


def save(lesson: Lesson, data: LessonData, author: User, *, submit: bool) -> None:
    """Save the author's text; with *submit*, send it to the moderators.

    A published lesson's edit is always submitted: it waits beside the published text.
    """
    if lesson.status == LessonStatus.PUBLISHED:
        lesson.revision = data.to_json()
        lesson.revision_status = RevisionStatus.SUBMITTED
        lesson.submitted_at = utcnow()
        db.session.flush()
        audit.record("lesson.edit_submitted", actor_id=author.id, object_type="lesson", object_id=lesson.id)
        return
    if lesson.status not in EDITABLE:
        raise StateError(lesson.status)
    _apply(lesson, data)
    if submit:
        send_for_moderation(lesson, author)


def send_for_moderation(lesson: Lesson, author: User) -> None:
    """A draft, or a lesson sent back for changes, goes to the moderators as it stands."""
    if lesson.status not in EDITABLE:
        raise StateError(lesson.status)
    lesson.status = LessonStatus.SUBMITTED
    lesson.submitted_at = utcnow()
    db.session.flush()
    audit.record("lesson.submitted", actor_id=author.id, object_type="lesson", object_id=lesson.id)


def decide(lesson: Lesson, moderator: User, decision: str, reason: str | None) -> None:
    """Approve, send back or reject a submitted lesson, or the pending edit of a published one."""
    reason = (reason or "").strip() or None
    if decision != Decision.APPROVE and not reason:
        raise StateError("a reason is required")
    if lesson.status == LessonStatus.SUBMITTED:
        kind = "lesson"
        if decision == Decision.APPROVE:
            lesson.status = LessonStatus.PUBLISHED
            lesson.published_at = utcnow()
            lesson.moderation_note = None
            index_published(lesson)
        elif decision == Decision.REQUEST_CHANGES:
            lesson.status = LessonStatus.CHANGES_REQUESTED
            lesson.moderation_note = reason
        elif decision == Decision.REJECT:
            lesson.status = LessonStatus.REJECTED
            lesson.moderation_note = reason
        else:
            raise StateError(decision)
    elif lesson.status == LessonStatus.PUBLISHED and lesson.revision_status == RevisionStatus.SUBMITTED:
        kind = "lesson_edit"
        if decision == Decision.APPROVE:
            _apply(lesson, LessonData(**(lesson.revision or {})))
            lesson.revision, lesson.revision_status, lesson.moderation_note = None, None, None
            index_published(lesson)
        elif decision == Decision.REQUEST_CHANGES:
            lesson.revision_status = RevisionStatus.CHANGES_REQUESTED
            lesson.moderation_note = reason
        elif decision == Decision.REJECT:
            lesson.revision, lesson.revision_status, lesson.moderation_note = None, None, reason
        else:
            raise StateError(decision)
    else:
        raise StateError(lesson.status)
    db.session.flush()
    if decision == Decision.APPROVE:
        refresh_theme_counts()
    moderation.record(kind, lesson.id, decision, moderator, reason)
    _tell_author(lesson, f"{kind}_{decision}", reason, SUBJECTS[decision])


# Each decision has its own subject, so the inbox alone tells the author what happened.
SUBJECTS = {
    Decision.APPROVE: _l("Your lesson is published: %(title)s"),
    Decision.REQUEST_CHANGES: _l("Changes requested to your lesson: %(title)s"),
    Decision.REJECT: _l("Your lesson was not accepted: %(title)s"),
}


def _tell_author(lesson: Lesson, kind: str, note: str | None, subject: LazyString) -> None:
    """An in-app notification and an email for the lesson's author."""
    if lesson.author_id is None:
        return
    link = url_for("lessons.detail", lesson_id=lesson.id)
    params = {"title": lesson.title, **({"note": note} if note else {})}
    notify(lesson.author_id, kind, link, **params)
    author = db.session.get(User, lesson.author_id)
    if author is not None and author.is_active:
        emails.send(
            author.email,
            emails.subject(subject, title=lesson.title),
            "lesson_decided",
            lang=author.language,
            user=author,
            message=LazyString(MESSAGES[kind], params),
            link=emails.link("lessons.detail", lesson_id=lesson.id),
        )


def set_hidden(target: Lesson | LessonComment, moderator: User, reason: str | None) -> None:
    """Hide content with a reason (it is kept), or show it again when *reason* is None."""
    kind = "lesson" if isinstance(target, Lesson) else "comment"
    if reason is None:
        if target.hidden_at is None:
            raise StateError("not hidden")
        target.hidden_at, target.hidden_by_id, target.hidden_reason = None, None, None
        decision = "restore"
    else:
        if target.hidden_at is not None:
            raise StateError("already hidden")
        target.hidden_at, target.hidden_by_id, target.hidden_reason = utcnow(), moderator.id, reason.strip()
        decision = "hide"
    db.session.flush()
    if isinstance(target, Lesson):
        refresh_theme_counts()
    moderation.record(kind, target.id, decision, moderator, reason)
    if decision == "hide" and target.author_id is not None:
        lesson_id = target.id if isinstance(target, Lesson) else target.lesson_id
        notify(
            target.author_id,
            f"{kind}_hidden",
            url_for("lessons.detail", lesson_id=lesson_id),
            note=target.hidden_reason,
        )


def add_comment(lesson: Lesson, author: User, body: str) -> LessonComment:
    if lesson.status != LessonStatus.PUBLISHED or lesson.hidden_at is not None:
        raise StateError(lesson.status)
    comment = LessonComment(
        lesson_id=lesson.id, author_id=author.id, body=body.strip(), body_html=richtext.render(body)
    )
    db.session.add(comment)
    db.session.flush()
    audit.record("comment.created", actor_id=author.id, object_type="comment", object_id=comment.id)
    return comment


def flag(reporter: User, target: Lesson | LessonComment, reason: str) -> Flag:
    """Report content to the moderators; once per member and item."""
    target_type = FlagTarget.LESSON if isinstance(target, Lesson) else FlagTarget.COMMENT
    exists = db.session.scalar(
        select(Flag.id).where(
            Flag.reporter_id == reporter.id, Flag.target_type == target_type, Flag.target_id == target.id
        )
    )
    if exists:
        raise DuplicateFlag
    item = Flag(
        target_type=target_type,
        target_id=target.id,
        lesson_id=target.id if isinstance(target, Lesson) else target.lesson_id,
        reporter_id=reporter.id,
        reason=reason.strip(),
    )
    db.session.add(item)
    db.session.flush()
    audit.record("flag.created", actor_id=reporter.id, object_type="flag", object_id=item.id)
    return item


def resolve_flag(item: Flag, moderator: User, hide: bool, reason: str | None) -> None:
    """Close a flag: hide the flagged content (with a reason), or keep it."""
    if item.resolved_at is not None:
        raise StateError("already resolved")
    if hide:
        if not (reason or "").strip():
            raise StateError("a reason is required")
        target: Lesson | LessonComment | None
        if item.target_type == FlagTarget.LESSON:
            target = db.session.get(Lesson, item.target_id)
        else:
            target = db.session.get(LessonComment, item.target_id)
        if target is not None and target.hidden_at is None:
            set_hidden(target, moderator, reason)
    item.resolved_at = utcnow()
    item.resolved_by_id = moderator.id
    item.resolution = FlagResolution.HIDDEN if hide else FlagResolution.DISMISSED
    db.session.flush()
    moderation.record("flag", item.id, item.resolution.value, moderator, (reason or "").strip() or None)
