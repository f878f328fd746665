"""Events and organisation seats: seats and the UN office as audiences and action-point owners, and
coordinators organising within their scope through a real grant."""

from __future__ import annotations

import icalendar
from sqlalchemy import select

from r2p_network.events import services
from r2p_network.extensions import db
from r2p_network.models import (
    ActionPoint,
    ActionPointStatus,
    CoordinatorGrant,
    Event,
    EventAudienceKind,
    ScopeKind,
)
from tests.conftest import enrol_two_factor, post_form
from tests.factories import make_member
from tests.test_events import NEXT_YEAR, _client, _event
from tests.test_organisations import make_seat


def _seats():
    return {
        "ecowas": make_seat("ecowas", "ECOWAS focal point", email="seat.ecowas@example.org"),
        "au": make_seat("au", "AU focal point", email="seat.au@example.org"),
        "un": make_seat(None, "UN office focal point", email="seat.un@example.org"),
    }


def _coordinator(kind: ScopeKind, key: str, country: str, email: str):
    user = make_member(country, email=email)
    enrol_two_factor(user)
    db.session.add(CoordinatorGrant(user_id=user.id, scope_kind=kind, scope_key=key))
    db.session.flush()
    return user


EVENT_FORM = {
    "kind": "regional_meeting",
    "title": "ECOWAS early-warning meeting",
    "starts": f"{NEXT_YEAR}-05-04T09:30",
    "ends": f"{NEXT_YEAR}-05-05T16:00",
    "time_zone": "Africa/Lagos",
    "registration_open": "y",
}


def test_organisers_of_a_scope_invite_only_the_seats_within_it(app):
    org_seat = (EventAudienceKind.ORG_SEAT, "ecowas")
    un_office = (EventAudienceKind.UN_OFFICE, "")
    assert services.outside_scope(("network", ""), [org_seat, un_office]) == []
    assert services.outside_scope(("org", "ecowas"), [org_seat]) == []
    assert services.outside_scope(("org", "ecowas"), [(EventAudienceKind.ORG_SEAT, "au")]) == [
        (EventAudienceKind.ORG_SEAT, "au")
    ]
    assert services.outside_scope(("org", "ecowas"), [un_office]) == [un_office]
    # A region or a UN group holds no organisation's seat, and the UN office belongs to no region.
    assert services.outside_scope(("m49", "002"), [org_seat, un_office]) == [org_seat, un_office]
    assert services.outside_scope(("group", "african"), [org_seat]) == [org_seat]


def test_the_form_invites_seats_and_the_page_names_them(app, admin):
    seats = _seats()
    client = _client(app, admin)
    form = {**EVENT_FORM, "scope": "network:", "audience_org_seats": ["au"], "audience_un_office": "y"}
    created = post_form(client, "/events/new", form, form_page="/events/new")
    assert created.status_code == 302, created.get_data(as_text=True)
    event = db.session.scalar(select(Event).where(Event.title == EVENT_FORM["title"]))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Focal points of AU" in page
    assert "UN Office on Genocide Prevention and the Responsibility to Protect" in page
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert '<option selected value="au">' in edit or '<option value="au" selected>' in edit
    assert 'checked id="audience_un_office"' in edit
    assert _client(app, seats["au"]).get(f"/events/{event.id}").status_code == 200
    assert _client(app, seats["un"]).get(f"/events/{event.id}").status_code == 200
    assert _client(app, seats["ecowas"]).get(f"/events/{event.id}").status_code == 404


def test_a_seat_registers_and_finds_the_event_in_its_calendar(app, admin):
    seat = _seats()["au"]
    event = _event(admin, [(EventAudienceKind.ORG_SEAT, "au")], title="AU seat meeting")
    client = _client(app, seat)
    assert client.get(f"/events/{event.id}/event.ics").status_code == 200
    assert post_form(client, f"/events/{event.id}/register", {}).status_code == 302
    post_form(client, "/events/calendar/new", {})
    token = client.get("/events/calendar").get_data(as_text=True).split("/events/feed/")[1].split(".ics")[0]
    feed = app.test_client().get(f"/events/feed/{token}.ics")
    titles = [str(e["summary"]) for e in icalendar.Calendar.from_ical(feed.data).walk("VEVENT")]
    assert titles == ["AU seat meeting"]


