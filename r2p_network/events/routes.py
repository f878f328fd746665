"""Events: the list, organising, registering, summaries, action points and calendar files."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.core.emails import link
from r2p_network.core.errors import StateError
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.geography import filter_options
from r2p_network.core.i18n import venue_time
from r2p_network.core.pagination import page_count
from r2p_network.core.transaction import commit
from r2p_network.documents.queries import attached
from r2p_network.events import bp
from r2p_network.events.calendar import calendar
from r2p_network.events.forms import ActionPointForm, ActionStatusForm, EventForm, SummaryForm
from r2p_network.events.queries import (
    PER_PAGE,
    action_points,
    audiences_of,
    describe_audiences,
    event_rows,
    feed_owner,
    feed_token,
    my_answer,
    participants,
    registered_events,
    scope_names,
)
from r2p_network.events.services import (
    add_action_point,
    create_event,
    decline,
    new_feed,
    outside_scope,
    publish_summary,
    register,
    registered_count,
    registration_problem,
    revoke_feed,
    set_action_status,
    token_hash,
    update_event,
)
from r2p_network.extensions import db
from r2p_network.models import ActionPoint, Event, utcnow
from r2p_network.permissions import (
    Capability,
    Scope,
    can_organise_event,
    can_read_event,
    can_respond_to_event,
    can_see_participants,
    can_update_action_point,
    event_scope,
    is_member,
    organiser_scopes,
    public,
    requires,
    safe_next,
)

# How far back a calendar feed reaches: the past year's meetings stay in members' calendars.
FEED_HISTORY = timedelta(days=366)
PROBLEMS = {
    "closed": lambda: _("Registration for this event is closed."),
    "started": lambda: _("This event has already started."),
    "deadline": lambda: _("The registration deadline has passed."),
    "full": lambda: _("This event is full."),
    "not_held": lambda: _("A summary can be published once the event has begun."),
}


@bp.route("/")
@public
def index() -> ResponseReturnValue:
    past = request.args.get("when") == "past"
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, total = event_rows(current_user, past, page)
    return render_template(
        "events/index.html",
        rows=rows,
        past=past,
        page=page,
        pages=page_count(total, PER_PAGE),
        may_organise=bool(organiser_scopes(current_user)),
    )


def _event(event_id: int) -> Event:
    """The event if the reader may see it; 404 otherwise, so its existence is not revealed."""
    event = db.session.get(Event, event_id)
    if event is None or not can_read_event(current_user, event):
        abort(404)
    return event


def _organised(event_id: int) -> Event:
    event = _event(event_id)
    if not can_organise_event(current_user, event):
        abort(403)
    return event


def _scopes(event: Event | None) -> list[Scope]:
    """Where the member may organise, and the event's own scope (which an organiser over the whole
    network may keep when editing a coordinator's event)."""
    scopes = organiser_scopes(current_user)
    if event is not None and event_scope(event) not in scopes:
        scopes.append(event_scope(event))
    return scopes


def _form(event: Event | None = None) -> EventForm:
    return EventForm(options=filter_options(), scopes=scope_names(_scopes(event)))


def _save_allowed(form: EventForm, event: Event | None = None) -> bool:
    """The chosen scope is one the organiser may use, and the audiences lie within it."""
    data = form.to_data()
    if not any((s.kind, s.key) == data.scope for s in _scopes(event)):
        abort(403)
    if outside_scope(data.scope, data.audiences):
        form.audience_network.errors = [
            _("Organisers of a region invite that region or teams within it only.")
        ]
        return False
    return True


@bp.route("/new", methods=["GET", "POST"])
@requires(Capability.ORGANISE_EVENTS)
def new() -> ResponseReturnValue:
    form = _form()
    if form.validate_on_submit() and _save_allowed(form):
        event = create_event(current_user, form.to_data())
        commit()
        flash(_("The event is created."), "success")
        return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/edit.html", form=form, event=None), 400 if form.errors else 200


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int) -> ResponseReturnValue:
    event = _organised(event_id)
    form = _form(event)
    if request.method == "GET":
        form.fill(event, audiences_of(event.id))
    elif form.validate_on_submit() and _save_allowed(form, event):
        update_event(event, current_user, form.to_data())
        commit()
        flash(_("The event is updated."), "success")
        return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/edit.html", form=form, event=event), 400 if form.errors else 200


