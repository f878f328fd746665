"""Cached page parts: the data token, what renews it, and regional views that never go stale."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select, update

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
        # The sign-out form's CSRF token carries a timestamp: two fetches a second apart differ there.
        page = re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", response.get_data(as_text=True))
        return page, len(statements)

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
            one = member_client.get("/regions/m49/011")
        with count_queries() as second:
            two = member_client.get("/regions/m49/011")
        assert one.status_code == two.status_code == 200
        assert "Western Africa" in one.get_data(as_text=True)
        assert one.get_data(as_text=True).split("<main")[1] == two.get_data(as_text=True).split("<main")[1]
        assert len(first) == len(second)  # nothing kept: the second visit builds the view again
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


def test_every_model_says_whether_its_writes_renew_the_token():
    from r2p_network.models.base import Base

    undeclared = [
        mapper.class_.__name__ for mapper in Base.registry.mappers if "renews_data" not in vars(mapper.class_)
    ]
    assert undeclared == []


def test_signing_in_with_a_second_factor_keeps_the_token(app, commits_only):
    from tests.conftest import enrol_two_factor, login

    admin = make_member(None, admin=True)
    enrol_two_factor(admin)
    db.session.commit()
    token = current_token()
    client = app.test_client()
    assert login(client, admin.email).status_code == 302  # password, code, session, audit
    assert client.get("/admin/").status_code == 200
    assert current_token() == token
    # A change that shows on pages still renews it.
    admin.name = "Renamed administrator"
    db.session.commit()
    assert current_token() != token


def _cached_templates() -> set[str]:
    """The templates that routes hand to ``cached``, read from the routes' source."""
    import re
    from pathlib import Path

    names = set()
    for path in Path(__file__).resolve().parent.parent.joinpath("r2p_network").rglob("*.py"):
        names |= set(re.findall(r'cached\(\s*"([^"]+\.html)"', path.read_text(encoding="utf-8")))
    return names


def test_cached_templates_read_nothing_of_the_reader(app):
    """A cached part is shared by every reader of its audience: it must not use who is reading."""
    from jinja2 import meta

    forbidden = {"current_user", "request", "session", "g", "csrf_token", "config"}
    todo = list(_cached_templates())
    assert {"regions/_view_body.html", "regions/_compare_body.html", "capacity/_overview.html"} <= set(todo)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source = app.jinja_loader.get_source(app.jinja_env, name)[0]
        ast = app.jinja_env.parse(source)
        assert not meta.find_undeclared_variables(ast) & forbidden, name
        todo.extend(t for t in meta.find_referenced_templates(ast) if t)
    assert len(seen) > 3  # the included parts were read too


def test_cache_renew_and_search_rebuild_commands(app, commits_only):
    from r2p_network.lessons.services import rebuild_search_index
    from tests.factories import make_lesson

    token = current_token()
    result = app.test_cli_runner().invoke(args=["cache", "renew"])
    assert result.exit_code == 0 and "renewed" in result.output
    db.session.expire_all()
    assert current_token() != token

    make_lesson(make_member("KEN"), title="Rebuilt mediation index")
    db.session.commit()
    from r2p_network.core import search

    search.clear_index()
    db.session.commit()
    assert search.lesson_matches("rebuilt") is not None
    assert not db.session.execute(select(search.lesson_matches("rebuilt"))).all()
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "1 published lessons" in result.output
    assert db.session.execute(select(search.lesson_matches("rebuilt"))).all()
    assert rebuild_search_index() == 1
