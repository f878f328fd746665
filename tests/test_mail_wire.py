"""News of events, assistance requests and peer reviews: each digest holds exactly what its reader
may read when it is sent (canaries for outsiders), unsubscribe works per kind, assistance email is
never sent twice, and the public events feed hides network-only events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from r2p_network.assessments.sharing_services import withdraw_share
from r2p_network.assistance.services import Action, RequestData, create_request, take_step
from r2p_network.extensions import db
from r2p_network.mail import digests
from r2p_network.mail.services import unsubscribe_token
from r2p_network.models import (
    AssessmentVersion,
    AudienceKind,
    CapacityEntry,
    CapacityStatus,
    EventAudienceKind,
    Frequency,
    Network,
    Notification,
    NotificationPreference,
    OutboxMessage,
    VersionShare,
    Visibility,
    utcnow,
)
from r2p_network.reviews.services import add_comment, invite_reviewer, reply
from tests.conftest import post_form
from tests.factories import make_assessment, make_member
from tests.test_capacity import make_map
from tests.test_events import _event
from tests.test_mail_news import _news_for, _parse_feed, _pref, _titles

NEWS_KINDS = ("events", "assistance", "reviews")


def _since():
    return utcnow() - timedelta(days=1, minutes=1)


def _digest(app, people, kind, frequency=Frequency.DAILY) -> dict[str, str]:
    """Give each of *people* a due preference for *kind*, run the worker's job, and return the
    body of each one's message (absent: no message)."""
    for user in people.values():
        _pref(user, kind, frequency, _since())
    with app.test_request_context("/"):
        digests.send_due(utcnow())
    found = {}
    for name, user in people.items():
        messages = _news_for(user)
        assert len(messages) <= 1, name
        if messages:
            assert messages[0].headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            found[name] = messages[0].text_body + messages[0].html_body
    return found


# --- events ------------------------------------------------------------------------------------


@pytest.fixture
def events(app, admin):
    """A network meeting, one for Ghana's government team, and canaries for France's parliament
    and for a meeting that is already over, all organised by the administrator."""
    people = {
        "gha_gov": make_member("GHA"),
        "per_gov": make_member("PER"),
        "fra_parl": make_member("FRA", Network.PARLIAMENT),
        "organiser": admin,
    }
    network = _event(admin, [(EventAudienceKind.NETWORK, "")], title="Network meeting on early warning")
    ghana = _event(admin, [(EventAudienceKind.TEAM, "GHA:government")], title="Ghana team briefing")
    _event(admin, [(EventAudienceKind.TEAM, "FRA:parliament")], title="CANARY French parliament hearing")
    _event(
        admin,
        [(EventAudienceKind.NETWORK, "")],
        title="CANARY meeting already over",
        starts=utcnow().replace(tzinfo=None) - timedelta(days=3),
        ends=utcnow().replace(tzinfo=None) - timedelta(days=2),
        time_zone="UTC",
    )
    _event(admin, [(EventAudienceKind.PUBLIC, "")], title="Public webinar on prevention")
    return people, network, ghana


def test_an_events_digest_holds_the_new_events_each_member_may_see(app, events):
    people, _network, _ghana = events
    bodies = _digest(app, {k: v for k, v in people.items() if k != "fra_parl"}, "events")
    assert (
        "Network meeting on early warning" in bodies["gha_gov"] and "Ghana team briefing" in bodies["gha_gov"]
    )
    assert "Public webinar on prevention" in bodies["per_gov"]
    assert "Ghana team briefing" not in bodies["per_gov"]  # outside its audience
    assert "Accra" in bodies["gha_gov"]  # the place, and the time there
    for body in bodies.values():
        assert "CANARY" not in body
    assert "organiser" not in bodies  # what one organised is no news to them: no message at all


