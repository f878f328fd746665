"""Verifying capacity maps: the queue of submitted maps and the verifier's two decisions.

Submitted maps also appear in the one moderation queue (``admin.moderation_queue``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.capacity import bp, services
from r2p_network.capacity.forms import ReturnForm
from r2p_network.capacity.submission_queries import diffs, submission_entries, submissions, verified_by
from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import CapacitySubmission, SubmissionStatus
from r2p_network.permissions import Capability, Scope, can_verify_capacity, requires, safe_next


@bp.route("/verification")
@requires(Capability.VERIFY_CAPACITY)
def verification_queue() -> ResponseReturnValue:
    """Capacity maps waiting for verification, oldest first, shown as they would be published."""
    waiting = submissions(CapacitySubmission.status == SubmissionStatus.SUBMITTED, verified_by(current_user))
    if waiting:
        # Other teams' maps, shown in full: one audit event names every map on the page.
        audit.record("capacity.queue_viewed", actor_id=current_user.id, submissions=[s.id for s in waiting])
        commit()
    return render_template(
        "capacity/verification.html",
        waiting=waiting,
        entries={s.id: submission_entries(s.id) for s in waiting},
        diffs=diffs(waiting),
        forms={s.id: ReturnForm(prefix=f"n{s.id}") for s in waiting},
    )


def _submitted(submission_id: int) -> CapacitySubmission:
    submission = db.session.get(CapacitySubmission, submission_id)
    if submission is None or not can_verify_capacity(current_user, Scope.country(submission.country_iso3)):
        abort(404)
    return submission


@bp.route("/submissions/<int:submission_id>/verify", methods=["POST"])
@requires(Capability.VERIFY_CAPACITY)
def verify(submission_id: int) -> ResponseReturnValue:
    submission = _submitted(submission_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.verify(submission, current_user)
    except StateError:
        flash(_("This map is not waiting for verification."), "info")
        return redirect(url_for("capacity.verification_queue"))
    commit()
    flash(_("The capacity map is verified."), "success")
    return redirect(safe_next(request.form.get("next"), "capacity.verification_queue"))


@bp.route("/submissions/<int:submission_id>/return", methods=["POST"])
@requires(Capability.VERIFY_CAPACITY)
def return_to_team(submission_id: int) -> ResponseReturnValue:
    submission = _submitted(submission_id)
    form = ReturnForm(prefix=f"n{submission_id}")
    if not form.validate_on_submit():
        flash(_("Write a note of at least 5 characters for the team."), "error")
        return redirect(url_for("capacity.verification_queue"))
    try:
        services.return_to_team(submission, current_user, form.note.data)
    except StateError:
        flash(_("This map is not waiting for verification."), "info")
        return redirect(url_for("capacity.verification_queue"))
    commit()
    flash(_("The capacity map is returned to the team with your note."), "success")
    return redirect(safe_next(request.form.get("next"), "capacity.verification_queue"))
