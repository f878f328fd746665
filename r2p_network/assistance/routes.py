"""Assistance requests: asking an offering team, answering, following through, and notes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from r2p_network.assistance import bp
from r2p_network.assistance.forms import NoteForm, RequestForm, StepForm
from r2p_network.assistance.queries import (
    best_offer,
    need_of,
    notes,
    offer_on_map,
    request_row,
    requests_for,
    team_needs,
)
from r2p_network.assistance.services import (
    NEEDS_TEXT,
    Action,
    RequestData,
    add_note,
    allowed_actions,
    create_request,
    side_of,
    take_step,
)
from r2p_network.capacity.queries import categories
from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import AssistanceRequest
from r2p_network.permissions import can_read_assistance, can_read_need_of, team_of

ACTION_LABELS = {
    Action.ACCEPT: _l("Accept"),
    Action.DECLINE: _l("Decline, with a reason"),
    Action.PROPOSE: _l("Propose something else"),
    Action.START: _l("Mark as under way"),
    Action.DELIVER: _l("Mark as delivered"),
    Action.CLOSE: _l("Close"),
    Action.WITHDRAW: _l("Withdraw"),
}


@bp.route("/")
def index() -> ResponseReturnValue:
    return render_template(
        "assistance/index.html", requests=requests_for(current_user), team=team_of(current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    team = team_of(current_user)
    if team is None:
        abort(403)
    if "offer" not in request.args:
        # From a match, which names a country and a capacity: ask its most mature offer's team.
        found = best_offer(request.args.get("country", ""), request.args.get("category", ""))
        if found is None:
            abort(404)
        return redirect(url_for("assistance.new", offer=found))
    offer = offer_on_map(request.args.get("offer", 0, type=int))
    if offer is None:
        abort(404)
    entry, iso3, network, country = offer
    if (iso3, network) == team:
        flash(_("This offer is your own team's."), "info")
        return redirect(url_for("capacity.index"))
    needs = team_needs(team, entry.category_id)
    form = RequestForm(needs=needs)
    if form.validate_on_submit():
        data = RequestData(
            what=form.what.data,
            why=form.why.data,
            timeframe=form.timeframe.data or "",
            need_entry_id=int(form.need.data) if form.need.data else None,
        )
        created = create_request(current_user, entry, data)
        commit()
        flash(_("Your request is sent to the offering team."), "success")
        return redirect(url_for("assistance.detail", request_id=created.id))
    category = next((c for c in categories() if c.id == entry.category_id), None)
    return render_template(
        "assistance/new.html", form=form, offer=entry, provider=(country, network), category=category
    ), (400 if form.errors else 200)


def _readable(request_id: int) -> AssistanceRequest:
    found = db.session.get(AssistanceRequest, request_id)
    if found is None or not can_read_assistance(current_user, found):
        abort(404)
    return found


@bp.route("/<int:request_id>")
def detail(request_id: int) -> ResponseReturnValue:
    found = _readable(request_id)
    side = side_of(current_user, found)
    if side is None:
        # Other teams' exchange, read by an overseer: recorded like other reads of members' data.
        audit.record(
            "assistance.viewed",
            actor_id=current_user.id,
            object_type="assistance_request",
            object_id=found.id,
        )
        commit()
    need = need_of(found) if can_read_need_of(current_user, found) else None
    return render_template(
        "assistance/detail.html",
        req=found,
        row=request_row(found.id),
        need=need,
        notes=notes(found.id),
        side=side,
        actions=[
            (action, ACTION_LABELS[action], action in NEEDS_TEXT)
            for action in allowed_actions(current_user, found)
        ],
        step_form=StepForm(),
        note_form=NoteForm(),
    )


@bp.route("/<int:request_id>/step", methods=["POST"])
def step(request_id: int) -> ResponseReturnValue:
    found = _readable(request_id)
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        take_step(found, current_user, Action(form.action.data), form.text.data or "")
    except StateError:
        if side_of(current_user, found) is None:
            abort(403)
        message = (
            _("Give a reason or describe what you propose.")
            if Action(form.action.data) in NEEDS_TEXT and found.status.value == "requested"
            else _("This step is not possible now.")
        )
        flash(message, "error")
        return redirect(url_for("assistance.detail", request_id=found.id))
    commit()
    flash(_("Saved. The other team is told."), "success")
    return redirect(url_for("assistance.detail", request_id=found.id))


@bp.route("/<int:request_id>/notes", methods=["POST"])
def note(request_id: int) -> ResponseReturnValue:
    found = _readable(request_id)
    if side_of(current_user, found) is None:
        abort(403)
    form = NoteForm()
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for("assistance.detail", request_id=found.id) + "#notes")
    add_note(found, current_user, form.body.data or "", form.link.data or "")
    commit()
    flash(_("Note added."), "success")
    return redirect(url_for("assistance.detail", request_id=found.id) + "#notes")