def test_an_event_moved_out_of_a_members_audience_is_left_out_at_sending_time(app, events):
    people, _network, ghana = events
    from r2p_network.models import EventAudience

    db.session.execute(EventAudience.__table__.delete().where(EventAudience.event_id == ghana.id))
    db.session.add(EventAudience(event_id=ghana.id, kind=EventAudienceKind.TEAM, key="PER:government"))
    db.session.flush()
    bodies = _digest(app, {"gha_gov": people["gha_gov"], "per_gov": people["per_gov"]}, "events")
    assert "Ghana team briefing" not in bodies["gha_gov"] and "Ghana team briefing" in bodies["per_gov"]


def test_the_public_events_feed_hides_network_only_events(app, client, events):
    response = client.get("/feeds/events.atom")
    assert response.status_code == 200 and response.content_type.startswith("application/atom+xml")
    titles = _titles(_parse_feed(response.data))
    assert titles == {"Public webinar on prevention"}
    page = client.get("/events/").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml"' in page and page.count("/feeds/events.atom") == 2


def test_a_private_feed_lists_the_events_its_member_may_see(app, client, events):
    from tests.conftest import login

    people, _network, _ghana = events
    login(client, people["gha_gov"].email)
    post_form(client, "/account/feed", {}, form_page="/account/notifications")
    page = client.get("/account/notifications").get_data(as_text=True)
    address = page.split("/feeds/private/")[1].split(".atom")[0]
    titles = _titles(_parse_feed(app.test_client().get(f"/feeds/private/{address}.atom").data))
    assert {
        "Network meeting on early warning",
        "Ghana team briefing",
        "Public webinar on prevention",
    } <= titles
    assert "CANARY French parliament hearing" not in titles


# --- assistance requests -----------------------------------------------------------------------


@pytest.fixture
def assistance(app, db_session):
    """Ghana asks Denmark for early warning; Denmark accepts. Each team has a second member;
    Kenya's focal point is outside the request."""
    make_map("GHA", 2026, [("early-warning", "needs", 1, "Warning desk")])
    denmark = make_map("DNK", 2026, [("early-warning", "offers", 4, "Danish desk")])
    people = {
        "asker": make_member("GHA"),
        "asker_mate": make_member("GHA"),
        "giver": make_member("DNK"),
        "giver_mate": make_member("DNK"),
        "outsider": make_member("KEN"),
    }
    offer = db.session.scalar(
        select(CapacityEntry).where(
            CapacityEntry.submission_id == denmark.id, CapacityEntry.status == CapacityStatus.OFFERS
        )
    )
    with app.test_request_context("/"):
        request = create_request(people["asker"], offer, RequestData("Train our warning desk", "", "", None))
        take_step(request, people["giver"], Action.ACCEPT)
    return people, request


def test_an_assistance_digest_tells_each_team_what_others_did(app, assistance):
    people, _request = assistance
    bodies = _digest(app, people, "assistance", Frequency.IMMEDIATE)
    assert "A new request to your team" in bodies["giver"] and "Now: Accepted" not in bodies["giver"]
    assert "A new request to your team" in bodies["giver_mate"] and "Now: Accepted" in bodies["giver_mate"]
    for name in ("asker", "asker_mate"):
        assert "Now: Accepted" in bodies[name] and "A new request" not in bodies[name]
        assert "Train our warning desk" in bodies[name]
    assert "outsider" not in bodies  # canary: a team outside the request hears nothing


def test_assistance_is_told_in_the_app_and_emailed_only_as_news(app, assistance):
    people, _request = assistance
    # The steps themselves wrote no email: news (at once by default) is the one message.
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert {n.kind for n in db.session.scalars(select(Notification))} == {
        "assistance_requested",
        "assistance_changed",
    }
    with app.test_request_context("/"):
        digests.send_due(utcnow())  # first seen: defaults start now
    assert db.session.get(NotificationPreference, (people["giver"].id, "assistance")).frequency == (
        Frequency.IMMEDIATE
    )


