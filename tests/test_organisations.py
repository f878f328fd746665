"""Organisation and UN-office seats: profiles, the directory filter, approval into a seat, and the
organisation page with its focal points and the profile of its prevention mechanisms."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from r2p_network import permissions
from r2p_network.extensions import db
from r2p_network.models import (
    AccessRequest,
    AuditEvent,
    FocalPointProfile,
    Network,
    OrganisationProfile,
    SeatKind,
    User,
)
from tests.conftest import login, post_form
from tests.factories import make_member


def make_seat(slug: str | None, name: str, **kwargs) -> User:
    """A focal point of an organisation (or, without *slug*, of the UN office)."""
    user = make_member(None, name=name, **kwargs)
    user.profile = FocalPointProfile(
        seat=SeatKind.ORGANISATION if slug else SeatKind.UN_OFFICE,
        organisation_slug=slug,
        title="Focal point",
        institution=f"{slug or 'UN office'} secretariat",
    )
    db.session.flush()
    return user


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_the_database_keeps_each_seat_consistent(app):
    user = make_member(None)
    db.session.add(FocalPointProfile(user_id=user.id, seat=SeatKind.ORGANISATION, country_iso3="GHA"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_organisation_seat_is_no_country_team(app):
    au = make_seat("au", "AU officer")
    office = make_seat(None, "Office officer")
    assert permissions.team_of(au) is None and permissions.team_of(office) is None
    assert permissions.organisation_of(au) == "au" and permissions.organisation_of(office) is None


def test_directory_lists_and_filters_organisation_seats(app, member_client):
    make_seat("ecowas", "Officer of ECOWAS")
    make_seat(None, "Officer of the UN office")
    make_member("SEN", name="Focal point of Senegal")
    make_member("FRA", name="Focal point of France")
    db.session.commit()
    everyone = member_client.get("/focal-points/").get_data(as_text=True)
    assert "Officer of ECOWAS" in everyone and "Officer of the UN office" in everyone
    organisations = member_client.get("/focal-points/?network=organisations").get_data(as_text=True)
    assert "Officer of ECOWAS" in organisations and "Officer of the UN office" in organisations
    assert "Focal point of Senegal" not in organisations
    ecowas = member_client.get("/focal-points/?org=ecowas").get_data(as_text=True)
    assert "Officer of ECOWAS" in ecowas and "Focal point of Senegal" in ecowas
    assert "Focal point of France" not in ecowas and "Officer of the UN office" not in ecowas
    government = member_client.get("/focal-points/?network=government").get_data(as_text=True)
    assert "Officer of ECOWAS" not in government


def test_an_organisation_focal_point_has_a_profile_page(app, member_client):
    officer = make_seat("au", "Officer of the AU")
    office = make_seat(None, "Officer of the office")
    db.session.commit()
    page = member_client.get(f"/focal-points/{officer.id}").get_data(as_text=True)
    assert "Officer of the AU" in page and "/regions/orgs/au" in page
    assert "UN Office on Genocide Prevention" in member_client.get(f"/focal-points/{office.id}").get_data(
        as_text=True
    )
    own = _client(app, officer).get("/profile")
    assert own.status_code == 200 and "African Union" in own.get_data(as_text=True)


def test_approving_a_request_into_an_organisation_seat(app, admin_client):
    applicant = make_member("NGA", name="Applicant for ECOWAS", status="pending")
    request = AccessRequest(user_id=applicant.id, justification="I am the ECOWAS Commission's focal point.")
    db.session.add(request)
    db.session.commit()
    fields = {f"a{request.id}-country": "NGA", f"a{request.id}-network": "government"}
    response = post_form(
        admin_client,
        f"/admin/access-requests/{request.id}/approve",
        {**fields, f"a{request.id}-seat": "organisation:ecowas"},
        form_page="/admin/access-requests",
    )
    assert response.status_code == 302
    db.session.expire_all()
    profile = db.session.get(FocalPointProfile, applicant.id)
    assert (profile.seat, profile.organisation_slug, profile.country_iso3, profile.network) == (
        SeatKind.ORGANISATION,
        "ecowas",
        None,
        None,
    )
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.approved")).one()
    assert event.detail["organisation"] == "ecowas"


def test_the_organisation_page_shows_its_focal_points_and_mechanisms(app, member_client):
    officer = make_seat("ecowas", "Officer of ECOWAS")
    make_seat("au", "Officer of the AU")
    db.session.add(OrganisationProfile(slug="ecowas", early_warning="A regional early-warning network."))
    db.session.commit()
    page = member_client.get("/regions/orgs/ecowas").get_data(as_text=True)
    assert "A regional early-warning network." in page and "Officer of ECOWAS" in page
    assert "Officer of the AU" not in page
    assert "/capacity/?org=ecowas" in page and "/lessons/?q=ECOWAS" in page
    assert "/regions/orgs/ecowas/mechanisms" not in page  # members of a country edit nothing here
    visitor = app.test_client().get("/regions/orgs/ecowas").get_data(as_text=True)
    assert "A regional early-warning network." in visitor and "Officer of ECOWAS" not in visitor
    assert "/regions/orgs/ecowas/mechanisms" in _client(app, officer).get("/regions/orgs/ecowas").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("ecowas", 302), ("au", 403), ("country", 403), ("office", 403), ("admin", 302), ("anonymous", 302)],
)
def test_who_edits_an_organisations_mechanisms(app, admin, who, status):
    people = {
        "ecowas": make_seat("ecowas", "Officer of ECOWAS"),
        "au": make_seat("au", "Officer of the AU"),
        "country": make_member("SEN", Network.GOVERNMENT),
        "office": make_seat(None, "Officer of the office"),
        "admin": admin,
    }
    db.session.commit()
    client = app.test_client() if who == "anonymous" else _client(app, people[who])
    form = {"early_warning": "Daily situation reports.", "mediation": "", "human_rights": "", "standby": ""}
    response = post_form(
        client,
        "/regions/orgs/ecowas/mechanisms",
        form,
        form_page="/" if who != "anonymous" else "/auth/login",
    )
    assert response.status_code == status
    if who == "anonymous":
        assert "/auth/login" in response.headers["Location"]
    saved = db.session.get(OrganisationProfile, "ecowas")
    db.session.expire_all()
    saved = db.session.get(OrganisationProfile, "ecowas")
    if status == 302 and who != "anonymous":
        assert saved.early_warning == "Daily situation reports."
        assert (
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == "organisation.profile_saved"))
            .one()
            .object_id
            == "ecowas"
        )
    else:
        assert saved is None
    assert client.get("/regions/orgs/xx/mechanisms").status_code in (302, 403, 404)


def test_the_organisation_page_runs_a_constant_number_of_queries(app, member_client):
    from tests.conftest import count_queries

    def queries() -> int:
        with count_queries() as statements:
            assert member_client.get("/regions/orgs/au").status_code == 200
        return len(statements)

    make_seat("au", "First AU officer")
    db.session.commit()
    queries()  # builds the cached regional view
    few = queries()
    for n in range(10):
        make_seat("au", f"AU officer {n}")
    db.session.commit()
    queries()
    assert queries() == few
