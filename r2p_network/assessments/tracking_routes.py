"""The team's strategy dashboard: its priority actions across versions, reviewed and given milestones.

Private to the team, like the draft (404 for everyone else).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.assessments import bp
from r2p_network.assessments.access import audit_view, own
from r2p_network.assessments.forms import ActionReviewForm, MilestoneForm
from r2p_network.assessments.localize import localized
from r2p_network.assessments.queries import (
    action_lines,
    country_name,
    milestone_with_action,
    priority_action,
    uncovered,
    version_list,
    version_with_template,
)
from r2p_network.assessments.services import add_milestone, reach_milestone, review_action
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.transaction import commit
from r2p_network.models import ActionStatus


@bp.route("/<int:assessment_id>/priorities")
def priorities(assessment_id: int) -> ResponseReturnValue:
    assessment, _template = own(assessment_id)
    versions = version_list(assessment.id)
    latest = version_with_template(assessment.id, versions[0].number) if versions else None
    lines = action_lines(assessment.id)
    audit_view("assessment.dashboard_viewed", assessment)
    current = [line for line in lines if latest and line.last_version == latest[0].number]
    return render_template(
        "assessments/priorities.html",
        assessment=assessment,
        country=country_name(assessment.country_iso3),
        latest=latest[0] if latest else None,
        lines=lines,
        summary={
            "carried_over": sum(1 for line in current if line.carried_over),
            "done": sum(1 for line in lines if line.status is ActionStatus.DONE),
            "dropped": sum(1 for line in lines if line.status is ActionStatus.DROPPED),
        },
        gaps=uncovered(localized(latest[1].definition), latest[0].answers) if latest else {},
        review_forms={line.id: ActionReviewForm(prefix=f"r{line.id}", formdata=None) for line in lines},
        milestone_forms={line.id: MilestoneForm(prefix=f"m{line.id}", formdata=None) for line in lines},
        confirm=ConfirmForm(),
    )


def _back(assessment_id: int, action_id: int) -> ResponseReturnValue:
    return redirect(
        url_for("assessments.priorities", assessment_id=assessment_id, _anchor=f"action-{action_id}")
    )


def _refused(form: ActionReviewForm | MilestoneForm) -> None:
    for field, messages in form.errors.items():
        for message in messages:
            flash(f"{form[field].label.text}: {message}", "error")


@bp.route("/<int:assessment_id>/priorities/<int:action_id>/review", methods=["POST"])
def review(assessment_id: int, action_id: int) -> ResponseReturnValue:
    assessment, _template = own(assessment_id)
    action = priority_action(assessment.id, action_id)
    if action is None:
        abort(404)
    form = ActionReviewForm(prefix=f"r{action.id}")
    if form.validate():
        review_action(
            action, ActionStatus(form.status.data), form.reviewed_on.data, form.note.data or "", current_user
        )
        commit()
        flash(_("The review is recorded."), "success")
    else:
        _refused(form)
    return _back(assessment.id, action.id)


@bp.route("/<int:assessment_id>/priorities/<int:action_id>/milestones", methods=["POST"])
def milestone(assessment_id: int, action_id: int) -> ResponseReturnValue:
    assessment, _template = own(assessment_id)
    action = priority_action(assessment.id, action_id)
    if action is None:
        abort(404)
    form = MilestoneForm(prefix=f"m{action.id}")
    if form.validate():
        add_milestone(action, form.title.data, form.due_on.data, current_user)
        commit()
        flash(_("The milestone is added."), "success")
    else:
        _refused(form)
    return _back(assessment.id, action.id)


@bp.route("/<int:assessment_id>/priorities/milestones/<int:milestone_id>/reached", methods=["POST"])
def milestone_reached(assessment_id: int, milestone_id: int) -> ResponseReturnValue:
    assessment, _template = own(assessment_id)
    found = milestone_with_action(assessment.id, milestone_id)
    if found is None or not ConfirmForm().validate_on_submit():
        abort(404 if found is None else 400)
    reach_milestone(found[0], found[1], date.today(), current_user)
    commit()
    flash(_("The milestone is marked as reached."), "success")
    return _back(assessment.id, found[1].id)
