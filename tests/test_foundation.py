"""Wiring, schema, reference data, operations and the command-line tasks."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from config import ConfigurationError, load
from r2p_network.core.search import include_object
from r2p_network.extensions import db
from r2p_network.models import (
    BodyKind,
    Country,
    Flag,
    FocalPointProfile,
    Lesson,
    LessonComment,
    LessonTag,
    LessonTheme,
    Membership,
    MembershipStatus,
    RegionalBody,
    Role,
    UNStatus,
    User,
)
from r2p_network.permissions import is_public_endpoint
from tests.conftest import example_path, post_form

PUBLIC_ENDPOINTS = {
    "static",
    "main.index",
    "main.healthz",
    "main.set_language",
    "countries.network",
    "assessments.version",
    "assessments.version_pdf",
    "assessments.compare",
    "lessons.index",
    "lessons.detail",
    "lessons.translation",
    "lessons.cross_regional",
    "events.index",
    "events.detail",
    "events.ics",
    "events.feed",
    "documents.index",
    "documents.detail",
    "documents.download",
    "regions.index",
    "regions.detail",
    "regions.detail_data",
    "regions.compare",
    "auth.login",
    "auth.logout",
    "auth.register",
    "auth.register_done",
    "auth.reset_request",
    "auth.reset_password",
    "auth.second_factor",
    "operations.prometheus_metrics",
    "mail.unsubscribe_link",
    "mail.public_lessons_feed",
    "mail.public_events_feed",
    "mail.private_feed",
}


def test_public_allow_list_is_exactly_what_we_expect(app):
    with app.test_request_context():
        public = {rule.endpoint for rule in app.url_map.iter_rules() if is_public_endpoint(rule.endpoint)}
    assert public == PUBLIC_ENDPOINTS


def test_every_non_public_route_sends_anonymous_visitors_to_sign_in(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = example_path(rule)
        if "GET" in rule.methods:
            response = client.get(path)
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/auth/login?next="), path
            assert client.get(path, headers={"Accept": "application/json"}).status_code == 401, path
        else:
            response = post_form(client, path, {})
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/auth/login"), path
        checked += 1
    assert checked >= 3


def test_every_admin_route_refuses_focal_points(app, member_client):
    admin_rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.") or hasattr(app.view_functions[rule.endpoint], "required_check")
    ]
    assert admin_rules
    for rule in admin_rules:
        path = example_path(rule)
        response = member_client.get(path) if "GET" in rule.methods else post_form(member_client, path, {})
        assert response.status_code == 403, path


def test_migrations_build_the_same_schema_as_the_models(app):
    context = MigrationContext.configure(db.session.connection(), opts={"include_object": include_object})
    differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_files_use_write_ahead_logging_and_foreign_keys(tmp_path):
    from r2p_network import create_app

    app = create_app(
        {"CONFIG_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/r2p.sqlite"}
    )
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


def test_foreign_keys_are_enforced(app):
    from r2p_network.models import FocalPointProfile, Network

    user = User(email="fk@example.org", name="FK", password_hash="x")
    db.session.add(user)
    db.session.flush()
    db.session.add(FocalPointProfile(user_id=user.id, country_iso3="ZZZ", network=Network.GOVERNMENT))
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        db.session.flush()
    db.session.rollback()


def test_reference_counts():
    count = lambda stmt: db.session.scalar(select(func.count()).select_from(stmt.subquery()))  # noqa: E731
    assert count(select(Country).where(Country.un_status == UNStatus.MEMBER)) == 193
    assert set(db.session.scalars(select(Country.iso3).where(Country.un_status == UNStatus.OBSERVER))) == {
        "VAT",
        "PSE",
    }
    assert count(select(RegionalBody).where(RegionalBody.kind == BodyKind.UN_GROUP)) == 5
    assert count(select(RegionalBody).where(RegionalBody.kind == BodyKind.ORGANISATION)) == 13


def test_reference_spot_checks():
    ghana = db.session.get(Country, "GHA")
    assert (ghana.iso2, ghana.m49) == ("GH", "288")
    assert (ghana.region_code, ghana.subregion_code, ghana.intermediate_code) == ("002", "202", "011")
    assert ghana.name("fr") == "Ghana" and ghana.name("zh") == "加纳"
    assert db.session.get(Country, "CIV").name("en") == "Côte d'Ivoire"

    def members(slug: str, status: MembershipStatus | None = MembershipStatus.MEMBER) -> set[str]:
        stmt = select(Membership.country_iso3).where(Membership.body_slug == slug)
        if status:
            stmt = stmt.where(Membership.status == status)
        return set(db.session.scalars(stmt))

    assert "GHA" in members("ecowas") and "GHA" in members("au")
    # Burkina Faso, Mali and Niger left ECOWAS in January 2025.
    assert not {"BFA", "MLI", "NER"} & members("ecowas", None)
    assert "MLI" in members("au", MembershipStatus.SUSPENDED)
    assert len(members("eu")) == 27
    assert "TLS" in members("asean")
    group_sizes = {
        slug: len(members(slug))
        for slug in (
            "african",
            "asia-pacific",
            "eastern-european",
            "latin-american-caribbean",
            "western-european-others",
        )
    }
    assert group_sizes == {
        "african": 54,
        "asia-pacific": 55,
        "eastern-european": 23,
        "latin-american-caribbean": 33,
        "western-european-others": 28,
    }
    assert "USA" in members("western-european-others", MembershipStatus.OBSERVER)
    assert "TUR" in members("western-european-others") and "TUR" in members("asia-pacific", None)
    assert {"KIR", "PSE"} <= members("asia-pacific")
    # Every Member State but the United States (an observer in its group), and the State of
    # Palestine, sit in exactly one group as a full member.
    full = db.session.execute(
        select(Membership.country_iso3, func.count())
        .join(RegionalBody, RegionalBody.slug == Membership.body_slug)
        .where(RegionalBody.kind == BodyKind.UN_GROUP, Membership.status == MembershipStatus.MEMBER)
        .group_by(Membership.country_iso3)
    ).all()
    assert len(full) == 193 and all(n == 1 for _, n in full)


def test_reference_load_is_idempotent(app):
    from r2p_network.reference import load_reference_data

    assert load_reference_data(db.session) == {
        "regions": 0,
        "countries": 0,
        "bodies": 0,
        "memberships": 0,
        "instruments": 0,
        "capacity categories": 0,
        "lesson themes": 0,
        "templates": 0,
    }


def test_region_names_are_the_official_m49_names_in_the_users_language():
    from r2p_network.core.geography import region_name

    assert region_name("011", "Western Africa", "fr") == "Afrique occidentale"
    assert region_name("002", "Africa", "ar") == "أفريقيا"
    assert region_name("999", "Fallback", "en") == "Fallback"


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}


def test_error_pages_leak_nothing(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and "Traceback" not in page

    from r2p_network import create_app
    from r2p_network.permissions import public

    other = create_app("testing")

    @other.route("/boom")
    @public
    def boom():
        raise RuntimeError("secret-internal-detail")

    response = other.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "secret-internal-detail" not in response.get_data(as_text=True)


def test_request_body_limit(app, client):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    assert client.post("/auth/login", data={"email": big}).status_code == 413


def test_landing_page_counts_countries_and_shows_no_personal_data(client):
    from tests.factories import make_member

    make_member("GHA", name="Visible Name", email="visible@example.org")
    make_member("KEN")
    make_member("KEN")
    page = client.get("/").get_data(as_text=True)
    assert "<strong>2</strong>" in page
    assert "Visible Name" not in page and "visible@example.org" not in page
    assert "Request access" in page


def test_language_menu_switches_language_and_country_names(client):
    response = post_form(client, "/language", {"lang": "fr", "next": "/auth/register"}, form_page="/")
    assert response.headers["Location"] == "/auth/register"
    page = client.get("/auth/register").get_data(as_text=True)
    assert 'lang="fr"' in page
    assert "Allemagne" in page  # Germany, named from the reference data
    post_form(client, "/language", {"lang": "ar", "next": "/"}, form_page="/")
    assert 'dir="rtl"' in client.get("/").get_data(as_text=True)


def test_language_menu_refuses_open_redirects(client):
    response = post_form(client, "/language", {"lang": "es", "next": "https://evil.example/"}, form_page="/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    response = post_form(client, "/language", {"lang": "fr", "next": "/network?x=1"}, form_page="/")
    assert response.status_code == 302 and response.headers["Location"] == "/network?x=1"


def test_production_refuses_to_start_without_secrets(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY, DATABASE_URL"):
        load("production")
    monkeypatch.setenv("SECRET_KEY", "short")
    monkeypatch.setenv("DATABASE_URL", "postgresql://localhost/r2p")
    monkeypatch.setenv("BASE_URL", "https://r2p.example.org")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", "OeP0lCAg9eydXPBmDaNC_aAhhvnFOmwmhnupe0z7BvE=")
    with pytest.raises(ConfigurationError, match="32 characters"):
        load("production")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert load("production").SESSION_COOKIE_SECURE is True


def test_session_cookie_flags(client, member):
    from tests.conftest import login

    response = login(client, member.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "chief@example.org", "--password", "short"])
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    result = runner.invoke(
        args=["create-admin", "chief@example.org", "--password", "a long admin passphrase"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chief@example.org"))
    assert user.role == Role.ADMIN and user.is_active


def test_create_admin_prompts_for_the_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "prompted@example.org"],
        input="a long admin passphrase\na long admin passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "prompted@example.org")).is_admin


def test_seed_demo_is_idempotent_and_covers_every_region(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--password", "demo password for tests"])
    assert result.exit_code == 0, result.output
    assert "demo password for tests" in result.output
    again = runner.invoke(args=["seed-demo", "--password", "demo password for tests"])
    assert (
        "0 accounts, 0 treaty records, 0 assessments, 0 capacity maps, 0 lessons and 0 events added"
        in again.output
    )

    def emails(prefix: str) -> list[str]:
        return list(db.session.scalars(select(User.email).where(User.email.like(f"{prefix}.%@example.org"))))

    government = emails("fp")
    assert len(government) >= 40
    assert "fp.crc@example.org" in government  # Costa Rica's deputy, under the code people often type
    for iso3 in ("gha", "dnk", "cri", "aus", "ken", "gin", "kgz", "civ", "che", "idn", "bra", "phl"):
        assert f"fp.{iso3}@example.org" in government
    assert len(emails("cs")) >= 10 and len(emails("mp")) >= 5
    regions = db.session.scalars(
        select(Country.region_code)
        .distinct()
        .join(FocalPointProfile, Country.iso3 == FocalPointProfile.country_iso3)
    ).all()
    assert set(regions) == {"002", "009", "019", "142", "150"}
    assert db.session.scalar(select(User).where(User.email == "admin@example.org")).is_admin
    pending = db.session.scalar(select(func.count()).select_from(User).where(User.status == "pending"))
    assert pending == 1

    lessons = db.session.scalars(select(Lesson)).all()
    assert len(lessons) >= 30
    assert {lesson.status.value for lesson in lessons} == {
        "draft",
        "submitted",
        "changes_requested",
        "published",
        "rejected",
    }
    assert any(lesson.revision_status for lesson in lessons)  # an edit waits too
    tags = db.session.execute(select(LessonTag.kind, LessonTag.value)).all()
    assert {value for kind, value in tags if kind == "theme"} == set(
        db.session.scalars(select(LessonTheme.slug))
    )
    assert {"002", "009", "019", "142", "150"} <= {value for kind, value in tags if kind == "area"}
    assert db.session.scalar(select(func.count()).select_from(LessonComment)) >= 5
    assert db.session.scalar(select(func.count()).select_from(Flag).where(Flag.resolved_at.is_(None))) == 1


def test_seed_demo_generates_a_password_when_none_is_given(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "(generated)" in result.output
