"""The canary crawl of every page, run as coordinators (of the canaries' region and of others),
organisation seats, the UN office and teams, with a version shared with one named team only."""

from __future__ import annotations

from sqlalchemy import select

from r2p_network.extensions import db
from r2p_network.models import (
    AssessmentVersion,
    AudienceKind,
    CoordinatorGrant,
    Network,
    ScopeKind,
    VersionShare,
    Visibility,
)
from tests.conftest import crawl_paths, enrol_two_factor, login
from tests.factories import make_assessment, make_member
from tests.test_organisations import make_seat
from tests.test_permissions import CANARIES, canaries  # noqa: F401 (the fixture)

NAMED = "CANARY-shared-with-kenya-only"


def _coordinator(kind: ScopeKind, key: str):
    user = make_member(None)
    enrol_two_factor(user)
    db.session.add(CoordinatorGrant(user_id=user.id, scope_kind=kind, scope_key=key))
    return user


def test_canary_crawl_as_coordinators_organisations_and_named_teams(app, canaries):  # noqa: F811
    named = make_assessment(
        "SEN", title="Senegal strategy", versions=[({"rf02_evidence": NAMED}, Visibility.PRIVATE)]
    )
    version = db.session.scalars(
        select(AssessmentVersion).where(AssessmentVersion.assessment_id == named.id)
    ).one()
    db.session.add(
        VersionShare(version_id=version.id, audience=AudienceKind.TEAM, audience_key="KEN:government")
    )
    roles = {
        "coordinator_africa": _coordinator(ScopeKind.M49, "002"),
        "coordinator_europe": _coordinator(ScopeKind.M49, "150"),
        "coordinator_ecowas": _coordinator(ScopeKind.ORG, "ecowas"),
        "coordinator_eu": _coordinator(ScopeKind.ORG, "eu"),
        "au_seat": make_seat("au", "AU officer"),
        "un_office": make_seat(None, "Office officer"),
        "kenya_government": make_member("KEN"),
        "kenya_civil_society": make_member("KEN", Network.CIVIL_SOCIETY),
        "ivory_coast_government": make_member("CIV"),
    }
    db.session.commit()
    clients = {}
    for role, user in roles.items():
        clients[role] = app.test_client()
        assert login(clients[role], user.email).status_code == 302
    canaries_named = {**CANARIES, "named": NAMED}
    # Inside their scope (Kenya's map, lessons about Kenya, Senegal's restricted need) coordinators
    # verify, moderate and read; nobody but Kenya's government team reads the version shared with it, and no
    # coordinator reads an assessment at all.
    entitled = {
        "coordinator_africa": {"unverified", "draft", "hidden", "need"},
        "coordinator_ecowas": {"need"},  # Senegal's restricted need
        "kenya_government": {"named", "unverified"},  # its own map, waiting to be verified
    }
    paths = crawl_paths(app, {**canaries, "assessment_id": named.id})
    seen: dict[str, set[str]] = {role: set() for role in clients}
    for role, client in clients.items():
        for path in paths:
            response = client.get(path, follow_redirects=True)
            assert response.status_code < 500, (role, path)
            body = response.get_data().decode("utf-8", "replace")
            for name, canary in canaries_named.items():
                if canary in body:
                    seen[role].add(name)
                    assert name in entitled.get(role, set()), (role, path, name)
    assert "named" in seen["kenya_government"]
    # The scoped powers are really used: Kenya's map to verify, Senegal's restricted need.
    assert {"unverified", "need"} <= seen["coordinator_africa"] and seen["coordinator_ecowas"] == {"need"}
