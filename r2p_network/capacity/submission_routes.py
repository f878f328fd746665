"""A team's own capacity maps: starting, revising, editing and submitting them."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from r2p_network.capacity import bp
from r2p_network.capacity.forms import EntryForm, NewSubmissionForm
from r2p_network.capacity.queries import categories
from r2p_network.capacity.services import (
    EDITABLE,
    DuplicateCycle,
    add_entry,
    create_submission,
    remove_entry,
    start_revision,
    submit,
    update_entry,
)
from r2p_network.capacity.submission_queries import (
    open_revision,
    revision_diff,
    submission_entries,
    submissions,
    team_submission,
)
from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.transaction import commit, discard
from r2p_network.extensions import db
from r2p_network.models import CapacityEntry, CapacitySubmission, SubmissionStatus, utcnow
from r2p_network.permissions import Scope, can_verify_capacity, is_team_member, team_of


def own_submission(submission_id: int, *, admin_may_read: bool = False) -> CapacitySubmission:
    """The submission if the member's team owns it (or, with *admin_may_read*, verifies it), else 404."""
    submission = db.get_or_404(CapacitySubmission, submission_id)
    if is_team_member(current_user, submission.country_iso3, submission.network):
        return submission
    if admin_may_read and can_verify_capacity(current_user, Scope.country(submission.country_iso3)):
        return submission
    abort(404)


@bp.route("/submissions/")
def submission_list() -> ResponseReturnValue:
    team = team_of(current_user)
    if team is None:
        abort(403)
    own = submissions(CapacitySubmission.country_iso3 == team[0], CapacitySubmission.network == team[1])
    return render_template("capacity/submissions.html", own=own)


