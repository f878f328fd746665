"""Regional coordinators: a role over one scope, granted and revoked by administrators, read from
the grants table once per request; within the scope they decide, outside it they are members."""

from __future__ import annotations

from sqlalchemy import select

from r2p_network import permissions
from r2p_network.extensions import db
from r2p_network.models import AuditEvent, CoordinatorGrant, ScopeKind, SubmissionStatus, Visibility
from r2p_network.permissions import Capability, Scope
from tests.conftest import count_queries, enrol_two_factor, login, post_form
from tests.factories import make_assessment, make_lesson, make_member
from tests.test_permissions import _capacity_map, _pending_request


def _coordinator(kind: ScopeKind, key: str, *, two_factor: bool = True, country: str = "GHA"):
    user = make_member(country)
    if two_factor:
        enrol_two_factor(user)
    db.session.add(CoordinatorGrant(user_id=user.id, scope_kind=kind, scope_key=key))
    db.session.flush()
    return user


def _signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_a_coordinator_holds_the_coordinator_capabilities_inside_the_scope_only(app):
    africa = _coordinator(ScopeKind.M49, "002")
    ecowas = _coordinator(ScopeKind.ORG, "ecowas")
    db.session.commit()
    with app.test_request_context():
        from flask import g

        g.second_factor_passed = True
        for capability in permissions.COORDINATOR_CAPABILITIES:
            assert permissions.holds(africa, capability, Scope.country("KEN"))
            assert permissions.holds(africa, capability, Scope("m49", "011"))  # Western Africa, inside 002
            assert not permissions.holds(africa, capability, Scope.country("FRA"))
            assert not permissions.holds(africa, capability)  # not the whole network
            assert permissions.holds(ecowas, capability, Scope.country("SEN"))
            assert not permissions.holds(ecowas, capability, Scope.country("KEN"))
        for capability in set(Capability) - set(permissions.COORDINATOR_CAPABILITIES):
            assert not permissions.holds_anywhere(africa, capability)
        # Grants are read once per request: asking again runs no query.
        with count_queries() as statements:
            assert permissions.holds(africa, Capability.MODERATE_LESSONS, Scope.country("KEN"))
            assert permissions.grants(africa)
        assert statements == []


def test_a_coordinator_needs_the_second_factor(app):
    coordinator = _coordinator(ScopeKind.M49, "002", two_factor=False)
    db.session.commit()
    client = _signed_in(app, coordinator)
    response = client.get("/admin/moderation")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/2fa/setup")


def test_queues_show_a_coordinator_only_the_items_in_their_scope(app):
    coordinator = _coordinator(ScopeKind.M49, "002")
    author = make_member("KEN")
    inside = make_lesson(author, status="submitted", title="Lesson from Kenya", countries=["KEN"])
    make_lesson(author, status="submitted", title="Lesson from France", countries=["FRA"])
    nigeria = _capacity_map("NGA", SubmissionStatus.SUBMITTED, "Nigeria map to verify")
    _capacity_map("FRA", SubmissionStatus.SUBMITTED, "France map to verify")
    kenya_request = _pending_request("KEN", "Applicant from Kenya")
    france_request = _pending_request("FRA", "Applicant from France")
    db.session.commit()
    client = _signed_in(app, coordinator)

    start = client.get("/admin/").get_data(as_text=True)
    assert "Moderation queue" in start and "Audit log" not in start and "Reference data" not in start
    assert "1 request waiting" in start and "1 map waiting" in start
    queue = client.get("/admin/moderation").get_data(as_text=True)
    assert "Lesson from Kenya" in queue and "Lesson from France" not in queue
    assert "Nigeria" in queue and "France" not in queue
    opened = client.get(f"/admin/moderation?open=capacity-{nigeria.id}").get_data(as_text=True)
    assert "Nigeria map to verify" in opened
    requests = client.get("/admin/access-requests").get_data(as_text=True)
    assert "Applicant from Kenya" in requests and "Applicant from France" not in requests
    reject = {f"r{france_request.id}-reason": "Not a focal point."}
    assert post_form(client, f"/admin/access-requests/{france_request.id}/reject", reject).status_code == 404
    assert client.get(f"/lessons/{inside.id}").status_code == 200
    assert post_form(client, f"/capacity/submissions/{nigeria.id}/verify", {}).status_code == 302
    for closed in ("/admin/users", "/admin/audit", "/admin/coordinators", "/admin/templates"):
        assert client.get(closed).status_code in (403, 404), closed
    assert kenya_request.id


def test_a_coordinator_never_reads_an_assessment_not_shared_with_them(app):
    coordinator = _coordinator(ScopeKind.M49, "002", country="FRA")
    assessment = make_assessment(
        "KEN", versions=[({"rf01_evidence": "Kenya private finding"}, Visibility.PRIVATE)]
    )
    db.session.commit()
    client = _signed_in(app, coordinator)
    assert client.get(f"/assessments/{assessment.id}/versions/1").status_code in (403, 404)
    assert "Kenya private finding" not in client.get(f"/assessments/{assessment.id}").get_data(as_text=True)


def test_administrators_grant_and_revoke_the_role_audited(app, admin_client):
    member = make_member("SEN", email="future.coordinator@example.org")
    enrol_two_factor(member)
    db.session.commit()
    page = admin_client.get("/admin/coordinators")
    assert page.status_code == 200 and "ECOWAS" in page.get_data(as_text=True)
    form = {"email": "Future.Coordinator@example.org", "scope": "org:ecowas"}
    response = post_form(admin_client, "/admin/coordinators", form, form_page="/admin/coordinators")
    assert response.status_code == 302
    grant = db.session.scalars(select(CoordinatorGrant).where(CoordinatorGrant.user_id == member.id)).one()
    assert (grant.scope_kind, grant.scope_key) == (ScopeKind.ORG, "ecowas")
    again = post_form(admin_client, "/admin/coordinators", form, form_page="/admin/coordinators")
    assert again.status_code == 400 and "already coordinates" in again.get_data(as_text=True)
    unknown = {"email": "nobody@example.org", "scope": "org:ecowas"}
    assert (
        post_form(admin_client, "/admin/coordinators", unknown, form_page="/admin/coordinators").status_code
        == 400
    )

    coordinator = _signed_in(app, member)
    assert coordinator.get("/admin/moderation").status_code == 200

    assert post_form(admin_client, f"/admin/coordinators/{grant.id}/revoke", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CoordinatorGrant, grant.id).revoked_at is not None
    assert coordinator.get("/admin/moderation").status_code == 403
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(member.id))))
    assert {"coordinator.granted", "coordinator.revoked"} <= actions


def test_only_administrators_manage_coordinators(app, member_client):
    coordinator = _coordinator(ScopeKind.M49, "002")
    db.session.commit()
    grant_id = db.session.scalar(
        select(CoordinatorGrant.id).where(CoordinatorGrant.user_id == coordinator.id)
    )
    client = _signed_in(app, coordinator)
    for who in (member_client, client):
        assert who.get("/admin/coordinators").status_code == 403
        assert post_form(who, f"/admin/coordinators/{grant_id}/revoke", {}).status_code == 403