@bp.route("/<int:event_id>")
@public
def detail(event_id: int) -> ResponseReturnValue:
    event = _event(event_id)
    organiser = can_organise_event(current_user, event)
    show_participants = organiser or can_see_participants(current_user, event)
    points = action_points(event.id) if is_member(current_user) else []
    return render_template(
        "events/detail.html",
        event=event,
        audiences=describe_audiences(audiences_of(event.id)),
        organiser=organiser,
        answer=my_answer(current_user, event.id),
        may_respond=can_respond_to_event(current_user, event),
        problem=registration_problem(event),
        registered=registered_count(event.id),
        participants=participants(event.id) if show_participants else None,
        points=points,
        updatable={
            p.id for p in points if can_update_action_point(current_user, event, p.owner_kind, p.owner_key)
        },
        owners=describe_audiences([(p.owner_kind, p.owner_key) for p in points]),
        held=event.starts_at <= utcnow(),
        confirm=ConfirmForm(),
        summary_form=SummaryForm(summary=event.summary) if organiser else None,
        point_form=ActionPointForm(organisations=filter_options().organisations) if organiser else None,
        status_form=ActionStatusForm(),
        problems=PROBLEMS,
        documents=attached(current_user, event_id=event.id, everything=organiser),
        attach_url=url_for("documents.new", event=event.id) if organiser else None,
        venue_zone_differs=str(get_timezone()) != event.time_zone,
        venue_time=lambda moment: venue_time(moment, event.time_zone),
    )


@bp.route("/<int:event_id>/register", methods=["POST"])
def register_for(event_id: int) -> ResponseReturnValue:
    event = _event(event_id)
    if not can_respond_to_event(current_user, event) or not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        register(event, current_user)
    except StateError as error:
        flash(PROBLEMS[str(error)](), "error")
        return redirect(url_for("events.detail", event_id=event.id))
    commit()
    flash(_("You are registered."), "success")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.route("/<int:event_id>/decline", methods=["POST"])
def decline_event(event_id: int) -> ResponseReturnValue:
    event = _event(event_id)
    if not can_respond_to_event(current_user, event) or not ConfirmForm().validate_on_submit():
        abort(400)
    decline(event, current_user)
    commit()
    flash(_("You declined this event."), "success")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.route("/<int:event_id>/summary", methods=["POST"])
def summary(event_id: int) -> ResponseReturnValue:
    event = _organised(event_id)
    form = SummaryForm()
    if not form.validate_on_submit():
        flash(_("Write the summary before publishing it."), "error")
        return redirect(url_for("events.detail", event_id=event.id))
    try:
        publish_summary(event, current_user, form.summary.data)
    except StateError as error:
        flash(PROBLEMS[str(error)](), "error")
        return redirect(url_for("events.detail", event_id=event.id))
    commit()
    flash(_("The summary is published."), "success")
    return redirect(url_for("events.detail", event_id=event.id) + "#summary")


@bp.route("/<int:event_id>/action-points", methods=["POST"])
def new_action_point(event_id: int) -> ResponseReturnValue:
    event = _organised(event_id)
    form = ActionPointForm(organisations=filter_options().organisations)
    if not form.validate_on_submit():
        flash(_("An action point needs its text and an owning team."), "error")
        return redirect(url_for("events.detail", event_id=event.id) + "#action-points")
    add_action_point(event, current_user, form.text.data, form.owner(), form.due_on.data)
    commit()
    flash(_("The action point is recorded."), "success")
    return redirect(url_for("events.detail", event_id=event.id) + "#action-points")


@bp.route("/action-points/<int:point_id>", methods=["POST"])
def action_point_status(point_id: int) -> ResponseReturnValue:
    point = db.session.get(ActionPoint, point_id)
    if point is None:
        abort(404)
    event = _event(point.event_id)
    if not can_update_action_point(current_user, event, point.owner_kind, point.owner_key):
        abort(403)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        abort(400)
    set_action_status(point, current_user, form.value())
    commit()
    flash(_("The action point is updated."), "success")
    return redirect(safe_next(request.form.get("next"), "events.index"))


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:event_id>/event.ics")
@public
def ics(event_id: int) -> ResponseReturnValue:
    event = _event(event_id)
    return _ics(calendar([event], event.title), f"event-{event.id}.ics")


@bp.route("/calendar")
def my_calendar() -> ResponseReturnValue:
    token = feed_token(current_user.id)
    address = link("events.feed", token=token) if token else None
    return render_template("events/calendar.html", address=address, confirm=ConfirmForm())


@bp.route("/calendar/new", methods=["POST"])
def calendar_new() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    new_feed(current_user)
    commit()
    flash(_("Your calendar address is ready. Any previous address no longer works."), "success")
    return redirect(url_for("events.my_calendar"))


@bp.route("/calendar/revoke", methods=["POST"])
def calendar_revoke() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    revoke_feed(current_user)
    commit()
    flash(_("Your calendar address no longer works."), "success")
    return redirect(url_for("events.my_calendar"))


@bp.route("/feed/<token>.ics")
@public
def feed(token: str) -> ResponseReturnValue:
    """A member's own events, for calendar programs that cannot sign in: the token is the key."""
    owner = feed_owner(token_hash(token))
    if owner is None or not owner.is_active:
        abort(404)
    events = registered_events(owner.id, since=utcnow() - FEED_HISTORY)
    return _ics(calendar(events, _("R2P network events")), "r2p-events.ics")
