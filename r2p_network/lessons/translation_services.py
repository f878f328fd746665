"""Changes to members' translations of published lessons. Services add and flush; the route commits once.

A translation's life, moderated like an edit: submitted -> published, changes_requested (the
translator sees the note, corrects and submits again) or rejected (final, with a reason). The
lesson's readers see only published translations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from r2p_network.core import audit, emails, moderation, richtext, search
from r2p_network.core.errors import StateError
from r2p_network.core.i18n import LANGUAGES
from r2p_network.extensions import db
from r2p_network.lessons.content import SECTIONS, Decision
from r2p_network.models import Lesson, LessonStatus, LessonTranslation, TranslationStatus, User, utcnow
from r2p_network.notifications.services import MESSAGES, notify

# What a translator may still change: a translation waiting for a moderator or sent back.
EDITABLE = (TranslationStatus.SUBMITTED, TranslationStatus.CHANGES_REQUESTED)


@dataclass(frozen=True)
class TranslationData:
    """Everything a translator writes: the language and the translated text, nothing else."""

    language: str
    title: str
    summary: str
    body: dict[str, str] = field(default_factory=dict)


def open_languages(lesson: Lesson) -> list[str]:
    """The UN languages a lesson can still be translated into (not its own, nor one it has)."""
    taken = set(
        db.session.scalars(select(LessonTranslation.language).where(LessonTranslation.lesson_id == lesson.id))
    )
    return [lang for lang in LANGUAGES if lang != lesson.language and lang not in taken]


def _apply(translation: LessonTranslation, data: TranslationData) -> None:
    translation.title = data.title.strip()
    translation.summary = data.summary.strip()
    translation.body = {key: (data.body.get(key) or "").strip() for key in SECTIONS}
    translation.body_html = {key: richtext.render(source) for key, source in translation.body.items()}
    translation.updated_at = translation.submitted_at = utcnow()


def submit_translation(lesson: Lesson, translator: User, data: TranslationData) -> LessonTranslation:
    """A new translation of a published lesson, sent to the moderators."""
    if lesson.status != LessonStatus.PUBLISHED or lesson.hidden_at is not None:
        raise StateError(lesson.status)
    if data.language not in open_languages(lesson):
        raise StateError("language taken")
    translation = LessonTranslation(
        lesson_id=lesson.id,
        language=data.language,
        translator_id=translator.id,
        status=TranslationStatus.SUBMITTED,
    )
    _apply(translation, data)
    db.session.add(translation)
    db.session.flush()
    audit.record(
        "lesson_translation.submitted",
        actor_id=translator.id,
        object_type="lesson_translation",
        object_id=translation.id,
    )
    return translation


def resubmit_translation(translation: LessonTranslation, translator: User, data: TranslationData) -> None:
    """The translator's corrected text goes back to the moderators (its language stays)."""
    if translation.status not in EDITABLE:
        raise StateError(translation.status)
    _apply(translation, data)
    translation.status = TranslationStatus.SUBMITTED
    db.session.flush()
    audit.record(
        "lesson_translation.submitted",
        actor_id=translator.id,
        object_type="lesson_translation",
        object_id=translation.id,
    )


def index_published_translation(translation: LessonTranslation) -> None:
    """Put a published translation's text in the search index."""
    body = " ".join(richtext.plain_text(translation.body_html.get(key)) for key in SECTIONS)
    search.index_translation(
        translation.id,
        translation.lesson_id,
        translation.title,
        translation.summary,
        body,
        translation.language,
    )


def index_published_translations() -> int:
    """Put every published translation in the (emptied) search index; returns how many."""
    published = list(
        db.session.scalars(
            select(LessonTranslation).where(LessonTranslation.status == TranslationStatus.PUBLISHED)
        )
    )
    search.index_translations(
        [
            (
                t.id,
                t.lesson_id,
                t.title,
                t.summary,
                " ".join(richtext.plain_text(t.body_html.get(key)) for key in SECTIONS),
                t.language,
            )
            for t in published
        ]
    )
    return len(published)


def decide_translation(
    translation: LessonTranslation, moderator: User, decision: str, reason: str | None
) -> None:
    """Publish a submitted translation, send it back with a note, or reject it with a reason."""
    reason = (reason or "").strip() or None
    if translation.status != TranslationStatus.SUBMITTED:
        raise StateError(translation.status)
    if decision != Decision.APPROVE and not reason:
        raise StateError("a reason is required")
    if decision == Decision.APPROVE:
        translation.status = TranslationStatus.PUBLISHED
        translation.published_at = utcnow()
        translation.moderation_note = None
        index_published_translation(translation)
    elif decision == Decision.REQUEST_CHANGES:
        translation.status = TranslationStatus.CHANGES_REQUESTED
        translation.moderation_note = reason
    elif decision == Decision.REJECT:
        translation.status = TranslationStatus.REJECTED
        translation.moderation_note = reason
    else:
        raise StateError(decision)
    db.session.flush()
    moderation.record("lesson_translation", translation.id, decision, moderator, reason)
    _tell_translator(translation, f"translation_{decision}", reason, SUBJECTS[decision])


SUBJECTS = {
    Decision.APPROVE: _l("Your translation is published: %(title)s"),
    Decision.REQUEST_CHANGES: _l("Changes requested to your translation: %(title)s"),
    Decision.REJECT: _l("Your translation was not accepted: %(title)s"),
}


def _tell_translator(
    translation: LessonTranslation, kind: str, note: str | None, subject: LazyString
) -> None:
    """An in-app notification and an email for the translator."""
    if translation.translator_id is None:
        return
    link = url_for("lessons.translation", lesson_id=translation.lesson_id, lang=translation.language)
    params = {"title": translation.title, **({"note": note} if note else {})}
    notify(translation.translator_id, kind, link, **params)
    translator = db.session.get(User, translation.translator_id)
    if translator is not None and translator.is_active:
        emails.send(
            translator.email,
            emails.subject(subject, title=translation.title),
            "translation_decided",
            lang=translator.language,
            user=translator,
            message=LazyString(MESSAGES[kind], params),
            link=emails.link(
                "lessons.translation", lesson_id=translation.lesson_id, lang=translation.language
            ),
        )