def test_a_member_who_left_the_team_hears_no_more_of_its_requests(app, assistance):
    people, _request = assistance
    people["giver_mate"].profile.in_post = False
    db.session.flush()
    bodies = _digest(app, {"giver_mate": people["giver_mate"]}, "assistance", Frequency.IMMEDIATE)
    assert bodies == {}


# --- peer reviews ------------------------------------------------------------------------------


@pytest.fixture
def review(app, db_session):
    """Ghana's government team invites Kenya's to review its private version; Kenya comments,
    Ghana replies. Côte d'Ivoire's focal point is outside the review."""
    people = {
        "ghana": make_member("GHA"),
        "ghana_mate": make_member("GHA"),
        "kenya": make_member("KEN"),
        "outsider": make_member("CIV"),
    }
    assessment = make_assessment("GHA", title="Ghana strategy 2027", versions=[({}, Visibility.PRIVATE)])
    version = db.session.scalar(
        select(AssessmentVersion).where(AssessmentVersion.assessment_id == assessment.id)
    )
    with app.test_request_context("/"):
        found = invite_reviewer(assessment, version, (AudienceKind.TEAM, "KEN:government"), people["ghana"])
        comment = add_comment(found, assessment, people["kenya"], "rf01", "CANARY comment text")
        reply(found, assessment, comment, people["ghana"], "CANARY reply text")
    return people, assessment


def test_a_reviews_digest_holds_invitations_comments_and_replies_for_the_two_sides(app, review):
    people, _assessment = review
    bodies = _digest(app, people, "reviews")
    assert "An invitation to review version 1 (Ghana)" in bodies["kenya"]
    assert "A reply on version 1" in bodies["kenya"] and "A new comment" not in bodies["kenya"]
    assert "A new comment on version 1 (Ghana)" in bodies["ghana"] and "A reply" not in bodies["ghana"]
    assert "A new comment" in bodies["ghana_mate"] and "A reply" in bodies["ghana_mate"]
    assert "An invitation" not in bodies["ghana_mate"]
    assert "Ghana strategy 2027" in bodies["ghana_mate"]
    for body in bodies.values():
        assert "CANARY" not in body  # the review's text stays on the site
    assert "outsider" not in bodies


def test_a_reviewer_whose_share_was_withdrawn_hears_nothing_more(app, review):
    people, assessment = review
    share = db.session.scalar(select(VersionShare))
    with app.test_request_context("/"):
        withdraw_share(assessment, share, people["ghana"])
    db.session.flush()
    bodies = _digest(app, {"kenya": people["kenya"], "ghana_mate": people["ghana_mate"]}, "reviews")
    assert "kenya" not in bodies and "A new comment" in bodies["ghana_mate"]


# --- preferences and unsubscribe -----------------------------------------------------------------


def test_the_new_kinds_are_on_the_preferences_page_and_unsubscribe_once_each(
    app, client, member_client, member
):
    page = member_client.get("/account/notifications").get_data(as_text=True)
    for label in ("New events", "Assistance requests", "Peer reviews"):
        assert label in page
    for kind in NEWS_KINDS:
        _pref(member, kind, Frequency.DAILY, utcnow())
    for kind in NEWS_KINDS:
        with app.test_request_context("/"):
            token = unsubscribe_token(member.id, kind)
        assert (
            client.post(f"/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}).status_code
            == 200
        )
        assert db.session.get(NotificationPreference, (member.id, kind)).frequency == Frequency.OFF
        assert client.post(f"/mail/unsubscribe/{token}").status_code == 410
    assert db.session.get(NotificationPreference, (member.id, "lessons")) is None  # untouched


def test_new_kinds_are_skipped_when_empty(app, member):
    for kind in NEWS_KINDS:
        _pref(member, kind, Frequency.IMMEDIATE, _since())
    with app.test_request_context("/"):
        assert digests.send_due(utcnow()) == 0
