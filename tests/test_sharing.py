"""Sharing a version with chosen partners: each audience reads it, nobody else does; shares are
confirmed, listed, withdrawable and audited; the regional risk overview ignores them."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from r2p_network import permissions
from r2p_network.extensions import db
from r2p_network.models import (
    AssessmentVersion,
    AudienceKind,
    AuditEvent,
    CoordinatorGrant,
    Network,
    Notification,
    ScopeKind,
    User,
    VersionShare,
    Visibility,
)
from r2p_network.notifications.services import message
from tests.conftest import enrol_two_factor, login, post_form
from tests.factories import make_assessment, make_member
from tests.test_organisations import make_seat

SECRET = "CANARY-shared-finding"


@pytest.fixture
def people(db_session):
    """The Ghanaian government team's private version, and one reader of each kind."""
    admin = make_member(None, admin=True)
    enrol_two_factor(admin)
    found = {
        "ghana": make_member("GHA"),
        "kenya": make_member("KEN"),
        "kenya_cs": make_member("KEN", Network.CIVIL_SOCIETY),
        "ivory_coast": make_member("CIV"),
        "france_cs": make_member("FRA", Network.CIVIL_SOCIETY),
        "au": make_seat("au", "AU officer"),
        "ecowas": make_seat("ecowas", "ECOWAS officer"),
        "office": make_seat(None, "Office officer"),
        "rc_africa": make_member(None),
        "rc_europe": make_member(None),
        "admin": admin,
    }
    for name, key in (("rc_africa", "002"), ("rc_europe", "150")):
        enrol_two_factor(found[name])
        db.session.add(CoordinatorGrant(user_id=found[name].id, scope_kind=ScopeKind.M49, scope_key=key))
    assessment = make_assessment("GHA", versions=[({"rf01_evidence": SECRET}, Visibility.PRIVATE)])
    found["version"] = db.session.scalars(
        select(AssessmentVersion).where(AssessmentVersion.assessment_id == assessment.id)
    ).one()
    found["assessment"] = assessment
    db.session.commit()
    return found


def _with_profiles(people: dict) -> dict:
    """The people again, with their profiles loaded as the session loader loads them."""
    ids = {name: user.id for name, user in people.items() if isinstance(user, User)}
    loaded = {u.id: u for u in db.session.scalars(select(User).options(selectinload(User.profile)))}
    return {name: loaded[i] for name, i in ids.items()}


READERS = (
    "kenya",
    "kenya_cs",
    "ivory_coast",
    "france_cs",
    "au",
    "ecowas",
    "office",
    "rc_africa",
    "rc_europe",
    "admin",
)
# Who reads the version when it is shared with each audience (besides Ghana's team, always).
MATRIX = {
    (AudienceKind.GOVERNMENT, ""): {"kenya", "ivory_coast"},
    (AudienceKind.TEAM, "KEN:government"): {"kenya"},
    (AudienceKind.ORGANISATION, "ecowas"): {"ecowas"},
    (AudienceKind.UN_OFFICE, ""): {"office"},
    (AudienceKind.COORDINATORS, "m49:002"): {"rc_africa"},
    (AudienceKind.COORDINATORS, "org:ecowas"): set(),
}


@pytest.mark.parametrize(("audience", "key"), list(MATRIX))
def test_each_audience_reads_the_version_and_nobody_else(app, people, audience, key):
    version = people["version"]
    db.session.add(VersionShare(version_id=version.id, audience=audience, audience_key=key))
    db.session.commit()
    users = _with_profiles(people)
    with app.test_request_context():
        g.second_factor_passed = True  # coordinators read as coordinators only with it
        assert permissions.can_read_assessment_version(users["ghana"], version)
        readers = {name for name in READERS if permissions.can_read_assessment_version(users[name], version)}
    assert readers == MATRIX[(audience, key)]


def test_a_coordinator_without_the_second_factor_reads_no_share_addressed_to_coordinators(app, people):
    version = people["version"]
    db.session.add(
        VersionShare(version_id=version.id, audience=AudienceKind.COORDINATORS, audience_key="m49:002")
    )
    db.session.commit()
    with app.test_request_context():
        assert not permissions.can_read_assessment_version(_with_profiles(people)["rc_africa"], version)


