"""Demo lessons learned in every region, on every theme, of every kind and in every state.

The texts live in ``seed/lessons.json``; the situations echo the kinds of experience the UN
reports discuss (electoral mediation, sub-regional early warning, peer review), and the authors
are demo accounts. Running the seed again adds only the lessons whose titles are missing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from r2p_network.demo_data import seed_file
from r2p_network.extensions import db
from r2p_network.lessons import services
from r2p_network.lessons import translation_services as translations
from r2p_network.lessons.content import LessonData
from r2p_network.lessons.translation_services import TranslationData
from r2p_network.models import Lesson, LessonStatus, RevisionStatus, TranslationStatus, User, utcnow


def _user(handle: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == f"{handle}@example.org"))


def seed_lessons() -> int:
    """Add the demo lessons that are missing, with comments, one open flag and members' translations;
    return how many lessons."""
    seed = seed_file("lessons")
    known = set(db.session.scalars(select(Lesson.title)))
    now = utcnow()
    added = 0
    written: dict[str, LessonData] = {}
    for n, item in enumerate(seed["lessons"]):
        author = _user(item["author"])
        title, state = item["title"], item["state"]
        if title in known or author is None:
            continue
        data = LessonData(
            title=title,
            summary=item["summary"],
            kind=item["kind"],
            period_start=item["period"][0],
            period_end=item["period"][1],
            countries=item["countries"],
            region=item["region"],
            cross_regional=item["cross_regional"],
            pillars=item["pillars"],
            crimes=item["crimes"],
            themes=item["themes"],
            visibility=item["visibility"],
            body=item["sections"],
        )
        lesson = services.create_lesson(author, data)
        written[title] = data
        lesson.status = LessonStatus(state)
        lesson.created_at = lesson.updated_at = now - timedelta(days=90 - n * 2)
        if state != "draft":
            lesson.submitted_at = lesson.created_at + timedelta(days=1)
        if state in ("changes_requested", "rejected"):
            lesson.moderation_note = seed["moderation_note"]
        if state == "published":
            lesson.published_at = lesson.created_at + timedelta(days=3)
            services.index_published(lesson)
        added += 1
    db.session.flush()
    if not added:
        return 0
    lessons = {lesson.title: lesson for lesson in db.session.scalars(select(Lesson))}
    # One published lesson has an edit waiting, so the queue shows every kind of item.
    edit = seed["pending_edit"]
    if edit["lesson"] in written:
        lesson = lessons[edit["lesson"]]
        lesson.revision = replace(written[edit["lesson"]], title=edit["title"]).to_json()
        lesson.revision_status = RevisionStatus.SUBMITTED
        lesson.submitted_at = now - timedelta(days=2)
    for comment in seed["comments"]:
        author = _user(comment["author"])
        if author is not None and comment["lesson"] in written:
            services.add_comment(lessons[comment["lesson"]], author, comment["text"])
    flag = seed["flag"]
    reporter = _user(flag["reporter"])
    if reporter is not None and flag["lesson"] in written:
        services.flag(reporter, lessons[flag["lesson"]], flag["reason"])
    _seed_translations(seed["translations"], lessons, set(written))
    services.refresh_theme_counts()
    return added


def _seed_translations(items: list[dict], lessons: dict[str, Lesson], written: set[str]) -> None:
    """Members' translations of demo lessons: one published, one waiting in the queue."""
    for item in items:
        translator = _user(item["translator"])
        if translator is None or item["lesson"] not in written:
            continue
        data = TranslationData(
            language=item["language"], title=item["title"], summary=item["summary"], body=item["sections"]
        )
        translation = translations.submit_translation(lessons[item["lesson"]], translator, data)
        if item["state"] == "published":
            translation.status = TranslationStatus.PUBLISHED
            translation.published_at = utcnow()
            translations.index_published_translation(translation)
