"""Country pages, treaty records and the public network coverage."""

from __future__ import annotations

from sqlalchemy import select

from r2p_network.extensions import db
from r2p_network.models import (
    AuditEvent,
    FocalPointProfile,
    Network,
    TreatyParticipation,
    TreatyStatus,
    TreatyStatusChange,
)
from tests.conftest import count_queries, login, post_form
from tests.factories import make_member

TREATY = {
    "rome-statute-status": "party",
    "rome-statute-source": "UN Treaty Collection",
    "rome-statute-as_of": "2024-05-01",
}


def _client_for(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_country_page_shows_regions_groups_organisations_and_focal_points(member_client, member):
    make_member("GHA", Network.PARLIAMENT, name="Parliamentarian Ghana")
    page = member_client.get("/countries/GHA").get_data(as_text=True)
    assert "<h1>Ghana</h1>" in page
    assert "Western Africa" in page and "Sub-Saharan Africa" in page
    assert "African Group" in page
    assert "ECOWAS" in page and "African Union" in page
    assert member.name in page and "Parliamentarian Ghana" in page
    assert "No focal point yet." in page  # civil society
    assert "Request-access form" in page


def test_country_page_in_another_language(member_client):
    post_form(member_client, "/language", {"lang": "es", "next": "/"}, form_page="/")
    page = member_client.get("/countries/CIV").get_data(as_text=True)
    assert "Côte d’Ivoire" in page or "Côte d'Ivoire" in page
    assert "África occidental" in page


def test_suspended_membership_is_shown(member_client):
    page = member_client.get("/countries/MLI").get_data(as_text=True)
    assert "suspended" in page
    assert "ECOWAS" not in page


def test_unknown_country_is_404_and_lower_case_redirects(member_client):
    assert member_client.get("/countries/ZZZ").status_code == 404
    assert member_client.get("/countries/ZZZ/treaties").status_code == 404
    response = member_client.get("/countries/gha")
    assert response.status_code == 301 and response.headers["Location"].endswith("/countries/GHA")


def test_kampala_convention_applies_only_to_african_union_members(member_client):
    assert "Not applicable" in member_client.get("/countries/DNK").get_data(as_text=True)
    assert "Not applicable" not in member_client.get("/countries/GHA").get_data(as_text=True)


def test_own_focal_point_edits_treaty_records_with_history(member_client, member):
    response = post_form(
        member_client, "/countries/GHA/treaties/rome-statute", TREATY, form_page="/countries/GHA/treaties"
    )
    assert response.status_code == 302
    post_form(
        member_client,
        "/countries/GHA/treaties/rome-statute",
        {**TREATY, "rome-statute-status": "signatory"},
        form_page="/countries/GHA/treaties",
    )
    record = db.session.scalar(select(TreatyStatus).where(TreatyStatus.country_iso3 == "GHA"))
    assert record.status == TreatyParticipation.SIGNATORY and record.updated_by_id == member.id
    history = db.session.scalars(
        select(TreatyStatusChange)
        .where(TreatyStatusChange.country_iso3 == "GHA")
        .order_by(TreatyStatusChange.id)
    ).all()
    assert [(h.old_status, h.new_status) for h in history] == [
        (None, TreatyParticipation.PARTY),
        (TreatyParticipation.PARTY, TreatyParticipation.SIGNATORY),
    ]
    page = member_client.get("/countries/GHA/treaties").get_data(as_text=True)
    assert "History of changes" in page and member.name in page
    assert "Signatory" in member_client.get("/countries/GHA").get_data(as_text=True)


def test_other_country_cannot_edit_and_the_attempt_is_logged(app, member):
    other = make_member("KEN")
    client = _client_for(app, other)
    assert client.get("/countries/GHA/treaties").status_code == 403
    response = post_form(
        client, "/countries/GHA/treaties/rome-statute", TREATY, form_page="/countries/KEN/treaties"
    )
    assert response.status_code == 403
    assert db.session.scalar(select(TreatyStatus).where(TreatyStatus.country_iso3 == "GHA")) is None
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "treaty.edit_denied")).all()
    assert len(denied) == 2 and {e.actor_id for e in denied} == {other.id}
    assert "Update treaty records" not in client.get("/countries/GHA").get_data(as_text=True)


def test_focal_point_who_left_the_post_cannot_edit(member_client, member):
    db.session.get(FocalPointProfile, member.id).in_post = False
    db.session.commit()
    assert member_client.get("/countries/GHA/treaties").status_code == 403


def test_administrator_edits_any_country(admin_client):
    response = post_form(
        admin_client, "/countries/BRA/treaties/rome-statute", TREATY, form_page="/countries/BRA/treaties"
    )
    assert response.status_code == 302
    assert db.session.scalar(select(TreatyStatus).where(TreatyStatus.country_iso3 == "BRA")) is not None


def test_treaty_form_reports_bad_input(member_client):
    response = post_form(
        member_client,
        "/countries/GHA/treaties/rome-statute",
        {"rome-statute-status": "maybe", "rome-statute-source": "", "rome-statute-as_of": "2999-01-01"},
        form_page="/countries/GHA/treaties",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This record was not saved" in page
    assert "Not a valid choice" in page
    assert "cannot be in the future" in page
    assert "This field is required" in page
    response = post_form(
        member_client, "/countries/GHA/treaties/no-such-treaty", TREATY, form_page="/countries/GHA/treaties"
    )
    assert response.status_code == 404


def test_network_coverage_is_public_and_has_no_personal_data(client):
    make_member("GHA", name="Secret Name", email="secret@example.org")
    make_member("GHA", Network.CIVIL_SOCIETY)
    make_member("KEN", Network.PARLIAMENT)
    make_member("FRA")
    make_member("PSE")  # observer State: listed, not counted among Member States
    response = client.get("/network")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Secret Name" not in page and "secret@example.org" not in page and "@" not in page
    assert "Ghana" in page and "Kenya" in page and "State of Palestine" in page
    from r2p_network.countries.queries import network_coverage

    coverage = network_coverage()
    africa = next(r for r in coverage.regions if r.code == "002")
    assert africa.member_states == 54
    assert africa.by_network == {Network.GOVERNMENT: 1, Network.CIVIL_SOCIETY: 1, Network.PARLIAMENT: 1}
    assert africa.any_network == 2
    assert coverage.totals.any_network == 3
    assert coverage.totals.member_states == 193


def test_country_and_coverage_pages_run_a_constant_number_of_queries(member_client):
    def counts() -> tuple[int, int]:
        with count_queries() as country:
            assert member_client.get("/countries/GHA").status_code == 200
        with count_queries() as coverage:
            assert member_client.get("/network").status_code == 200
        return len(country), len(coverage)

    small = counts()
    for n in range(60):
        make_member("GHA" if n % 2 else "NGA", Network.CIVIL_SOCIETY if n % 3 else Network.GOVERNMENT)
    db.session.commit()
    assert counts() == small


def test_treaty_forms_refuse_posts_without_the_csrf_token(member_client):
    response = member_client.post("/countries/GHA/treaties/rome-statute", data=TREATY)
    assert response.status_code == 400
    assert db.session.scalar(select(TreatyStatus).where(TreatyStatus.country_iso3 == "GHA")) is None
