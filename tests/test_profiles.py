"""My profile, the directory and member profiles."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from r2p_network.extensions import db
from r2p_network.models import (
    AccountStatus,
    AuditEvent,
    ContactVisibility,
    FocalPointProfile,
    Network,
    ProfileExpertise,
    ProfileLanguage,
    Role,
    User,
)
from tests.conftest import count_queries, login, post_form
from tests.factories import make_member

PROFILE = {
    "name": "Ama Mensah",
    "title": "Director",
    "institution": "Ministry of Foreign Affairs",
    "languages": ["en", "fr"],
    "expertise": ["early_warning", "mediation"],
    "bio": "Leads the national early-warning desk.",
    "contact_email": "ama.mensah@mfa.example.org",
    "contact_email_visibility": "network",
    "phone": "+233 30 000 0000",
    "phone_visibility": "admins",
    "messaging": "Signal +233 20 000 0000",
    "messaging_visibility": "network",
    "in_post": "y",
}


def _save_profile(client, **overrides):
    data = {**PROFILE, **overrides}
    return post_form(
        client, "/profile", {k: v for k, v in data.items() if v is not None}, form_page="/profile"
    )


def test_member_edits_their_profile(member_client, member):
    response = _save_profile(member_client)
    assert response.status_code == 302
    db.session.expire_all()
    profile = db.session.get(FocalPointProfile, member.id)
    assert profile.institution == "Ministry of Foreign Affairs"
    assert profile.phone_visibility == ContactVisibility.ADMINS
    assert db.session.get(User, member.id).name == "Ama Mensah"
    languages = set(
        db.session.scalars(select(ProfileLanguage.code).where(ProfileLanguage.user_id == member.id))
    )
    assert languages == {"en", "fr"}
    # Changing the lists removes what was unticked.
    _save_profile(member_client, languages=["es"], expertise=[])
    languages = set(
        db.session.scalars(select(ProfileLanguage.code).where(ProfileLanguage.user_id == member.id))
    )
    assert languages == {"es"}
    assert (
        db.session.scalars(select(ProfileExpertise).where(ProfileExpertise.user_id == member.id)).all() == []
    )


def test_profile_form_reports_bad_input(member_client, member):
    response = _save_profile(
        member_client,
        name="",
        contact_email="not-an-email",
        bio="x" * 2001,
        languages=["xx"],
        phone_visibility="all",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Please correct the following" in page
    assert "Invalid email address" in page
    assert "2000 characters" in page
    assert "not a valid choice" in page.lower()
    db.session.expire_all()
    assert db.session.get(User, member.id).name != ""


def test_profile_form_ignores_fields_a_member_may_not_set(member_client, member):
    response = _save_profile(
        member_client,
        country_iso3="FRA",
        country="FRA",
        network="parliament",
        role="admin",
        status="pending",
        user_id="999",
        visibility="public",
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, member.id)
    profile = db.session.get(FocalPointProfile, member.id)
    assert (profile.country_iso3, profile.network) == ("GHA", Network.GOVERNMENT)
    assert (user.role, user.status) == (Role.FOCAL_POINT, AccountStatus.ACTIVE)


def test_leaving_the_post_makes_the_seat_vacant(member_client, member):
    _save_profile(member_client, in_post=None)
    db.session.expire_all()
    profile = db.session.get(FocalPointProfile, member.id)
    assert profile.in_post is False and profile.left_post_at is not None
    page = member_client.get("/countries/GHA").get_data(as_text=True)
    assert "Vacant" in page
    directory = member_client.get("/focal-points/").get_data(as_text=True)
    assert member.name not in directory
    assert "No longer in this post" in member_client.get(f"/focal-points/{member.id}").get_data(as_text=True)


def test_administrator_without_a_seat_has_no_profile_to_edit(admin_client):
    response = admin_client.get("/profile")
    assert response.status_code == 302


@pytest.fixture
def people(db_session):
    """A small network across regions, networks, languages and expertise."""
    spec = [
        ("GHA", Network.GOVERNMENT, "Kwame Asante", "Ministry of Foreign Affairs", ["en"], ["early_warning"]),
        ("SEN", Network.CIVIL_SOCIETY, "Aminata Diop", "Centre for Peace", ["fr"], ["mediation"]),
        ("KEN", Network.PARLIAMENT, "Wanjiru Kamau", "National Assembly", ["en", "sw"], ["elections"]),
        ("DEU", Network.GOVERNMENT, "Lukas Weber", "Auswärtiges Amt", ["de", "en"], ["transitional_justice"]),
        ("DNK", Network.GOVERNMENT, "Mette Holm", "Udenrigsministeriet", ["en"], ["early_warning"]),
        (
            "MLI",
            Network.GOVERNMENT,
            "Moussa Traoré",
            "Ministère des Affaires étrangères",
            ["fr"],
            ["elections"],
        ),
    ]
    people = {}
    for iso3, network, name, institution, languages, expertise in spec:
        user = make_member(iso3, network, name=name, institution=institution)
        db.session.add_all(ProfileLanguage(user_id=user.id, code=code) for code in languages)
        db.session.add_all(ProfileExpertise(user_id=user.id, area=code) for code in expertise)
        people[name] = user
    make_member("GHA", name="Pending Person", status=AccountStatus.PENDING)
    db.session.flush()
    return people


def _names(client, query: str) -> list[str]:
    page = client.get(f"/focal-points/?{query}").get_data(as_text=True)
    import re

    return re.findall(r'<h2><a href="/focal-points/\d+">([^<]+)</a></h2>', page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=002", {"Kwame Asante", "Aminata Diop", "Wanjiru Kamau", "Moussa Traoré"}),
        ("region=011", {"Kwame Asante", "Aminata Diop", "Moussa Traoré"}),  # Western Africa
        ("region=150", {"Lukas Weber", "Mette Holm"}),
        ("group=african", {"Kwame Asante", "Aminata Diop", "Wanjiru Kamau", "Moussa Traoré"}),
        ("group=western-european-others", {"Lukas Weber", "Mette Holm"}),
        ("org=ecowas", {"Kwame Asante", "Aminata Diop"}),  # Mali has left ECOWAS
        ("org=eu", {"Lukas Weber", "Mette Holm"}),
        ("network=parliament", {"Wanjiru Kamau"}),
        ("network=civil_society", {"Aminata Diop"}),
        ("language=sw", {"Wanjiru Kamau"}),
        ("language=fr", {"Aminata Diop", "Moussa Traoré"}),
        ("expertise=early_warning", {"Kwame Asante", "Mette Holm"}),
        ("q=asante", {"Kwame Asante"}),
        ("q=Auswärtiges", {"Lukas Weber"}),
        ("q=mediation", {"Aminata Diop"}),  # matches the expertise label
        ("q=assembly", {"Wanjiru Kamau"}),
        ("org=eu&expertise=early_warning", {"Mette Holm"}),
        ("q=100%25", set()),  # LIKE wildcards are literal
    ],
)
def test_directory_filters(member_client, people, query, expected):
    names = set(_names(member_client, query)) - {"Member 1"}
    assert {n for n in names if not n.startswith("Member ")} == expected


def test_directory_hides_pending_accounts_and_their_profiles(member_client, people):
    assert "Pending Person" not in member_client.get("/focal-points/").get_data(as_text=True)
    pending = db.session.scalar(select(User).where(User.name == "Pending Person"))
    assert member_client.get(f"/focal-points/{pending.id}").status_code == 404
    assert member_client.get("/focal-points/999999").status_code == 404


def test_directory_ignores_unknown_filter_values(member_client, people):
    response = member_client.get("/focal-points/?region=999&network=army&page=-3")
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert len(_names(member_client, "region=999&network=army")) == 7  # the filters are dropped


def test_directory_is_sorted_by_country_name_in_the_users_language(member_client, people):
    english = [n for n in _names(member_client, "region=150")]
    assert english == ["Mette Holm", "Lukas Weber"]  # Denmark, Germany
    post_form(member_client, "/language", {"lang": "fr", "next": "/"}, form_page="/")
    french = [n for n in _names(member_client, "region=150")]
    assert french == ["Lukas Weber", "Mette Holm"]  # Allemagne, Danemark


def test_directory_paginates(member_client):
    for n in range(30):
        make_member("FRA", name=f"Fonctionnaire {n:02d}")
    first = _names(member_client, "q=Fonctionnaire")
    second = _names(member_client, "q=Fonctionnaire&page=2")
    assert len(first) == 25 and len(second) == 5
    assert not set(first) & set(second)
    assert "Page 1 of 2" in member_client.get("/focal-points/?q=Fonctionnaire").get_data(as_text=True)


def test_contact_fields_obey_their_visibility(app, member_client, member, admin):
    owner = make_member("KEN", name="Contact Owner")
    profile = db.session.get(FocalPointProfile, owner.id)
    profile.contact_email = "shared@example.org"
    profile.contact_email_visibility = ContactVisibility.NETWORK
    profile.phone = "+254 700 000 000"
    profile.phone_visibility = ContactVisibility.ADMINS
    db.session.commit()

    page = member_client.get(f"/focal-points/{owner.id}").get_data(as_text=True)
    assert "shared@example.org" in page
    assert "+254 700 000 000" not in page
    assert owner.email not in page

    admin_page = login_as(app, admin).get(f"/focal-points/{owner.id}").get_data(as_text=True)
    assert "+254 700 000 000" in admin_page and owner.email in admin_page
    own_page = login_as(app, owner).get(f"/focal-points/{owner.id}").get_data(as_text=True)
    assert "+254 700 000 000" in own_page


def login_as(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_directory_runs_a_constant_number_of_queries(member_client):
    def queries_for_directory() -> int:
        with count_queries() as statements:
            assert member_client.get("/focal-points/?network=government").status_code == 200
        return len(statements)

    for n in range(10):
        user = make_member("BRA", name=f"Servidor {n}")
        db.session.add(ProfileLanguage(user_id=user.id, code="pt"))
    db.session.commit()
    small = queries_for_directory()
    for n in range(190):
        user = make_member("ARG" if n % 2 else "CHL", name=f"Funcionario {n}")
        db.session.add_all(
            [ProfileLanguage(user_id=user.id, code="es"), ProfileExpertise(user_id=user.id, area="elections")]
        )
    db.session.commit()
    assert queries_for_directory() == small
    assert small <= 9  # one of them reads the member's coordinator grants, once per request


def test_admin_exports_the_directory_as_safe_csv(app, admin_client, member_client, people):
    people["Kwame Asante"].name = '=HYPERLINK("http://evil")'
    db.session.commit()
    assert member_client.get("/focal-points/export.csv").status_code == 403
    response = admin_client.get("/focal-points/export.csv?region=002")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["ISO code", "Country", "Network"]
    names = {row[3] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in names
    assert "Lukas Weber" not in names  # outside the region filter
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.directory")) is not None
