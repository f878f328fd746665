"""Members' translations of published lessons: writing one, correcting it, and reading it.

The moderators' decision is in ``moderation_routes``; the queue that lists what waits is
``admin.moderation_queue``.
"""

from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from r2p_network.core.errors import StateError
from r2p_network.core.i18n import LANGUAGES
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.lessons import bp
from r2p_network.lessons.content import LessonData
from r2p_network.lessons.forms import TranslationDecisionForm, TranslationForm
from r2p_network.lessons.queries import LessonView, present, tags_of, vocabulary
from r2p_network.lessons.translation_services import open_languages, resubmit_translation, submit_translation
from r2p_network.models import Lesson, LessonTranslation, User
from r2p_network.permissions import (
    can_edit_translation,
    can_moderate_lesson,
    can_read_lesson,
    can_read_translation,
    can_translate_lesson,
    is_member,
    public,
)

LANG = "<any(" + ", ".join(LANGUAGES) + "):lang>"


def _lesson(lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or not can_read_lesson(current_user, lesson):
        abort(404)
    return lesson


def translation_or_404(lesson_id: int, lang: str) -> tuple[Lesson, LessonTranslation]:
    """The lesson and its translation into *lang* if the reader may see it; 404 otherwise."""
    lesson = _lesson(lesson_id)
    translation = db.session.scalar(
        select(LessonTranslation).where(
            LessonTranslation.lesson_id == lesson_id, LessonTranslation.language == lang
        )
    )
    if translation is None or not can_read_translation(current_user, lesson, translation):
        abort(404)
    return lesson, translation


def _original(lesson: Lesson) -> LessonView:
    """The lesson as readers see it, for the translator to work from."""
    return present(
        LessonData.published(lesson, tags_of([lesson.id])[lesson.id]), vocabulary(), lesson.body_html
    )


@bp.route("/<int:lesson_id>/translate", methods=["GET", "POST"])
def translate(lesson_id: int) -> ResponseReturnValue:
    lesson = _lesson(lesson_id)
    if not can_translate_lesson(current_user, lesson):
        abort(403)
    languages = open_languages(lesson)
    if not languages:
        flash(_("This lesson already exists, or waits for moderation, in every UN language."), "info")
        return redirect(url_for("lessons.detail", lesson_id=lesson.id))
    form = TranslationForm(languages=languages)
    if form.validate_on_submit():
        try:
            translation = submit_translation(lesson, current_user, form.to_data())
        except StateError:
            abort(409)
        commit()
        flash(_("Your translation is sent to the moderators. You will be told of their decision."), "success")
        return redirect(url_for("lessons.translation", lesson_id=lesson.id, lang=translation.language))
    return render_template(
        "lessons/translate.html", form=form, lesson=lesson, translation=None, original=_original(lesson)
    ), 400 if form.errors else 200


@bp.route(f"/<int:lesson_id>/{LANG}/edit", methods=["GET", "POST"])
def edit_translation(lesson_id: int, lang: str) -> ResponseReturnValue:
    lesson, translation = translation_or_404(lesson_id, lang)
    if not can_edit_translation(current_user, translation):
        abort(403)
    form = TranslationForm(languages=[translation.language])
    if form.is_submitted():
        form.language.data = translation.language  # the language of a translation never changes
    else:
        form.fill(translation)
    if form.validate_on_submit():
        try:
            resubmit_translation(translation, current_user, form.to_data())
        except StateError:
            abort(409)
        commit()
        flash(_("Your translation is sent to the moderators. You will be told of their decision."), "success")
        return redirect(url_for("lessons.translation", lesson_id=lesson.id, lang=lang))
    return render_template(
        "lessons/translate.html",
        form=form,
        lesson=lesson,
        translation=translation,
        original=_original(lesson),
    ), 400 if form.errors else 200


@bp.route(f"/<int:lesson_id>/{LANG}")
@public
def translation(lesson_id: int, lang: str) -> ResponseReturnValue:
    lesson, translation = translation_or_404(lesson_id, lang)
    original = LessonData.published(lesson, tags_of([lesson.id])[lesson.id])
    data = replace(
        original,
        title=translation.title,
        summary=translation.summary,
        body=dict(translation.body),
        language=translation.language,
    )
    moderates = can_moderate_lesson(current_user, lesson.id)
    return render_template(
        "lessons/translation.html",
        lesson=lesson,
        translation=translation,
        view=present(data, vocabulary(), translation.body_html),
        translator=db.session.get(User, translation.translator_id) if translation.translator_id else None,
        own=is_member(current_user) and translation.translator_id == current_user.id,
        moderates=moderates,
        decision_form=TranslationDecisionForm(prefix=f"t{translation.id}") if moderates else None,
    )