@bp.route("/submissions/new", methods=["GET", "POST"])
def new_submission() -> ResponseReturnValue:
    team = team_of(current_user)
    if team is None:
        abort(403)
    form = NewSubmissionForm(data={"cycle": utcnow().year} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            submission = create_submission(current_user, form.cycle.data)
            commit()
        except (DuplicateCycle, IntegrityError):
            # Already there (perhaps created by a simultaneous click): show the existing map.
            discard()
            existing = team_submission(team, form.cycle.data)
            flash(_("Your team already has a map for %(cycle)d.", cycle=form.cycle.data), "info")
            return redirect(url_for("capacity.detail", submission_id=existing))
        return redirect(url_for("capacity.detail", submission_id=submission.id))
    return render_template("capacity/new.html", form=form)


def _contact_defaults(entries: list[tuple[CapacityEntry, Any]], source: str) -> dict[str, str]:
    """Institution and contact for a new entry: the previous entry's, or (when *source* is
    "profile", or there is no entry yet) the member's profile."""
    if entries and source != "profile":
        latest = max((entry for entry, _category in entries), key=lambda entry: entry.id)
        return {"institution": latest.institution, "contact": latest.contact}
    profile = current_user.profile
    if profile is None:
        return {}
    return {"institution": profile.institution, "contact": profile.contact_email}


def render_submission(sub: CapacitySubmission, form: EntryForm | None = None) -> str:
    """The submission page; *form* is the entry form with its errors after a failed POST."""
    entries = submission_entries(sub.id)
    member = is_team_member(current_user, sub.country_iso3, sub.network)
    if form is None:
        form = EntryForm(
            categories=categories(), data=_contact_defaults(entries, request.args.get("fill", ""))
        )
    on_map = sub.status == SubmissionStatus.VERIFIED and sub.replaced_by_id is None
    return render_template(
        "capacity/submission.html",
        submission=sub,
        entries=entries,
        member=member,
        editable=member and sub.status in EDITABLE,
        on_map=on_map,
        revision_id=open_revision(sub) if member and on_map else None,
        diff=revision_diff(sub.id, sub.revises_id) if sub.status != SubmissionStatus.VERIFIED else None,
        form=form,
        confirm=ConfirmForm(),
    )


@bp.route("/submissions/<int:submission_id>")
def detail(submission_id: int) -> ResponseReturnValue:
    sub = own_submission(submission_id, admin_may_read=True)
    if not is_team_member(current_user, sub.country_iso3, sub.network):
        # Another team's map (an administrator verifying it): its needs may be administrators-only.
        audit.record(
            "capacity.submission_viewed",
            actor_id=current_user.id,
            object_type="capacity_submission",
            object_id=sub.id,
        )
        commit()
    return render_submission(sub)


@bp.route("/submissions/<int:submission_id>/entries", methods=["POST"])
def add(submission_id: int) -> ResponseReturnValue:
    sub = own_submission(submission_id)
    catalogue = categories()
    form = EntryForm(categories=catalogue)
    if sub.status not in EDITABLE:
        flash(_("This map can no longer be edited."), "error")
        return redirect(url_for("capacity.detail", submission_id=sub.id))
    if not form.validate_on_submit():
        return render_submission(sub, form), 400
    add_entry(sub, form.entry_data(catalogue))
    commit()
    flash(_("Entry added."), "success")
    return redirect(url_for("capacity.detail", submission_id=sub.id) + "#entries")


@bp.route("/submissions/<int:submission_id>/entries/<int:entry_id>/delete", methods=["POST"])
def delete_entry(submission_id: int, entry_id: int) -> ResponseReturnValue:
    sub = own_submission(submission_id)
    entry = db.session.scalar(
        select(CapacityEntry).where(CapacityEntry.id == entry_id, CapacityEntry.submission_id == sub.id)
    )
    if entry is None or not ConfirmForm().validate_on_submit():
        abort(404 if entry is None else 400)
    try:
        remove_entry(sub, entry)
    except StateError:
        flash(_("This map can no longer be edited."), "error")
        return redirect(url_for("capacity.detail", submission_id=sub.id))
    commit()
    flash(_("Entry removed."), "success")
    return redirect(url_for("capacity.detail", submission_id=sub.id) + "#entries")


@bp.route("/submissions/<int:submission_id>/submit", methods=["POST"])
def submit_for_verification(submission_id: int) -> ResponseReturnValue:
    sub = own_submission(submission_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        submit(sub, current_user)
    except StateError as error:
        message = (
            _("Add at least one entry before submitting.")
            if error.args == ("empty",)
            else _("This map was already submitted.")
        )
        flash(message, "error")
        return redirect(url_for("capacity.detail", submission_id=sub.id))
    commit()
    flash(_("Submitted: an administrator will verify it."), "success")
    return redirect(url_for("capacity.detail", submission_id=sub.id))


def _entry(sub: CapacitySubmission, entry_id: int) -> CapacityEntry:
    entry = db.session.scalar(
        select(CapacityEntry).where(CapacityEntry.id == entry_id, CapacityEntry.submission_id == sub.id)
    )
    if entry is None:
        abort(404)
    return entry


@bp.route("/submissions/<int:submission_id>/entries/<int:entry_id>/edit", methods=["GET", "POST"])
def edit_entry(submission_id: int, entry_id: int) -> ResponseReturnValue:
    sub = own_submission(submission_id)
    entry = _entry(sub, entry_id)
    if sub.status not in EDITABLE:
        flash(_("This map can no longer be edited."), "error")
        return redirect(url_for("capacity.detail", submission_id=sub.id))
    catalogue = categories()
    slugs = {c.id: c.slug for c in catalogue}
    form = EntryForm(
        categories=catalogue,
        data={
            "category": slugs.get(entry.category_id, ""),
            "status": entry.status.value,
            "maturity": entry.maturity,
            "description": entry.description,
            "institution": entry.institution,
            "contact": entry.contact,
            "restricted": entry.restricted,
        }
        if request.method == "GET"
        else None,
    )
    if form.validate_on_submit():
        update_entry(sub, entry, form.entry_data(catalogue))
        commit()
        flash(_("Entry saved."), "success")
        return redirect(url_for("capacity.detail", submission_id=sub.id) + "#entries")
    status = 400 if request.method == "POST" else 200
    return render_template("capacity/edit_entry.html", submission=sub, entry=entry, form=form), status


@bp.route("/submissions/<int:submission_id>/revise", methods=["POST"])
def revise(submission_id: int) -> ResponseReturnValue:
    sub = own_submission(submission_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        revision = start_revision(sub, current_user)
        commit()
    except (DuplicateCycle, IntegrityError):
        # Already started (perhaps by a teammate a moment ago): continue that one.
        discard()
        existing = open_revision(sub)
        if existing is None:
            abort(409)
        flash(_("Your team has already started a revision of this map."), "info")
        return redirect(url_for("capacity.detail", submission_id=existing))
    except StateError:
        flash(_("Only the verified map on the network map can be revised."), "error")
        return redirect(url_for("capacity.detail", submission_id=sub.id))
    flash(_("Revision started. The verified map stays current until this revision is verified."), "success")
    return redirect(url_for("capacity.detail", submission_id=revision.id))
