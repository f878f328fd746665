"""Cached page parts: the data token, what renews it, and regional views that never go stale."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from r2p_network.core import audit
from r2p_network.core.fragments import FragmentStore, current_token
from r2p_network.extensions import db
from r2p_network.models import Country, SubmissionStatus
from tests.conftest import _ConnectionBoundSession, _flush_stands_for_commit, count_queries, post_form
from tests.factories import make_member
from tests.test_capacity import make_map


@pytest.fixture
def commits_only():
    """Turn off the tests' "a flush stands for a commit": only real commits renew the token."""
    event.remove(_ConnectionBoundSession, "after_flush_postexec", _flush_stands_for_commit)
    try:
        yield
    finally:
        event.listen(_ConnectionBoundSession, "after_flush_postexec", _flush_stands_for_commit)


def test_store_keeps_one_token_and_a_bounded_size():
    store = FragmentStore(limit=10)
    store.put("t1", "a", "12345")
    store.put("t1", "b", "6789")
    assert store.get("t1", "a") == "12345"
    assert store.get("t2", "a") is None  # another state of the data
    store.put("t1", "c", "abcd")  # 13 characters: "b", the least recently used, goes
    assert store.get("t1", "b") is None
    assert store.get("t1", "a") == "12345" and store.get("t1", "c") == "abcd"
    store.put("t1", "huge", "x" * 11)  # larger than the whole store: not kept
    assert store.get("t1", "huge") is None and store.get("t1", "a") == "12345"
    store.put("t2", "a", "new")  # a new token empties the store
    assert store.get("t2", "a") == "new" and store.get("t2", "c") is None and store.get("t1", "a") is None


def test_commits_that_change_data_renew_the_token(app, commits_only):
    token = current_token()
    assert len(token) == 32
    make_member("GHA")
    assert current_token() == token  # flushed, not committed yet
    db.session.commit()
    renewed = current_token()
    assert renewed != token
    # Bulk statements skip the flush but count too.
    db.session.execute(update(Country).where(Country.iso3 == "GHA").values(latitude=Country.latitude))
    db.session.commit()
    assert current_token() != renewed


def test_bookkeeping_and_rolled_back_changes_keep_the_token(app, commits_only):
    token = current_token()
    audit.record("export.capacity", actor_id=None, format="csv")
    db.session.commit()
    assert current_token() == token
    savepoint = db.session.begin_nested()
    make_member("GHA")
    savepoint.rollback()
    db.session.rollback()
    db.session.commit()
    assert current_token() == token


def test_a_cached_view_runs_fewer_queries_and_shows_the_same(member_client, anonymous_client):
    make_map("GHA", 2026, [("mediation", "offers", 3)])

    def fetch(client, path="/regions/m49/011"):
        with count_queries() as statements:
            response = client.get(path)
        assert response.status_code == 200
        return response.get_data(as_text=True), len(statements)

    first, built = fetch(member_client)
    again, served = fetch(member_client)
    assert again == first and served < built
    # Visitors who are not members get their own part, without what only members see.
    public, _n = fetch(anonymous_client)
    assert "National strategies" in first and "National strategies" not in public
    # Each language and each map colouring is its own part.
    french, _n = fetch(member_client, "/regions/m49/011?lang=fr")
    mapped, _n = fetch(member_client, "/regions/m49/011?capacity=mediation")
    assert "Map: focal-point coverage" in first and "Map: Mediation" in mapped
    assert french != first


def test_views_follow_changes_made_through_the_pages(member_client, admin_client, commits_only):
    submission = make_map("SEN", 2026, [("mediation", "offers", 4)], status=SubmissionStatus.SUBMITTED)
    db.session.commit()
    before = member_client.get("/regions/m49/011?capacity=mediation").get_data(as_text=True)
    assert "Senegal: Can offer to others" not in before
    post_form(
        admin_client, f"/capacity/submissions/{submission.id}/verify", {}, form_page="/capacity/verification"
    )
    after = member_client.get("/regions/m49/011?capacity=mediation").get_data(as_text=True)
    assert "Senegal: Can offer to others" in after


@pytest.fixture
def anonymous_client(app):
    return app.test_client()


def test_caching_can_be_turned_off(app, member_client):
    store = app.extensions["fragments"]
    limit, store.limit = store.limit, 0
    try:
        with count_queries() as first:
            member_client.get("/regions/m49/011")
        with count_queries() as second:
            member_client.get("/regions/m49/011")
        assert len(first) == len(second)
    finally:
        store.limit = limit


def test_the_comparison_follows_the_data(member_client):
    def with_focal_points() -> str:
        page = member_client.get("/regions/compare").get_data(as_text=True)
        return page.split("With focal points</th>")[1].split("</tr>")[0]

    before = with_focal_points()
    assert with_focal_points() == before  # served from the store
    make_member("BRA")
    assert with_focal_points() != before
