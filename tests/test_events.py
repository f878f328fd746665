"""Meetings and events: audiences, organisers, registration, iCalendar, calendar feeds, action points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from r2p_network.events import services
from r2p_network.events.services import EventData
from r2p_network.extensions import db
from r2p_network.models import (
    ActionPoint,
    ActionPointStatus,
    AuditEvent,
    Document,
    Event,
    EventAudience,
    EventAudienceKind,
    EventKind,
    Network,
    utcnow,
)
from r2p_network.permissions import Scope
from tests.conftest import count_queries, login, post_form
from tests.factories import make_member
from tests.test_organisations import make_seat

NEXT_YEAR = utcnow().year + 1


def _event(organiser, audiences, **overrides) -> Event:
    values = {
        "kind": EventKind.REGIONAL_MEETING,
        "title": "Regional meeting of focal points",
        "starts": datetime(NEXT_YEAR, 3, 10, 9, 0),
        "ends": datetime(NEXT_YEAR, 3, 11, 17, 0),
        "time_zone": "Africa/Accra",
        "audiences": audiences,
        "place": "Accra",
        "registration_open": True,
    }
    values.update(overrides)
    return services.create_event(organiser, EventData(**values))


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def people(app, admin):
    """Members of several teams, and their signed-in browsers."""
    users = {
        "gha_gov": make_member("GHA", email="gha.gov@example.org"),
        "gha_cs": make_member("GHA", Network.CIVIL_SOCIETY, email="gha.cs@example.org"),
        "per_gov": make_member("PER", email="per.gov@example.org"),
        "fra_parl": make_member("FRA", Network.PARLIAMENT, email="fra.parl@example.org"),
        "ecowas_seat": make_seat("ecowas", "ECOWAS focal point", email="seat.ecowas@example.org"),
        "au_seat": make_seat("au", "AU focal point", email="seat.au@example.org"),
        "un_office": make_seat(None, "UN office focal point", email="seat.un@example.org"),
        "admin": admin,
    }
    return users


def _browsers(app, people):
    return {name: _client(app, user) for name, user in people.items()} | {"anonymous": app.test_client()}


# Who sees an event addressed to each audience (organisers, here the administrator, always do).
SEATS = {"ecowas_seat", "au_seat", "un_office"}
AUDIENCE_MATRIX = [
    (
        (EventAudienceKind.PUBLIC, ""),
        {"anonymous", "gha_gov", "gha_cs", "per_gov", "fra_parl", "admin"} | SEATS,
    ),
    ((EventAudienceKind.NETWORK, ""), {"gha_gov", "gha_cs", "per_gov", "fra_parl", "admin"} | SEATS),
    ((EventAudienceKind.NETWORK_KIND, "government"), {"gha_gov", "per_gov", "admin"}),
    ((EventAudienceKind.M49, "011"), {"gha_gov", "gha_cs", "admin"}),  # Western Africa
    ((EventAudienceKind.M49, "002"), {"gha_gov", "gha_cs", "admin"}),  # Africa
    ((EventAudienceKind.GROUP, "latin-american-caribbean"), {"per_gov", "admin"}),
    ((EventAudienceKind.ORG, "ecowas"), {"gha_gov", "gha_cs", "admin"}),
    ((EventAudienceKind.TEAM, "GHA:civil_society"), {"gha_cs", "admin"}),
    ((EventAudienceKind.TEAM, "FRA:parliament"), {"fra_parl", "admin"}),
    # An organisation's seat is its own focal points, not the teams of its member States (and they
    # are not invited as one of those teams).
    ((EventAudienceKind.ORG_SEAT, "ecowas"), {"ecowas_seat", "admin"}),
    ((EventAudienceKind.ORG_SEAT, "au"), {"au_seat", "admin"}),
    ((EventAudienceKind.UN_OFFICE, ""), {"un_office", "admin"}),
]


@pytest.mark.parametrize(("audience", "readers"), AUDIENCE_MATRIX, ids=lambda v: str(v))
def test_event_visibility_per_audience_and_role(app, people, audience, readers):
    event = _event(people["admin"], [audience], title="CANARY meeting")
    for name, client in _browsers(app, people).items():
        detail = client.get(f"/events/{event.id}")
        listing = client.get("/events/").get_data(as_text=True)
        ics = client.get(f"/events/{event.id}/event.ics")
        if name in readers:
            assert detail.status_code == 200, name
            assert "CANARY meeting" in listing, name
            assert ics.status_code == 200, name
        else:
            assert detail.status_code == 404, name
            assert "CANARY" not in listing, name
            assert ics.status_code == 404, name


def test_registered_participants_keep_seeing_an_event_whose_audience_changed(app, people):
    event = _event(people["admin"], [(EventAudienceKind.NETWORK, "")])
    services.register(event, people["per_gov"])
    db.session.execute(EventAudience.__table__.delete().where(EventAudience.event_id == event.id))
    db.session.add(EventAudience(event_id=event.id, kind=EventAudienceKind.TEAM, key="GHA:government"))
    db.session.flush()
    browsers = _browsers(app, people)
    assert browsers["per_gov"].get(f"/events/{event.id}").status_code == 200
    assert browsers["fra_parl"].get(f"/events/{event.id}").status_code == 404


def test_only_organisers_create_and_edit_events(app, people):
    browsers = _browsers(app, people)
    assert browsers["gha_gov"].get("/events/new").status_code == 403
    assert browsers["anonymous"].get("/events/new").status_code == 302
    form = {
        "kind": "regional_meeting",
        "title": "West African regional meeting",
        "description": "**Agenda** to follow.",
        "starts": f"{NEXT_YEAR}-05-04T09:30",
        "ends": f"{NEXT_YEAR}-05-05T16:00",
        "time_zone": "Africa/Lagos",
        "place": "Abuja",
        "languages": ["en", "fr"],
        "scope": "network:",
        "audience_orgs": ["ecowas"],
        "registration_open": "y",
        "capacity": "40",
    }
    refused = post_form(browsers["gha_gov"], "/events/new", form)
    assert refused.status_code == 403
    created = post_form(browsers["admin"], "/events/new", form, form_page="/events/new")
    assert created.status_code == 302, created.get_data(as_text=True)
    event = db.session.scalar(select(Event).where(Event.title == "West African regional meeting"))
    # 09:30 in Lagos (UTC+1) is 08:30 UTC.
    assert event.starts_at == datetime(NEXT_YEAR, 5, 4, 8, 30, tzinfo=UTC)
    assert event.time_zone == "Africa/Lagos"
    assert "<strong>Agenda</strong>" in event.description_html
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "event.create")) is not None
    # A member who may see it may not edit it.
    assert browsers["gha_gov"].get(f"/events/{event.id}/edit").status_code == 403
    assert browsers["per_gov"].get(f"/events/{event.id}/edit").status_code == 404
    assert browsers["admin"].get(f"/events/{event.id}/edit").status_code == 200


def test_event_form_requires_an_audience_and_an_end_after_the_start(app, admin_client):
    response = post_form(
        admin_client,
        "/events/new",
        {
            "kind": "webinar",
            "title": "Webinar",
            "starts": f"{NEXT_YEAR}-05-04T09:30",
            "ends": f"{NEXT_YEAR}-05-04T08:30",
            "time_zone": "UTC",
            "scope": "network:",
        },
        form_page="/events/new",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The end cannot be before the start." in page


def test_a_scope_the_organiser_does_not_hold_is_refused(app, admin_client):
    response = post_form(
        admin_client,
        "/events/new",
        {
            "kind": "webinar",
            "title": "Webinar",
            "starts": f"{NEXT_YEAR}-05-04T09:30",
            "ends": f"{NEXT_YEAR}-05-04T10:30",
            "time_zone": "UTC",
            "scope": "m49:002",
            "audience_network": "y",
        },
        form_page="/events/new",
    )
    assert response.status_code == 400  # not a choice offered to this organiser


def test_a_regional_scope_allows_only_its_own_audiences(app, people):
    assert services.outside_scope(("m49", "002"), [(EventAudienceKind.M49, "002")]) == []
    assert services.outside_scope(("m49", "002"), [(EventAudienceKind.TEAM, "GHA:government")]) == []
    assert services.outside_scope(("m49", "002"), [(EventAudienceKind.TEAM, "PER:government")]) == [
        (EventAudienceKind.TEAM, "PER:government")
    ]
    assert services.outside_scope(("org", "ecowas"), [(EventAudienceKind.NETWORK, "")]) == [
        (EventAudienceKind.NETWORK, "")
    ]


def test_registration_respects_capacity(app, people):
    event = _event(people["admin"], [(EventAudienceKind.NETWORK, "")], capacity=1)
    browsers = _browsers(app, people)
    first = post_form(browsers["gha_gov"], f"/events/{event.id}/register", {})
    assert first.status_code == 302
    second = post_form(browsers["per_gov"], f"/events/{event.id}/register", {}, follow_redirects=True)
    assert "This event is full." in second.get_data(as_text=True)
    assert services.registered_count(event.id) == 1
    # Declining frees the place.
    post_form(browsers["gha_gov"], f"/events/{event.id}/decline", {})
    assert services.registered_count(event.id) == 0
    post_form(browsers["per_gov"], f"/events/{event.id}/register", {})
    assert services.registered_count(event.id) == 1


def test_registration_respects_deadline_closure_and_start(app, people):
    member = people["gha_gov"]
    late = _event(
        people["admin"], [(EventAudienceKind.NETWORK, "")], deadline=datetime(NEXT_YEAR, 3, 1, 12, 0)
    )
    with pytest.raises(services.StateError, match="deadline"):
        services.register(late, member, now=datetime(NEXT_YEAR, 3, 1, 12, 1, tzinfo=ZoneInfo("Africa/Accra")))
    services.register(late, member, now=datetime(NEXT_YEAR, 3, 1, 11, 59, tzinfo=ZoneInfo("Africa/Accra")))
    closed = _event(people["admin"], [(EventAudienceKind.NETWORK, "")], registration_open=False)
    with pytest.raises(services.StateError, match="closed"):
        services.register(closed, member)
    past = _event(
        people["admin"],
        [(EventAudienceKind.NETWORK, "")],
        starts=datetime(2020, 1, 1, 9, 0),
        ends=datetime(2020, 1, 1, 10, 0),
    )
    with pytest.raises(services.StateError, match="started"):
        services.register(past, member)


def test_members_who_cannot_see_an_event_cannot_register(app, people):
    event = _event(people["admin"], [(EventAudienceKind.TEAM, "GHA:government")])
    browsers = _browsers(app, people)
    assert post_form(browsers["per_gov"], f"/events/{event.id}/register", {}).status_code == 404
    assert services.registered_count(event.id) == 0


def test_participants_list_is_for_participants_and_organisers(app, people):
    event = _event(people["admin"], [(EventAudienceKind.NETWORK, "")])
    services.register(event, people["gha_cs"])
    browsers = _browsers(app, people)
    name = people["gha_cs"].name
    assert name in browsers["gha_cs"].get(f"/events/{event.id}").get_data(as_text=True)
    assert name in browsers["admin"].get(f"/events/{event.id}").get_data(as_text=True)
    assert name not in browsers["per_gov"].get(f"/events/{event.id}").get_data(as_text=True)


def test_icalendar_file_has_the_place_time_zone(app, people):
    event = _event(
        people["admin"],
        [(EventAudienceKind.PUBLIC, "")],
        time_zone="America/Lima",
        starts=datetime(NEXT_YEAR, 7, 1, 9, 0),
        ends=datetime(NEXT_YEAR, 7, 1, 12, 30),
        description="Bring *the* report.",
    )
    response = app.test_client().get(f"/events/{event.id}/event.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    zones = [tz["TZID"] for tz in cal.walk("VTIMEZONE")]
    assert zones == ["America/Lima"]
    (entry,) = cal.walk("VEVENT")
    start = entry.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "America/Lima"
    assert (start.hour, start.minute) == (9, 0)
    assert start == datetime(NEXT_YEAR, 7, 1, 14, 0, tzinfo=UTC)  # Lima is UTC-5
    assert entry.decoded("dtend") == datetime(NEXT_YEAR, 7, 1, 17, 30, tzinfo=UTC)
    assert str(entry["summary"]) == event.title
    assert "Bring the report." in str(entry["description"])
    assert "TZID=America/Lima" in response.get_data(as_text=True)


def test_times_show_in_the_member_time_zone(app, people):
    member = people["gha_gov"]
    member.time_zone = "Asia/Tokyo"
    db.session.flush()
    event = _event(
        people["admin"], [(EventAudienceKind.NETWORK, "")], starts=datetime(NEXT_YEAR, 3, 10, 9, 0)
    )
    page = _client(app, member).get(f"/events/{event.id}").get_data(as_text=True)
    assert "6:00:00" in page  # 09:00 in Accra (UTC) is 18:00 in Tokyo
    assert "Japan" in page and "Ghana" in page  # the member's zone, and the place's local time


def test_calendar_feed_tokens_are_private_and_revocable(app, people):
    member = people["gha_gov"]
    mine = _event(people["admin"], [(EventAudienceKind.NETWORK, "")], title="Registered meeting")
    other = _event(people["admin"], [(EventAudienceKind.NETWORK, "")], title="Other meeting")
    services.register(mine, member)
    client = _client(app, member)
    assert client.get("/events/calendar").status_code == 200
    post_form(client, "/events/calendar/new", {})
    page = client.get("/events/calendar").get_data(as_text=True)
    token = page.split("/events/feed/")[1].split(".ics")[0]
    anonymous = app.test_client()
    feed = anonymous.get(f"/events/feed/{token}.ics")
    assert feed.status_code == 200
    titles = [str(e["summary"]) for e in icalendar.Calendar.from_ical(feed.data).walk("VEVENT")]
    assert titles == ["Registered meeting"] and other.title not in titles
    # A new address replaces the old one; revoking stops it.
    post_form(client, "/events/calendar/new", {})
    assert anonymous.get(f"/events/feed/{token}.ics").status_code == 404
    newer = client.get("/events/calendar").get_data(as_text=True).split("/events/feed/")[1].split(".ics")[0]
    assert anonymous.get(f"/events/feed/{newer}.ics").status_code == 200
    post_form(client, "/events/calendar/revoke", {})
    assert anonymous.get(f"/events/feed/{newer}.ics").status_code == 404
    assert anonymous.get("/events/feed/guess.ics").status_code == 404
    assert "calendar_feed.revoke" in {e.action for e in db.session.scalars(select(AuditEvent))}


def test_summary_and_action_points_reach_the_team_home_page(app, people):
    held = _event(
        people["admin"],
        [(EventAudienceKind.NETWORK, "")],
        kind=EventKind.ANNUAL_MEETING,
        title="Annual meeting",
        starts=datetime(2025, 6, 1, 9, 0),
        ends=datetime(2025, 6, 2, 17, 0),
    )
    browsers = _browsers(app, people)
    assert post_form(browsers["gha_gov"], f"/events/{held.id}/summary", {"summary": "x"}).status_code == 403
    post_form(browsers["admin"], f"/events/{held.id}/summary", {"summary": "The network *agreed*."})
    assert "<em>agreed</em>" in browsers["per_gov"].get(f"/events/{held.id}").get_data(as_text=True)
    response = post_form(
        browsers["admin"],
        f"/events/{held.id}/action-points",
        {
            "text": "Share the national action plan",
            "country": "GHA",
            "network": "government",
            "due_on": "2026-12-31",
        },
    )
    assert response.status_code == 302
    point = db.session.scalar(select(ActionPoint))
    assert point.owner_key == "GHA:government"
    assert "Share the national action plan" in browsers["gha_gov"].get("/").get_data(as_text=True)
    assert "Share the national action plan" not in browsers["gha_cs"].get("/").get_data(as_text=True)
    # Another team may not move it along; the owning team may.
    assert (
        post_form(browsers["per_gov"], f"/events/action-points/{point.id}", {"status": "done"}).status_code
        == 403
    )
    done = post_form(
        browsers["gha_gov"], f"/events/action-points/{point.id}", {"status": "done", "next": "/"}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/"
    db.session.refresh(point)
    assert point.status == ActionPointStatus.DONE
    assert "Share the national action plan" not in browsers["gha_gov"].get("/").get_data(as_text=True)


def test_a_summary_waits_until_the_event_has_begun(app, people):
    event = _event(people["admin"], [(EventAudienceKind.NETWORK, "")])
    with pytest.raises(services.StateError, match="not_held"):
        services.publish_summary(event, people["admin"], "Too early")


def test_event_list_runs_a_constant_number_of_queries(app, people):
    client = _client(app, people["gha_gov"])
    _event(people["admin"], [(EventAudienceKind.NETWORK, "")])
    client.get("/events/")
    with count_queries() as few:
        client.get("/events/")
    for n in range(5):
        event = _event(
            people["admin"], [(EventAudienceKind.NETWORK, ""), (EventAudienceKind.M49, "011")], title=f"M{n}"
        )
        services.register(event, people["gha_cs"])
    with count_queries() as many:
        client.get("/events/")
    assert len(many) == len(few)


def test_times_are_stored_in_utc(app, people):
    event = _event(people["admin"], [(EventAudienceKind.NETWORK, "")], time_zone="Asia/Tokyo")
    assert event.starts_at == datetime(NEXT_YEAR, 3, 10, 0, 0, tzinfo=UTC)
    assert event.starts_at.astimezone(ZoneInfo("Asia/Tokyo")).hour == 9
    assert services.at_place(event.starts_at, "Asia/Tokyo") == datetime(NEXT_YEAR, 3, 10, 9, 0)
    assert event.ends_at - event.starts_at == timedelta(days=1, hours=8)


def test_demo_meetings(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_STORAGE_PATH", str(tmp_path))
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo password for tests"])
    assert result.exit_code == 0, result.output
    events = {e.kind: e for e in db.session.scalars(select(Event))}
    annual = events[EventKind.ANNUAL_MEETING]
    assert annual.ends_at < utcnow() and annual.summary_html
    owners = db.session.execute(
        select(ActionPoint.owner_kind, ActionPoint.owner_key).where(ActionPoint.event_id == annual.id)
    ).all()
    assert ("team", "GHA:government") in owners and ("org_seat", "au") in owners
    regional = events[EventKind.REGIONAL_MEETING]
    assert regional.starts_at > utcnow() and services.registered_count(regional.id) >= 2
    invited = db.session.execute(
        select(EventAudience.kind, EventAudience.key).where(EventAudience.event_id == regional.id)
    ).all()
    assert set(invited) == {(EventAudienceKind.ORG, "ecowas"), (EventAudienceKind.ORG_SEAT, "ecowas")}
    assert EventKind.WEBINAR in events
    documents = db.session.scalars(select(Document)).all()
    assert {d.content_type for d in documents} >= {"application/pdf"}
    assert all((tmp_path / d.storage_key[:2] / d.storage_key).exists() for d in documents)
    # Seeding again adds nothing.
    app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo password for tests"])
    assert len(db.session.scalars(select(Event)).all()) == 3


def test_an_organiser_of_a_region_works_within_it(app, people, monkeypatch):
    """How coordinators will work: ORGANISE_EVENTS held over one M49 region only."""
    from r2p_network import permissions
    from r2p_network.models import Role
    from tests.conftest import enrol_two_factor

    grants = {
        **permissions.ROLE_GRANTS,
        Role.FOCAL_POINT: ((permissions.Capability.ORGANISE_EVENTS, Scope("m49", "002")),),
    }
    monkeypatch.setattr(permissions.core, "ROLE_GRANTS", grants)
    coordinator = people["gha_gov"]
    enrol_two_factor(coordinator)
    client = _client(app, coordinator)
    form = {
        "kind": "training",
        "title": "African training",
        "starts": f"{NEXT_YEAR}-05-04T09:30",
        "ends": f"{NEXT_YEAR}-05-04T16:00",
        "time_zone": "Africa/Nairobi",
        "scope": "m49:002",
        "audience_network": "y",
    }
    refused = post_form(client, "/events/new", form, form_page="/events/new")
    assert refused.status_code == 400
    assert "teams within it only" in refused.get_data(as_text=True)
    created = post_form(
        client,
        "/events/new",
        {**form, "audience_network": "", "audience_regions": ["002"]},
        form_page="/events/new",
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    mine = db.session.scalar(select(Event).where(Event.title == "African training"))
    assert (mine.scope_kind, mine.scope_key) == ("m49", "002")
    assert client.get(f"/events/{mine.id}/edit").status_code == 200
    network_wide = _event(people["admin"], [(EventAudienceKind.NETWORK, "")])
    assert client.get(f"/events/{network_wide.id}/edit").status_code == 403
    # The secretariat edits the coordinator's event and may keep its scope.
    edited = post_form(
        _client(app, people["admin"]),
        f"/events/{mine.id}/edit",
        {**form, "audience_network": "", "audience_regions": ["002"], "title": "African training, day one"},
        form_page=f"/events/{mine.id}/edit",
    )
    assert edited.status_code == 302, edited.get_data(as_text=True)
    db.session.refresh(mine)
    assert (mine.title, mine.scope_key, mine.sequence) == ("African training, day one", "002", 1)
    # Peru's focal points are outside the region's audience.
    assert _client(app, people["per_gov"]).get(f"/events/{mine.id}").status_code == 404
