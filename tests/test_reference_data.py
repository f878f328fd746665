"""Reference data that is right and dated: UN groups, organisations, names, provenance and freshness."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, select

from r2p_network.core.geography import region_name
from r2p_network.extensions import db
from r2p_network.models import (
    Country,
    LessonTheme,
    Membership,
    MembershipStatus,
    RegionalBody,
    TreatyParticipation,
    TreatyStatus,
)
from r2p_network.reference import twelve_months_before

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _membership(slug: str, iso3: str) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.body_slug == slug, Membership.country_iso3 == iso3)
    )


def test_un_group_memberships_are_corrected():
    for iso3 in ("KIR", "PSE"):
        assert _membership("asia-pacific", iso3).status == MembershipStatus.MEMBER
    assert _membership("western-european-others", "USA").status == MembershipStatus.OBSERVER
    assert _membership("asia-pacific", "TUR").status == MembershipStatus.PARTICIPANT
    assert "Kiribati belongs to no regional group" not in db.session.get(RegionalBody, "asia-pacific").note


def test_organisation_memberships_are_current_with_their_source_and_date():
    guinea_au, guinea_ecowas = _membership("au", "GIN"), _membership("ecowas", "GIN")
    assert guinea_au.status == guinea_ecowas.status == MembershipStatus.MEMBER
    assert "January 2026" in guinea_au.source and "January 2026" in guinea_ecowas.source
    assert _membership("ecowas", "GNB").status == MembershipStatus.SUSPENDED
    assert _membership("igad", "ERI") is None
    assert "Eritrea withdrew" in db.session.get(RegionalBody, "igad").note
    igad = set(db.session.scalars(select(Membership.country_iso3).where(Membership.body_slug == "igad")))
    assert igad == {"DJI", "ETH", "KEN", "SOM", "SSD", "SDN", "UGA"}
    caricom = db.session.get(RegionalBody, "caricom").note
    assert "Six territories are associate members" in caricom and "Curaçao (since 2024)" in caricom
    # Every membership says where it comes from and when it was checked.
    for membership in db.session.scalars(select(Membership)):
        assert membership.source.strip() and membership.as_of == date(2026, 11, 30)


def test_nauru_is_called_nauru_in_every_language():
    nauru = db.session.get(Country, "NRU")
    names = {lang: nauru.name(lang) for lang in ("en", "fr", "es", "ru", "zh", "ar")}
    assert names == {"en": "Nauru", "fr": "Nauru", "es": "Nauru", "ru": "Науру", "zh": "瑙鲁", "ar": "ناورو"}


def test_region_names_are_the_official_m49_names(client):
    assert region_name("419", "x", "en") == "Latin America and the Caribbean"
    assert region_name("035", "x", "en") == "South-eastern Asia"
    assert region_name("053", "x", "en") == "Australia and New Zealand"
    assert region_name("057", "x", "en") == "Micronesia"
    assert region_name("035", "x", "fr") == "Asie du Sud-Est"
    assert region_name("419", "x", "es") == "América Latina y el Caribe"
    assert region_name("053", "x", "zh") == "澳大利亚和新西兰"
    page = client.get("/regions/").get_data(as_text=True)
    for name in ("South-eastern Asia", "Latin America and the Caribbean", "Australia and New Zealand"):
        assert name in page
    assert ">Southeast Asia<" not in page and "Australasia" not in page


def _corrections_migration():
    path = next(MIGRATIONS.glob("*_reference_data_corrections_*.py"))
    spec = importlib.util.spec_from_file_location("reference_corrections", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_corrects_rows_loaded_from_the_old_files_and_keeps_edits():
    migration = _corrections_migration()
    shipped = migration.SHIPPED_AS_OF
    # A database loaded from the earlier files ...
    db.session.get(Country, "NRU").name_en = "Naoero"
    guinea_au = _membership("au", "GIN")
    guinea_au.status, guinea_au.note = MembershipStatus.SUSPENDED, "Suspended since September 2021."
    guinea_au.as_of, guinea_au.source = shipped, migration.BODY_SOURCES["au"][0]
    db.session.add(
        Membership(
            body_slug="igad",
            country_iso3="ERI",
            status=MembershipStatus.MEMBER,
            as_of=shipped,
            source="IGAD Secretariat",
        )
    )
    db.session.execute(
        delete(Membership).where(Membership.body_slug == "asia-pacific", Membership.country_iso3 == "KIR")
    )
    kenya_eac = _membership("igad", "KEN")
    kenya_eac.as_of, kenya_eac.source = shipped, "IGAD Secretariat"
    db.session.execute(delete(LessonTheme).where(LessonTheme.slug == "community-self-protection"))
    # ... where an administrator has since edited Guinea's ECOWAS record by hand.
    guinea_ecowas = _membership("ecowas", "GIN")
    guinea_ecowas.status, guinea_ecowas.note = MembershipStatus.SUSPENDED, "Checked by the secretariat."
    guinea_ecowas.as_of = date(2026, 1, 5)
    db.session.flush()

    migration.apply_corrections(db.session.connection())
    db.session.expire_all()

    assert db.session.get(Country, "NRU").name_en == "Nauru"
    guinea_au = _membership("au", "GIN")
    assert guinea_au.status == MembershipStatus.MEMBER and "January 2026" in guinea_au.source
    assert guinea_au.as_of == date(2026, 11, 30)
    assert _membership("igad", "ERI") is None
    assert _membership("asia-pacific", "KIR").status == MembershipStatus.MEMBER
    kenya = _membership("igad", "KEN")
    assert kenya.as_of == date(2026, 11, 30) and "Eritrea" in kenya.source
    edited = _membership("ecowas", "GIN")
    assert (edited.status, edited.note, edited.as_of) == (
        MembershipStatus.SUSPENDED,
        "Checked by the secretariat.",
        date(2026, 1, 5),
    )
    assert db.session.scalar(select(LessonTheme).where(LessonTheme.slug == "community-self-protection"))
    # Running it again changes nothing more.
    migration.apply_corrections(db.session.connection())
    db.session.expire_all()
    assert _membership("ecowas", "GIN").note == "Checked by the secretariat."


def test_reference_check_passes_on_fresh_data(app):
    result = app.test_cli_runner().invoke(args=["reference", "check"])
    assert result.exit_code == 0, result.output
    assert "Every membership and treaty record was checked on or after" in result.output


def test_reference_check_lists_stale_records_and_exits_non_zero(app):
    today = date.today()
    old = twelve_months_before(today) - timedelta(days=1)
    _membership("au", "MLI").as_of = old
    db.session.add(
        TreatyStatus(
            country_iso3="GHA",
            instrument_slug="genocide-convention",
            status=TreatyParticipation.PARTY,
            source="UN Treaty Collection",
            as_of=date(2020, 3, 1),
        )
    )
    db.session.add(
        TreatyStatus(
            country_iso3="KEN",
            instrument_slug="genocide-convention",
            status=TreatyParticipation.PARTY,
            source="UN Treaty Collection",
            as_of=twelve_months_before(today),  # exactly twelve months: still fresh
        )
    )
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["reference", "check"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert (
        lines[0].startswith("treaty") and "Genocide Convention: GHA" in lines[0] and "2020-03-01" in lines[0]
    )
    assert lines[1].startswith("membership") and "AU: MLI" in lines[1] and old.isoformat() in lines[1]
    assert "KEN" not in result.output
    assert lines[-1].startswith("2 records older than 12 months")
    assert "1 memberships, 1 treaty records" in lines[-1]


def test_twelve_months_before_handles_leap_days():
    assert twelve_months_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert twelve_months_before(date(2026, 11, 30)) == date(2025, 11, 30)


def test_country_page_shows_the_source_and_date_of_each_membership(member_client):
    page = member_client.get("/countries/GIN").get_data(as_text=True)
    assert "AU Peace and Security Council communiqué lifting Guinea&#39;s suspension (January 2026)" in page
    assert page.count("As of Nov 30, 2026. Source:") >= 3  # its UN group, the AU and ECOWAS


def test_regional_pages_show_the_source_and_date_of_their_memberships(client):
    page = client.get("/regions/orgs/igad").get_data(as_text=True)
    source = "IGAD Secretariat; Eritrea&#39;s notice of withdrawal (December 2025)"
    assert f"7 countries: {source}, as of Nov 30, 2026" in page
    assert "Eritrea withdrew from IGAD in December 2025" in page
    page = client.get("/regions/orgs/au").get_data(as_text=True)
    assert "1 country: AU Peace and Security Council communiqué lifting Guinea" in page
    page = client.get("/regions/m49/035").get_data(as_text=True)
    assert "UN Statistics Division" in page and "as of Nov 30, 2026" in page
    data = client.get("/regions/orgs/igad/data.json").get_json()
    assert data["membership_sources"] == [
        {
            "source": "IGAD Secretariat; Eritrea's notice of withdrawal (December 2025)",
            "as_of": "2026-11-30",
            "countries": 7,
        }
    ]
