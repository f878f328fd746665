"""The moderation queue: one list of everything that waits for a decision, oldest first.

Lessons (new, or edits of published ones), flags on lessons and comments, and capacity maps to
verify. Registered on the admin blueprint, so the administrators-only guard applies.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.admin import bp
from r2p_network.capacity.forms import ReturnForm
from r2p_network.capacity.queries import submission_entries, submissions
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.lessons import services as lessons
from r2p_network.lessons.content import LessonData
from r2p_network.lessons.forms import DecisionForm, ReasonForm
from r2p_network.lessons.queries import open_flags, present, tags_of, vocabulary, waiting_lessons
from r2p_network.models import CapacitySubmission, Flag, Lesson, LessonComment, SubmissionStatus
from r2p_network.permissions import safe_next

KINDS = ("lesson", "flag", "capacity")


@bp.route("/moderation")
def moderation_queue() -> ResponseReturnValue:
    kind = request.args.get("kind", "")
    names = vocabulary()
    items: list[tuple[datetime, str, object]] = []
    if kind in ("", "lesson"):
        waiting = waiting_lessons()
        tags = tags_of([item.id for item in waiting])
        for item in waiting:
            data = LessonData.latest(item, tags[item.id])
            stored = None if item.revision is not None else item.body_html
            items.append((item.submitted_at, "lesson", (item, present(data, names, stored))))
    if kind in ("", "flag"):
        items.extend((found.flag.created_at, "flag", found) for found in open_flags())
    if kind in ("", "capacity"):
        maps = submissions(CapacitySubmission.status == SubmissionStatus.SUBMITTED)
        items.extend((found.submitted_at, "capacity", found) for found in maps)
    # Oldest first; an item without a time (data from before it was kept) comes first.
    items.sort(key=lambda entry: (entry[0] is not None, entry[0] or 0))
    capacity_ids = [obj.id for _when, k, obj in items if k == "capacity"]
    return render_template(
        "admin/moderation.html",
        items=items,
        kind=kind,
        kinds=KINDS,
        entries={submission_id: submission_entries(submission_id) for submission_id in capacity_ids},
        decision_forms={
            obj[0].id: DecisionForm(prefix=f"l{obj[0].id}") for _w, k, obj in items if k == "lesson"
        },
        flag_forms={obj.flag.id: ReasonForm(prefix=f"f{obj.flag.id}") for _w, k, obj in items if k == "flag"},
        return_forms={i: ReturnForm(prefix=f"n{i}") for i in capacity_ids},
    )


def _back() -> ResponseReturnValue:
    return redirect(safe_next(request.form.get("next"), "admin.moderation_queue"))


@bp.route("/moderation/lessons/<int:lesson_id>", methods=["POST"])
def decide_lesson(lesson_id: int) -> ResponseReturnValue:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        abort(404)
    form = DecisionForm(prefix=f"l{lesson_id}")
    if not form.validate_on_submit():
        for message in (*form.decision.errors, *form.reason.errors):
            flash(str(message), "error")
        return _back()
    try:
        lessons.decide(lesson, current_user, form.decision.data, form.reason.data)
    except lessons.StateError:
        flash(_("This lesson is not waiting for a decision."), "info")
        return _back()
    commit()
    flash(_("Decision recorded; the author has been told."), "success")
    return _back()


@bp.route("/moderation/flags/<int:flag_id>/<any(hide, dismiss):action>", methods=["POST"])
def resolve_flag(flag_id: int, action: str) -> ResponseReturnValue:
    item = db.session.get(Flag, flag_id)
    if item is None:
        abort(404)
    form = ReasonForm(prefix=f"f{flag_id}")
    if not form.validate_on_submit() or (action == "hide" and len((form.reason.data or "").strip()) < 5):
        flash(_("Give a reason of at least 5 characters to hide content."), "error")
        return _back()
    try:
        lessons.resolve_flag(item, current_user, action == "hide", form.reason.data)
    except lessons.StateError:
        flash(_("This flag is already resolved."), "info")
        return _back()
    commit()
    flash(_("The content is hidden.") if action == "hide" else _("The flag is dismissed."), "success")
    return _back()


@bp.route("/lessons/<int:lesson_id>/<any(hide, restore):action>", methods=["POST"])
@bp.route("/comments/<int:comment_id>/<any(hide, restore):action>", methods=["POST"])
def hide_content(
    action: str, lesson_id: int | None = None, comment_id: int | None = None
) -> ResponseReturnValue:
    """Hide a lesson or comment with a reason (kept, not deleted), or show it again."""
    target = db.session.get(Lesson, lesson_id) if lesson_id else db.session.get(LessonComment, comment_id)
    if target is None:
        abort(404)
    form = ReasonForm(prefix="hide")
    reason = (form.reason.data or "").strip() if form.validate_on_submit() else ""
    if action == "hide" and len(reason) < 5:
        flash(_("Give a reason of at least 5 characters to hide content."), "error")
        return _back()
    try:
        lessons.set_hidden(target, current_user, reason if action == "hide" else None)
    except lessons.StateError:
        flash(_("Nothing to change."), "info")
        return _back()
    commit()
    flash(_("The content is hidden.") if action == "hide" else _("The content is visible again."), "success")
    return _back()
