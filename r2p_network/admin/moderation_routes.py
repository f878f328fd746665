"""The moderation queue: one compact row per item waiting for a decision, oldest first, and one
item opened at a time with its decision form.

Lessons (new, or edits of published ones), members' translations of published lessons, flags on
lessons and comments, and capacity maps to verify, within the scopes where the member moderates
or verifies (``admin.moderation_queries``). The decisions themselves live with their features
(``lessons.moderation_routes``, ``capacity.verification_routes``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from r2p_network.admin import bp
from r2p_network.admin.moderation_queries import KINDS, PER_PAGE, QueueRow, queue_page
from r2p_network.capacity.forms import ReturnForm
from r2p_network.capacity.submission_queries import diffs, submission_entries, submissions, verified_by
from r2p_network.core.i18n import LANGUAGE_NAMES
from r2p_network.core.labels import label
from r2p_network.core.pagination import page_count
from r2p_network.lessons.content import LessonData
from r2p_network.lessons.forms import DecisionForm, ReasonForm, TranslationDecisionForm
from r2p_network.lessons.queries import (
    open_flags,
    present,
    tags_of,
    vocabulary,
    waiting_lessons,
    waiting_translations,
)
from r2p_network.models import CapacitySubmission, Network, SubmissionStatus

KIND_LABELS = {
    "lesson": _l("Lesson"),
    "translation": _l("Translation"),
    "flag": _l("Flag"),
    "capacity": _l("Capacity map"),
}


def asked(row: QueueRow) -> str:
    """What the moderator is asked to decide on a row of the queue, in a few words."""
    if row.kind == "lesson":
        return _("Publish this edit?") if row.asked == "edit" else _("Publish this new lesson?")
    if row.kind == "translation":
        return _(
            "Publish this translation into %(language)s?", language=LANGUAGE_NAMES.get(row.asked, row.asked)
        )
    if row.kind == "flag":
        return (
            _("Hide the comment or keep it?") if row.asked == "comment" else _("Hide the lesson or keep it?")
        )
    return _("Verify this %(network)s map?", network=label(Network(row.asked)))


def _opened(kind: str, item_id: int) -> dict[str, Any] | None:
    """What the template needs to show one waiting item in full, or None if it no longer waits."""
    if kind == "lesson":
        lesson = next((item for item in waiting_lessons(current_user) if item.id == item_id), None)
        if lesson is None:
            return None
        data = LessonData.latest(lesson, tags_of([lesson.id])[lesson.id])
        stored = None if lesson.revision is not None else lesson.body_html
        view = present(data, vocabulary(), stored)
        return {"lesson": lesson, "view": view, "form": DecisionForm(prefix=f"l{lesson.id}")}
    if kind == "translation":
        found = next((row for row in waiting_translations(current_user) if row[0].id == item_id), None)
        if found is None:
            return None
        translation, lesson = found
        data = replace(
            LessonData.published(lesson, tags_of([lesson.id])[lesson.id]),
            title=translation.title,
            summary=translation.summary,
            body=dict(translation.body),
            language=translation.language,
        )
        view = present(data, vocabulary(), translation.body_html)
        form = TranslationDecisionForm(prefix=f"t{translation.id}")
        return {"translation": translation, "lesson": lesson, "view": view, "form": form}
    if kind == "flag":
        flag = next((item for item in open_flags(current_user) if item.flag.id == item_id), None)
        return None if flag is None else {"obj": flag, "form": ReasonForm(prefix=f"f{item_id}")}
    maps = submissions(
        CapacitySubmission.id == item_id,
        CapacitySubmission.status == SubmissionStatus.SUBMITTED,
        verified_by(current_user),
    )
    if not maps:
        return None
    return {
        "s": maps[0],
        "entries": submission_entries(item_id),
        "diff": diffs(maps)[item_id],
        "return_form": ReturnForm(prefix=f"n{item_id}"),
    }


@bp.route("/moderation")
def moderation_queue() -> ResponseReturnValue:
    kind = request.args.get("kind", "")
    if kind not in ("", *KINDS):
        abort(404)
    rows, total, page = queue_page(current_user, kind, request.args.get("page", 1, type=int))
    opened_key = request.args.get("open", "")
    open_kind, _dash, open_id = opened_key.partition("-")
    opened = _opened(open_kind, int(open_id)) if open_kind in KINDS and open_id.isdigit() else None
    return render_template(
        "admin/moderation.html",
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        kind=kind,
        kinds=KINDS,
        opened_key=opened_key if opened else "",
        open_kind=open_kind,
        opened=opened,
        queue_kind_labels=KIND_LABELS,
        queue_request=asked,
    )
