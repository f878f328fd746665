"""The moderation queue: one list of everything that waits for a decision, oldest first.

Lessons (new, or edits of published ones), members' translations of published lessons, flags on
lessons and comments, and capacity maps to verify, within the scopes where the member moderates
or verifies. The decisions themselves live with their features (``lessons.moderation_routes``,
``capacity.verification_routes``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from r2p_network.admin import bp
from r2p_network.capacity.forms import ReturnForm
from r2p_network.capacity.submission_queries import diffs, submission_entries, submissions, verified_by
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
from r2p_network.models import CapacitySubmission, SubmissionStatus

KINDS = ("lesson", "translation", "flag", "capacity")


@bp.route("/moderation")
def moderation_queue() -> ResponseReturnValue:
    kind = request.args.get("kind", "")
    names = vocabulary()
    items: list[tuple[datetime | None, str, Any]] = []  # (when, kind, what the kind's row holds)
    if kind in ("", "lesson"):
        waiting = waiting_lessons(current_user)
        tags = tags_of([item.id for item in waiting])
        for item in waiting:
            data = LessonData.latest(item, tags[item.id])
            stored = None if item.revision is not None else item.body_html
            items.append((item.submitted_at, "lesson", (item, present(data, names, stored))))
    if kind in ("", "translation"):
        waiting_t = waiting_translations(current_user)
        t_tags = tags_of([lesson.id for _t, lesson in waiting_t])
        for translation, lesson in waiting_t:
            data = replace(
                LessonData.published(lesson, t_tags[lesson.id]),
                title=translation.title,
                summary=translation.summary,
                body=dict(translation.body),
                language=translation.language,
            )
            view = present(data, names, translation.body_html)
            items.append((translation.submitted_at, "translation", (translation, lesson, view)))
    if kind in ("", "flag"):
        items.extend((found.flag.created_at, "flag", found) for found in open_flags(current_user))
    if kind in ("", "capacity"):
        maps = submissions(CapacitySubmission.status == SubmissionStatus.SUBMITTED, verified_by(current_user))
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
        diffs=diffs([obj for _when, k, obj in items if k == "capacity"]),
        decision_forms={
            obj[0].id: DecisionForm(prefix=f"l{obj[0].id}") for _w, k, obj in items if k == "lesson"
        },
        translation_forms={
            obj[0].id: TranslationDecisionForm(prefix=f"t{obj[0].id}")
            for _w, k, obj in items
            if k == "translation"
        },
        flag_forms={obj.flag.id: ReasonForm(prefix=f"f{obj.flag.id}") for _w, k, obj in items if k == "flag"},
        return_forms={i: ReturnForm(prefix=f"n{i}") for i in capacity_ids},
    )
