"""Moderators' decisions on lessons: publishing, asking for changes or rejecting, resolving flags,
hiding and restoring lessons and comments, and deciding on members' translations. The queue that
lists what waits is ``admin.moderation_queue``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from r2p_network.core.errors import StateError
from r2p_network.core.i18n import LANGUAGES
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.lessons import bp
from r2p_network.lessons import services as lessons
from r2p_network.lessons.forms import DecisionForm, ReasonForm, TranslationDecisionForm
from r2p_network.lessons.translation_services import decide_translation
from r2p_network.models import Flag, Lesson, LessonComment, LessonTranslation
from r2p_network.permissions import Capability, can_moderate_lesson, requires, safe_next


def _may_moderate(lesson: Lesson | None) -> None:
    """404 unless the moderator's scope covers one of the lesson's countries or regions."""
    if lesson is None or not can_moderate_lesson(current_user, lesson.id):
        abort(404)


def _back() -> ResponseReturnValue:
    return redirect(safe_next(request.form.get("next"), "admin.moderation_queue"))


@bp.route("/<int:lesson_id>/decision", methods=["POST"])
@requires(Capability.MODERATE_LESSONS)
def decide(lesson_id: int) -> ResponseReturnValue:
    lesson = db.get_or_404(Lesson, lesson_id)
    _may_moderate(lesson)
    form = DecisionForm(prefix=f"l{lesson_id}")
    if not form.validate_on_submit():
        for message in (*form.decision.errors, *form.reason.errors):
            flash(str(message), "error")
        return _back()
    try:
        lessons.decide(lesson, current_user, form.decision.data, form.reason.data)
    except StateError:
        flash(_("This lesson is not waiting for a decision."), "info")
        return _back()
    commit()
    flash(_("Decision recorded; the author has been told."), "success")
    return _back()


@bp.route("/<int:lesson_id>/<any(" + ", ".join(LANGUAGES) + "):lang>/decision", methods=["POST"])
@requires(Capability.MODERATE_LESSONS)
def decide_on_translation(lesson_id: int, lang: str) -> ResponseReturnValue:
    """Publish a member's translation, send it back with a note, or reject it with a reason."""
    lesson = db.get_or_404(Lesson, lesson_id)
    _may_moderate(lesson)
    translation = db.first_or_404(
        select(LessonTranslation).where(
            LessonTranslation.lesson_id == lesson_id, LessonTranslation.language == lang
        )
    )
    form = TranslationDecisionForm(prefix=f"t{translation.id}")
    if not form.validate_on_submit():
        for message in (*form.decision.errors, *form.reason.errors):
            flash(str(message), "error")
        return _back()
    try:
        decide_translation(translation, current_user, form.decision.data, form.reason.data)
    except StateError:
        flash(_("This translation is not waiting for a decision."), "info")
        return _back()
    commit()
    flash(_("Decision recorded; the translator has been told."), "success")
    return _back()


@bp.route("/flags/<int:flag_id>/<any(hide, dismiss):action>", methods=["POST"])
@requires(Capability.MODERATE_LESSONS)
def resolve_flag(flag_id: int, action: str) -> ResponseReturnValue:
    item = db.get_or_404(Flag, flag_id)
    _may_moderate(db.session.get(Lesson, item.lesson_id))
    form = ReasonForm(prefix=f"f{flag_id}")
    if not form.validate_on_submit() or (action == "hide" and len((form.reason.data or "").strip()) < 5):
        flash(_("Give a reason of at least 5 characters to hide content."), "error")
        return _back()
    try:
        lessons.resolve_flag(item, current_user, action == "hide", form.reason.data)
    except StateError:
        flash(_("This flag is already resolved."), "info")
        return _back()
    commit()
    flash(_("The content is hidden.") if action == "hide" else _("The flag is dismissed."), "success")
    return _back()


@bp.route("/<int:lesson_id>/<any(hide, restore):action>", methods=["POST"])
@bp.route("/comments/<int:comment_id>/<any(hide, restore):action>", methods=["POST"])
@requires(Capability.MODERATE_LESSONS)
def hide_content(
    action: str, lesson_id: int | None = None, comment_id: int | None = None
) -> ResponseReturnValue:
    """Hide a lesson or comment with a reason (kept, not deleted), or show it again."""
    target = db.session.get(Lesson, lesson_id) if lesson_id else db.session.get(LessonComment, comment_id)
    if target is None:
        abort(404)
    _may_moderate(target if isinstance(target, Lesson) else db.session.get(Lesson, target.lesson_id))
    form = ReasonForm(prefix="hide")
    reason = (form.reason.data or "").strip() if form.validate_on_submit() else ""
    if action == "hide" and len(reason) < 5:
        flash(_("Give a reason of at least 5 characters to hide content."), "error")
        return _back()
    try:
        lessons.set_hidden(target, current_user, reason if action == "hide" else None)
    except StateError:
        flash(_("Nothing to change."), "info")
        return _back()
    commit()
    flash(_("The content is hidden.") if action == "hide" else _("The content is visible again."), "success")
    return _back()
