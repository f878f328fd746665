"""Administration: dashboard, members, the last-administrator rule and the append-only audit log."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from r2p_network.extensions import db
from r2p_network.models import AccountStatus, AuditEvent, Role, User, UserSession
from tests.conftest import enrol_two_factor, login, post_form
from tests.factories import make_member


def test_dashboard_counts(admin_client, client):
    post_form(
        client,
        "/auth/register",
        {
            "name": "Waiting Person",
            "email": "waiting@example.org",
            "country": "GHA",
            "network": "government",
            "title": "Officer",
            "institution": "Ministry",
            "justification": "Named focal point by the ministry.",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
        form_page="/auth/register",
    )
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "1 request waiting" in page
    assert "access.requested" in page  # recent activity


def test_members_search_and_role_change(admin_client, admin):
    member = make_member("KEN", name="Wanjiru Otieno", email="wanjiru@example.org")
    page = admin_client.get("/admin/users?q=wanjiru").get_data(as_text=True)
    assert "Wanjiru Otieno" in page and "secretariat@example.org" not in page
    response = post_form(
        admin_client,
        f"/admin/users/{member.id}/role",
        {f"u{member.id}-role": "admin"},
        form_page="/admin/users",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).role == Role.ADMIN
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert event.actor_id == admin.id and event.detail == {"before": "focal_point", "after": "admin"}


def test_an_administrator_cannot_remove_their_own_role_or_the_last_administrator(admin_client, admin):
    response = post_form(
        admin_client,
        f"/admin/users/{admin.id}/role",
        {f"u{admin.id}-role": "focal_point"},
        form_page="/admin/users",
        follow_redirects=True,
    )
    assert "cannot remove your own administrator role" in response.get_data(as_text=True)
    response = post_form(
        admin_client,
        f"/admin/users/{admin.id}/deactivate",
        {},
        form_page="/admin/users",
        follow_redirects=True,
    )
    assert "last active administrator cannot be deactivated" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_admin


def test_another_administrator_can_be_deactivated(app, admin_client):
    second = make_member(None, admin=True, email="second-admin@example.org")
    enrol_two_factor(second)
    db.session.commit()
    second_client = app.test_client()
    login(second_client, second.email)
    assert second_client.get("/admin/").status_code == 200
    post_form(admin_client, f"/admin/users/{second.id}/deactivate", {}, form_page="/admin/users")
    db.session.expire_all()
    assert db.session.get(User, second.id).status == AccountStatus.DEACTIVATED
    assert second_client.get("/admin/").status_code == 302  # signed out at once
    assert db.session.scalars(select(UserSession).where(UserSession.user_id == second.id)).all() == []


def test_deactivation_keeps_content_and_reactivation_restores_access(app, admin_client, member):
    member_client = app.test_client()
    login(member_client, member.email)
    post_form(admin_client, f"/admin/users/{member.id}/deactivate", {}, form_page="/admin/users")
    assert member_client.get("/profile").status_code == 302
    assert login(app.test_client(), member.email).status_code == 403
    assert db.session.get(User, member.id) is not None
    post_form(admin_client, f"/admin/users/{member.id}/reactivate", {}, form_page="/admin/users")
    assert login(app.test_client(), member.email).status_code == 302
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.deactivated", "user.reactivated"} <= actions


def test_admin_sends_a_reset_link(admin_client, member, outbox):
    post_form(admin_client, f"/admin/users/{member.id}/send-reset", {}, form_page="/admin/users")
    assert outbox[-1].to == [member.email] and "/auth/reset/" in outbox[-1].body


def test_audit_log_filters_and_export(admin_client, admin, client, member):
    login(client, member.email, "wrong password!!")
    login(client, member.email)
    page = admin_client.get("/admin/audit?action=login.").get_data(as_text=True)
    assert "login.failed" in page and "login.succeeded" in page
    page = admin_client.get(f"/admin/audit?actor={member.email}&action=login.failed").get_data(as_text=True)
    assert '<p role="status">1 event</p>' in page and "<code>login.failed</code></td>" in page
    assert "No event matches" in admin_client.get("/admin/audit?date_to=2000-01-01").get_data(as_text=True)
    response = admin_client.get("/admin/audit/export.csv?action=login.")
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert {r["action"] for r in rows} >= {"login.failed", "login.succeeded"}
    assert all(r["action"].startswith("login.") for r in rows)
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.audit")).actor_id == admin.id
    )


def test_audit_log_keeps_no_secrets(client, member):
    login(client, member.email, "my secret guess 123")
    login(client, "nobody@example.org", "another secret guess")
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("login.%"))))
    assert len(events) >= 2  # both failures are recorded...
    for event in events:  # ...without the passwords or the unknown address
        text = repr(event.detail)
        assert "secret guess" not in text and "nobody@example.org" not in text


def test_audit_rows_cannot_be_changed_or_deleted(client, member):
    login(client, member.email)
    event_id = db.session.scalar(select(AuditEvent.id))
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(action="tampered"))
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
    assert db.session.get(AuditEvent, event_id).action == "login.succeeded"


def test_members_are_notified_in_the_app(app, admin_client, member):
    from r2p_network.models import CapacityEntry, CapacitySubmission, Notification, SubmissionStatus

    submission = CapacitySubmission(
        country_iso3="GHA",
        network=member.profile.network,
        cycle=2026,
        status=SubmissionStatus.SUBMITTED,
        created_by_id=member.id,
    )
    db.session.add(submission)
    db.session.flush()
    db.session.add(CapacityEntry(submission_id=submission.id, category_id=1, status="has", maturity=2))
    db.session.commit()
    post_form(
        admin_client,
        f"/capacity/submissions/{submission.id}/return",
        {f"n{submission.id}-note": "Add contacts."},
        form_page="/capacity/verification",
    )
    post_form(admin_client, f"/admin/users/{member.id}/reset-2fa", {}, form_page="/admin/users")
    client = app.test_client()
    login(client, member.email)
    home = client.get("/").get_data(as_text=True)
    assert '2<span class="visually-hidden"> unread' in home
    page = client.get("/notifications/").get_data(as_text=True)
    assert "was returned: Add contacts." in page and "reset your two-factor sign-in" in page
    post_form(client, "/notifications/read", {}, form_page="/notifications/")
    assert db.session.scalars(select(Notification).where(Notification.read_at.is_(None))).all() == []
    assert "unread" not in client.get("/").get_data(as_text=True)


def test_publish_a_template_version_with_validation_and_preview(admin_client):
    from r2p_network.models import TemplateVersion

    page = admin_client.get("/admin/templates/national-strategy")
    assert page.status_code == 200 and "Risk factor 14" in page.get_data(as_text=True)
    bad = post_form(
        admin_client,
        "/admin/templates/national-strategy",
        {"definition": "{not json"},
        form_page="/admin/templates/national-strategy",
    )
    assert bad.status_code == 400 and "The definition is not valid" in bad.get_data(as_text=True)
    incomplete = json.dumps(
        {
            "schema": 1,
            "sections": [
                {
                    "key": "a",
                    "element": 1,
                    "title": "A",
                    "questions": [{"key": "q", "type": "long_text", "label": "Q"}],
                }
            ],
        }
    )
    response = post_form(
        admin_client,
        "/admin/templates/national-strategy",
        {"definition": incomplete},
        form_page="/admin/templates/national-strategy",
    )
    assert response.status_code == 400 and "four elements" in response.get_data(as_text=True)
    latest = db.session.scalar(select(TemplateVersion).order_by(TemplateVersion.number.desc()))
    definition = dict(latest.definition, title="Revised national strategy")
    preview = post_form(
        admin_client,
        "/admin/templates/national-strategy",
        {"definition": json.dumps(definition)},
        form_page="/admin/templates/national-strategy",
    )
    assert "Preview of version 2" in preview.get_data(as_text=True)
    assert db.session.scalar(select(TemplateVersion).order_by(TemplateVersion.number.desc())).number == 1
    post_form(
        admin_client,
        "/admin/templates/national-strategy",
        {"definition": json.dumps(definition), "publish": "1"},
        form_page="/admin/templates/national-strategy",
    )
    newest = db.session.scalar(select(TemplateVersion).order_by(TemplateVersion.number.desc()))
    assert newest.number == 2 and newest.definition["title"] == "Revised national strategy"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "template.published")) is not None


def test_edit_regional_memberships(admin_client):
    from r2p_network.models import Membership

    path = "/admin/bodies/ecowas"
    assert "Ghana" in admin_client.get(path).get_data(as_text=True)
    bad = post_form(
        admin_client,
        path,
        {"country": "BFA", "status": "observer", "as_of": "2026-06-01", "source": ""},
        form_page=path,
    )
    assert bad.status_code == 400
    post_form(
        admin_client,
        path,
        {"country": "BFA", "status": "observer", "as_of": "2026-06-01", "source": "ECOWAS summit communiqué"},
        form_page=path,
    )
    saved = db.session.scalar(
        select(Membership).where(Membership.body_slug == "ecowas", Membership.country_iso3 == "BFA")
    )
    assert saved.status.value == "observer" and saved.source == "ECOWAS summit communiqué"
    post_form(admin_client, f"{path}/members/{saved.id}/remove", {}, form_page=path)
    assert db.session.scalar(select(Membership).where(Membership.id == saved.id)) is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"reference.membership_saved", "reference.membership_removed"} <= actions


def test_extend_and_withdraw_capacity_categories(admin_client, member_client):
    from r2p_network.models import CapacityCategory

    post_form(
        admin_client,
        "/admin/capacity-categories",
        {
            "name": "Genocide memorial education",
            "definition": "Teaching the history of past atrocities.",
            "active": "y",
        },
        form_page="/admin/capacity-categories",
    )
    category = db.session.scalar(
        select(CapacityCategory).where(CapacityCategory.name == "Genocide memorial education")
    )
    assert category.slug == "genocide-memorial-education" and category.active
    assert "Genocide memorial education" in member_client.get("/capacity/").get_data(as_text=True)
    post_form(
        admin_client,
        f"/admin/capacity-categories/{category.id}",
        {"name": category.name, "definition": category.definition},
        form_page=f"/admin/capacity-categories/{category.id}",
    )
    db.session.expire_all()
    assert db.session.get(CapacityCategory, category.id).active is False