def test_action_points_owned_by_a_seat_reach_its_home_page_and_only_it_updates_them(app, admin):
    seats = _seats()
    team = make_member("GHA", email="gha.gov@example.org")
    event = _event(admin, [(EventAudienceKind.NETWORK, "")])
    organiser = _client(app, admin)
    url = f"/events/{event.id}/action-points"
    missing = post_form(organiser, url, {"text": "Without its organisation", "owner_kind": "org_seat"})
    assert missing.status_code == 302 and db.session.scalar(select(ActionPoint)) is None
    for owner in ({"owner_kind": "org_seat", "organisation": "au"}, {"owner_kind": "un_office"}):
        assert (
            post_form(organiser, url, {"text": f"Task for {owner['owner_kind']}", **owner}).status_code == 302
        )
    au_point, un_point = db.session.scalars(select(ActionPoint).order_by(ActionPoint.id)).all()
    assert (au_point.owner_kind, au_point.owner_key) == ("org_seat", "au")
    assert (un_point.owner_kind, un_point.owner_key) == ("un_office", "")
    page = organiser.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Focal points of AU" in page

    browsers = {name: _client(app, user) for name, user in {**seats, "team": team}.items()}
    homes = {name: b.get("/").get_data(as_text=True) for name, b in browsers.items()}
    assert "Task for org_seat" in homes["au"] and "Task for un_office" not in homes["au"]
    assert "Task for un_office" in homes["un"] and "Task for org_seat" not in homes["un"]
    assert "Task for" not in homes["ecowas"] and "Task for" not in homes["team"]
    for name in ("ecowas", "un", "team"):
        refused = post_form(browsers[name], f"/events/action-points/{au_point.id}", {"status": "done"})
        assert refused.status_code == 403, name
    assert (
        post_form(browsers["au"], f"/events/action-points/{au_point.id}", {"status": "done"}).status_code
        == 302
    )
    assert (
        post_form(
            browsers["un"], f"/events/action-points/{un_point.id}", {"status": "in_progress"}
        ).status_code
        == 302
    )
    db.session.refresh(au_point)
    db.session.refresh(un_point)
    assert (au_point.status, un_point.status) == (ActionPointStatus.DONE, ActionPointStatus.IN_PROGRESS)
    assert "Task for org_seat" not in browsers["au"].get("/").get_data(as_text=True)


def test_a_coordinator_organises_within_the_scope_end_to_end(app, admin):
    seats = _seats()
    coordinator = _coordinator(ScopeKind.ORG, "ecowas", "NGA", "coord.ecowas@example.org")
    europe = _coordinator(ScopeKind.M49, "150", "SEN", "coord.europe@example.org")
    participant = make_member("GHA", email="gha.gov@example.org")
    db.session.commit()
    client = _client(app, coordinator)
    assert client.get("/events/new").status_code == 200
    form = {
        **EVENT_FORM,
        "scope": "org:ecowas",
        "audience_orgs": ["ecowas"],
        "audience_org_seats": ["ecowas"],
    }
    for beyond in ({"audience_un_office": "y"}, {"audience_org_seats": ["ecowas", "au"]}):
        refused = post_form(client, "/events/new", {**form, **beyond}, form_page="/events/new")
        assert refused.status_code == 400 and "teams within it only" in refused.get_data(as_text=True)
    # The whole network is not among the coordinator's scopes: the form refuses it.
    assert post_form(client, "/events/new", {**form, "scope": "network:"}).status_code == 400
    assert db.session.scalar(select(Event.id)) is None
    created = post_form(client, "/events/new", form, form_page="/events/new")
    assert created.status_code == 302, created.get_data(as_text=True)
    event = db.session.scalar(select(Event).where(Event.title == EVENT_FORM["title"]))
    assert (event.scope_kind, event.scope_key) == ("org", "ecowas")

    edited = post_form(
        client,
        f"/events/{event.id}/edit",
        {**form, "title": "ECOWAS meeting, day one"},
        form_page=f"/events/{event.id}/edit",
    )
    assert edited.status_code == 302, edited.get_data(as_text=True)
    db.session.refresh(event)
    assert (event.title, event.sequence) == ("ECOWAS meeting, day one", 1)
    for member in (participant, seats["ecowas"]):
        assert post_form(_client(app, member), f"/events/{event.id}/register", {}).status_code == 302
    assert services.registered_count(event.id) == 2
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert participant.name in page and seats["ecowas"].name in page
    points = f"/events/{event.id}/action-points"
    owner = {"owner_kind": "org_seat", "organisation": "ecowas"}
    assert post_form(client, points, {"text": "Circulate the agenda", **owner}).status_code == 302
    point = db.session.scalar(select(ActionPoint))
    assert (
        post_form(client, f"/events/action-points/{point.id}", {"status": "in_progress"}).status_code == 302
    )

    # A coordinator of another region is a member here: invited as Senegal's team, nothing more.
    other = _client(app, europe)
    assert other.get(f"/events/{event.id}").status_code == 200
    assert participant.name not in other.get(f"/events/{event.id}").get_data(as_text=True)
    assert other.get(f"/events/{event.id}/edit").status_code == 403
    assert post_form(other, points, {"text": "Not theirs", **owner}).status_code == 403
    assert post_form(other, f"/events/action-points/{point.id}", {"status": "done"}).status_code == 403
    assert post_form(other, f"/events/{event.id}/summary", {"summary": "x"}).status_code == 403
    # The seats of other organisations and the UN office are not invited at all.
    assert _client(app, seats["au"]).get(f"/events/{event.id}").status_code == 404
    assert _client(app, seats["un"]).get(f"/events/{event.id}").status_code == 404
