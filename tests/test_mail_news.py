"""What each member hears about: preferences, digests that respect visibility at sending time,
one-click unsubscribe, and Atom feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import select

from r2p_network.capacity.services import refresh_current_maps
from r2p_network.extensions import db
from r2p_network.mail import digests
from r2p_network.mail.services import unsubscribe_token
from r2p_network.models import (
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Frequency,
    Lesson,
    Network,
    NotificationPreference,
    OutboxMessage,
    SubmissionStatus,
    Visibility,
    utcnow,
)
from tests.conftest import login, post_form
from tests.factories import make_lesson, make_member

ATOM = "{http://www.w3.org/2005/Atom}"


def _pref(user, kind, frequency, since, **filters) -> NotificationPreference:
    row = NotificationPreference(
        user_id=user.id, kind=kind, frequency=frequency, filters=filters, digested_until=since
    )
    db.session.add(row)
    db.session.flush()
    return row


def _news_for(user) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == user.email, OutboxMessage.kind == "news")
        )
    )


def _map(iso3, entries, decided_at):
    submission = CapacitySubmission(
        country_iso3=iso3,
        network=Network.GOVERNMENT,
        cycle=2026,
        status=SubmissionStatus.VERIFIED,
        decided_at=decided_at,
    )
    db.session.add(submission)
    db.session.flush()
    for slug, status, description, restricted in entries:
        category = db.session.scalar(select(CapacityCategory).where(CapacityCategory.slug == slug))
        db.session.add(
            CapacityEntry(
                submission_id=submission.id,
                category_id=category.id,
                status=CapacityStatus(status),
                maturity=3,
                description=description,
                restricted=restricted,
            )
        )
    db.session.flush()
    refresh_current_maps((iso3, Network.GOVERNMENT))
    return submission


@pytest.fixture
def news(app, member):
    """Since yesterday: a network lesson, a public one, a private draft and a hidden one (canaries),
    a lesson outside the reader's chosen countries, and Senegal's offers with a restricted need."""
    since = utcnow() - timedelta(days=1, minutes=1)
    author = make_member("KEN")
    with app.test_request_context("/"):
        network = make_lesson(author, visibility="network", title="Network lesson about Kenya")
        public = make_lesson(author, visibility="public", title="Public lesson about Kenya")
        draft = make_lesson(author, status="draft", title="CANARY draft lesson private to its author")
        hidden = make_lesson(author, title="CANARY hidden lesson")
        elsewhere = make_lesson(author, title="Lesson about Chile only", countries=["CHL"])
    hidden.hidden_at = utcnow()
    _map("GHA", [("early-warning", "needs", "Our own need", False)], utcnow() - timedelta(days=30))
    _map(
        "SEN",
        [
            ("early-warning", "offers", "Senegal early-warning offer", False),
            ("training", "needs", "CANARY restricted need", True),
            ("training", "offers", "Senegal training offer (not needed by Ghana)", False),
        ],
        utcnow() - timedelta(hours=2),
    )
    db.session.flush()
    return {"since": since, "network": network, "public": public, "draft": draft, "elsewhere": elsewhere}


def test_a_daily_digest_holds_exactly_what_the_reader_may_read(app, member, news):
    _pref(member, "lessons", Frequency.DAILY, news["since"], countries=["KEN"])
    _pref(member, "offers", Frequency.DAILY, news["since"])
    with app.test_request_context("/"):
        assert digests.send_due(utcnow()) == 2
    messages = {m.subject: m for m in _news_for(member)}
    lessons = messages["Your daily digest: New lessons"]
    offers = messages["Your daily digest: Offers matching your team's needs"]
    assert (
        "Network lesson about Kenya" in lessons.text_body and "Public lesson about Kenya" in lessons.text_body
    )
    assert "Chile" not in lessons.text_body  # outside the chosen countries
    assert "Senegal early-warning offer" in offers.text_body
    assert "training offer" not in offers.text_body and "Our own need" not in offers.text_body
    for message in messages.values():
        assert "CANARY" not in message.text_body and "CANARY" not in message.html_body
        assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert (
            message.headers["List-Unsubscribe"].startswith("<http")
            and "/mail/unsubscribe/" in message.text_body
        )


def test_visibility_is_checked_when_the_digest_is_sent(app, member, news):
    _pref(member, "lessons", Frequency.WEEKLY, news["since"] - timedelta(days=7))
    news["network"].hidden_at = utcnow()  # hidden after publication, before the digest
    db.session.flush()
    with app.test_request_context("/"):
        digests.send_due(utcnow())
    (message,) = _news_for(member)
    assert "Network lesson about Kenya" not in message.text_body and "Public lesson" in message.text_body


def test_a_digest_is_skipped_when_empty_and_waits_for_its_period(app, member, news):
    _pref(member, "lessons", Frequency.DAILY, utcnow() - timedelta(hours=1))  # not due yet
    _pref(member, "offers", Frequency.OFF, news["since"])
    with app.test_request_context("/"):
        assert digests.send_due(utcnow()) == 0
        pref = db.session.get(NotificationPreference, (member.id, "lessons"))
        pref.digested_until = utcnow() - timedelta(days=1, seconds=1)
        pref.filters = {"countries": ["FRA"]}  # nothing new there
        assert digests.send_due(utcnow()) == 0
    assert _news_for(member) == []
    assert db.session.get(NotificationPreference, (member.id, "lessons")).digested_until > news["since"]


def test_members_seen_first_get_defaults_that_start_now(app, member, news):
    with app.test_request_context("/"):
        assert digests.send_due(utcnow()) == 0
    pref = db.session.get(NotificationPreference, (member.id, "lessons"))
    assert pref.frequency == Frequency.WEEKLY


def test_immediate_news_goes_out_at_the_workers_next_round(app, member, news, outbox):
    from r2p_network.operations import worker

    member.language = "fr"
    _pref(member, "lessons", Frequency.IMMEDIATE, news["since"], themes=["elections"])
    # The worker runs with an application context only, no request.
    done = worker.run_jobs(now=utcnow() + timedelta(days=30))
    assert "1 news messages queued" in done["news-and-digests"]
    (message,) = _news_for(member)
    assert message.lang == "fr" and "Network lesson about Kenya" in message.text_body
    assert message.status.value == "sent"  # MAIL_SEND_IN_APP, as in development
    assert outbox[-1].to == [member.email] and outbox[-1].extra_headers["List-Unsubscribe-Post"]


def test_unsubscribe_works_once_per_kind_and_cannot_be_forged(app, client, member):
    _pref(member, "lessons", Frequency.DAILY, utcnow())
    _pref(member, "offers", Frequency.DAILY, utcnow())
    with app.test_request_context("/"):
        token = unsubscribe_token(member.id, "lessons")
    page = client.get(f"/mail/unsubscribe/{token}")
    assert page.status_code == 200 and "New lessons" in page.get_data(as_text=True)
    # One click: the mail client posts without a session or a CSRF token (RFC 8058).
    done = client.post(f"/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert db.session.get(NotificationPreference, (member.id, "lessons")).frequency == Frequency.OFF
    assert db.session.get(NotificationPreference, (member.id, "offers")).frequency == Frequency.DAILY
    assert client.post(f"/mail/unsubscribe/{token}").status_code == 410
    assert client.get(f"/mail/unsubscribe/{token}").status_code == 410
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.post(f"/mail/unsubscribe/{forged}").status_code == 404
    with app.test_request_context("/"):
        from itsdangerous import URLSafeTimedSerializer

        other_key = URLSafeTimedSerializer("not the site's key", salt="unsubscribe").dumps(
            {"u": member.id, "k": "offers", "n": "x"}
        )
    assert client.post(f"/mail/unsubscribe/{other_key}").status_code == 404
    assert db.session.get(NotificationPreference, (member.id, "offers")).frequency == Frequency.DAILY


def test_preferences_page_saves_frequency_and_filters(member_client, member):
    page = member_client.get("/account/notifications").get_data(as_text=True)
    assert "Account messages" in page and "In a weekly digest" in page
    response = post_form(
        member_client,
        "/account/notifications",
        {"lessons_frequency": "daily", "lessons_countries": ["KEN", "GHA"], "offers_frequency": "off"},
        form_page="/account/notifications",
    )
    assert response.status_code == 302
    lessons = db.session.get(NotificationPreference, (member.id, "lessons"))
    assert lessons.frequency == Frequency.DAILY and sorted(lessons.filters["countries"]) == ["GHA", "KEN"]
    assert db.session.get(NotificationPreference, (member.id, "offers")).frequency == Frequency.OFF


def test_preferences_need_a_signed_in_member(client):
    assert client.get("/account/notifications").status_code == 302


def _parse_feed(body: bytes) -> ET.Element:
    root = ET.fromstring(body)  # noqa: S314  (our own feed, in a test)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    return root


def _titles(root: ET.Element) -> set[str]:
    return {entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")}


def test_the_public_feed_validates_and_hides_network_only_lessons(client, news):
    response = client.get("/feeds/lessons.atom")
    assert response.status_code == 200 and response.content_type.startswith("application/atom+xml")
    titles = _titles(_parse_feed(response.data))
    assert "Public lesson about Kenya" in titles
    assert "Network lesson about Kenya" not in titles and not any("CANARY" in t for t in titles)


def test_a_private_feed_shows_what_its_member_may_read_until_revoked(
    app, member_client, client, member, news
):
    post_form(member_client, "/account/feed", {}, form_page="/account/notifications")
    page = member_client.get("/account/notifications").get_data(as_text=True)
    address = page.split("/feeds/private/")[1].split(".atom")[0]
    feed = client.get(f"/feeds/private/{address}.atom")
    titles = _titles(_parse_feed(feed.data))
    assert {"Network lesson about Kenya", "Public lesson about Kenya"} <= titles
    assert not any("CANARY" in t for t in titles)
    assert client.get("/feeds/private/not-a-token.atom").status_code == 404
    post_form(member_client, "/account/feed/revoke", {}, form_page="/account/notifications")
    assert client.get(f"/feeds/private/{address}.atom").status_code == 404


def test_a_deactivated_members_feed_closes(app, member_client, client, member):
    from r2p_network.models import AccountStatus

    post_form(member_client, "/account/feed", {}, form_page="/account/notifications")
    address = (
        member_client.get("/account/notifications")
        .get_data(as_text=True)
        .split("/feeds/private/")[1]
        .split(".atom")[0]
    )
    member.status = AccountStatus.DEACTIVATED
    db.session.flush()
    assert client.get(f"/feeds/private/{address}.atom").status_code == 404


def test_feeds_and_unsubscribe_need_no_session_but_preferences_do(client, member):
    assert client.get("/feeds/lessons.atom").status_code == 200
    login(client, member.email)
    assert client.get("/account/notifications").status_code == 200
    _ = Lesson, Visibility  # the canaries above use both


def test_the_preferences_page_runs_a_constant_number_of_queries(member_client, member):
    from tests.conftest import count_queries

    with count_queries() as before:
        assert member_client.get("/account/notifications").status_code == 200
    for kind in ("lessons", "offers"):
        _pref(member, kind, Frequency.DAILY, utcnow(), countries=["GHA", "SEN", "KEN"])
    with count_queries() as after:
        assert member_client.get("/account/notifications").status_code == 200
    assert len(after) == len(before) <= 15