def test_a_withdrawn_share_reads_no_more(app, people):
    version = people["version"]
    db.session.add(
        VersionShare(version_id=version.id, audience=AudienceKind.TEAM, audience_key="KEN:government")
    )
    db.session.commit()
    kenya = app.test_client()
    login(kenya, people["kenya"].email)
    page = f"/assessments/{people['assessment'].id}/versions/1"
    body = kenya.get(page).get_data(as_text=True)
    assert SECRET in body and "Shared with you" in body
    db.session.execute(VersionShare.__table__.update().values(withdrawn_at=db.func.now()))
    db.session.commit()
    assert kenya.get(page).status_code == 404


def test_the_team_shares_lists_and_withdraws_with_confirmation(app, people):
    ghana = app.test_client()
    login(ghana, people["ghana"].email)
    assessment = people["assessment"]
    page = f"/assessments/{assessment.id}/versions/1/sharing"
    assert ghana.get(page).status_code == 200
    unconfirmed = post_form(
        ghana, page, {"audience": "team", "country": "KEN", "network": "government"}, form_page=page
    )
    assert unconfirmed.status_code == 400
    assert db.session.scalars(select(VersionShare)).all() == []
    missing = post_form(ghana, page, {"audience": "organisation", "confirm": "y"}, form_page=page)
    assert missing.status_code == 400
    own = post_form(
        ghana,
        page,
        {"audience": "team", "country": "GHA", "network": "government", "confirm": "y"},
        form_page=page,
    )
    assert own.status_code == 400
    shared = post_form(
        ghana,
        page,
        {"audience": "team", "country": "KEN", "network": "government", "confirm": "y"},
        form_page=page,
    )
    assert shared.status_code == 302
    post_form(ghana, page, {"audience": "un_office", "confirm": "y"}, form_page=page)
    listing = ghana.get(page).get_data(as_text=True)
    assert "Kenya, government team" in listing and "UN Office on Genocide Prevention" in listing
    shares = db.session.scalars(select(VersionShare).order_by(VersionShare.id)).all()
    assert [(s.audience, s.audience_key) for s in shares] == [
        (AudienceKind.TEAM, "KEN:government"),
        (AudienceKind.UN_OFFICE, ""),
    ]
    notified = set(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == "version_shared"))
    )
    assert notified == {people["kenya"].id, people["office"].id}
    # Each reader reads the sharing team's country in their own language.
    note = db.session.scalars(select(Notification).where(Notification.kind == "version_shared")).first()
    for lang, country in (("en", "Ghana"), ("fr", "Ghana"), ("ru", "Гана"), ("zh", "加纳")):
        with app.test_request_context("/", headers={"Accept-Language": lang}):
            from flask_babel import refresh

            refresh()
            assert country in message(note), lang
    assert post_form(ghana, f"{page}/{shares[0].id}/withdraw", {}, form_page=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(VersionShare, shares[0].id).withdrawn_at is not None
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("assessment.shared") == 2 and "assessment.share_withdrawn" in actions


@pytest.mark.parametrize("who", ["kenya", "ecowas", "office", "rc_africa", "admin"])
def test_only_the_team_manages_shares(app, people, who):
    share = VersionShare(
        version_id=people["version"].id, audience=AudienceKind.TEAM, audience_key="KEN:government"
    )
    db.session.add(share)
    db.session.commit()
    client = app.test_client()
    login(client, people[who].email)
    page = f"/assessments/{people['assessment'].id}/versions/1/sharing"
    assert client.get(page).status_code == 404
    assert post_form(client, page, {"audience": "un_office", "confirm": "y"}).status_code == 404
    assert post_form(client, f"{page}/{share.id}/withdraw", {}).status_code == 404


def test_the_regional_risk_overview_counts_only_network_and_public_shares(app, people):
    from r2p_network.core.geography import region_scope
    from r2p_network.regions.queries import risk_overview

    before = risk_overview(region_scope("002"))
    db.session.add(
        VersionShare(version_id=people["version"].id, audience=AudienceKind.GOVERNMENT, audience_key="")
    )
    db.session.commit()
    assert risk_overview(region_scope("002")) == before
