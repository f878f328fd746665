"""The member's own language and time zone: chosen at registration, edited on the profile and
the account page, applied after sign-in, used for every email and for every time shown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from r2p_network.core import catalogues
from r2p_network.extensions import db
from r2p_network.models import AccessRequest, AccountStatus, OutboxMessage, User
from tests.conftest import login, post_form
from tests.factories import make_member

REQUEST = {
    "name": "Awa Diallo",
    "email": "awa.diallo@example.org",
    "country": "SEN",
    "network": "government",
    "title": "Conseillère juridique",
    "institution": "Ministère des Affaires étrangères",
    "justification": "Désignée point focal national par le ministère.",
    "password": "une longue phrase de passe pour Dakar",
    "confirm": "une longue phrase de passe pour Dakar",
}


def translated(lang: str, msgid: str) -> str:
    """The catalogue's translation of *msgid* (the English text itself for English)."""
    if lang == "en":
        return msgid
    message = catalogues.read(lang).get(msgid)
    assert message is not None and message.string, f"{lang}: {msgid!r} is not translated"
    return message.string


def translated_or_new(lang: str, msgid: str) -> str:
    """The translation of a message added since the last catalogue update, or its English text
    until the update brings the translation."""
    message = catalogues.read(lang).get(msgid)
    return message.string if message is not None and message.string else msgid


def _choose_language(client, lang: str) -> None:
    response = post_form(client, "/language", {"lang": lang, "next": "/"})
    assert response.status_code == 302


def _register(client, **overrides) -> User:
    response = post_form(client, "/auth/register", {**REQUEST, **overrides}, form_page="/auth/register")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.scalar(select(User).where(User.email == REQUEST["email"]))


# -- Registration, profile and account page -------------------------------------------------------


def test_registration_defaults_to_the_language_of_the_page_and_utc(client):
    _choose_language(client, "fr")
    page = client.get("/auth/register").get_data(as_text=True)
    assert '<option selected value="fr">' in page
    user = _register(client)
    assert (user.language, user.time_zone) == ("fr", "UTC")


def test_registration_keeps_the_chosen_language_and_time_zone(client):
    user = _register(client, language="ar", time_zone="Africa/Dakar")
    assert (user.language, user.time_zone) == ("ar", "Africa/Dakar")


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Etc/GMT+3", "../../etc/passwd", ""])
def test_registration_refuses_an_unknown_time_zone(client, zone):
    response = post_form(client, "/auth/register", {**REQUEST, "time_zone": zone}, form_page="/auth/register")
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == REQUEST["email"])) is None
    page = response.get_data(as_text=True)
    assert "Choose a time zone from the list." in page or "This field is required." in page


def test_registration_refuses_a_language_outside_the_six(client):
    response = post_form(client, "/auth/register", {**REQUEST, "language": "de"}, form_page="/auth/register")
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == REQUEST["email"])) is None


def _profile_form(member) -> dict:
    return {
        "name": member.name,
        "title": "Focal point",
        "institution": "Ministry of Foreign Affairs",
        "contact_email_visibility": "network",
        "phone_visibility": "admins",
        "messaging_visibility": "admins",
        "in_post": "y",
    }


def test_the_profile_edits_language_and_time_zone(member_client, member):
    page = member_client.get("/profile").get_data(as_text=True)
    assert 'name="time_zone"' in page and 'name="language"' in page
    response = post_form(
        member_client,
        "/profile",
        {**_profile_form(member), "language": "es", "time_zone": "America/Bogota"},
        form_page="/profile",
    )
    assert response.status_code == 302
    db.session.refresh(member)
    assert (member.language, member.time_zone) == ("es", "America/Bogota")
    # The next page is in the new language at once.
    page = member_client.get("/profile").get_data(as_text=True)
    assert 'lang="es"' in page


def test_a_profile_saved_without_the_fields_keeps_them(member_client, member):
    member.language, member.time_zone = "ru", "Europe/Moscow"
    db.session.flush()
    response = post_form(member_client, "/profile", _profile_form(member), form_page="/profile")
    assert response.status_code == 302
    db.session.refresh(member)
    assert (member.language, member.time_zone) == ("ru", "Europe/Moscow")


def test_the_profile_refuses_an_unknown_time_zone(member_client, member):
    response = post_form(
        member_client,
        "/profile",
        {**_profile_form(member), "language": "en", "time_zone": "Europe/Atlantis"},
        form_page="/profile",
    )
    assert response.status_code == 200
    assert "Choose a time zone from the list." in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.time_zone == "UTC"


def test_an_administrator_without_a_profile_sets_both_on_the_account_page(admin_client, admin):
    assert "Language and time zone" in admin_client.get("/account/").get_data(as_text=True)
    response = post_form(
        admin_client,
        "/account/preferences",
        {"language": "zh", "time_zone": "Asia/Shanghai"},
        form_page="/account/preferences",
    )
    assert response.status_code == 302
    db.session.refresh(admin)
    assert (admin.language, admin.time_zone) == ("zh", "Asia/Shanghai")


def test_the_account_page_needs_a_signed_in_member(client):
    response = client.get("/account/preferences")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# -- Which language a page is in ------------------------------------------------------------------


def test_the_language_chosen_before_sign_in_survives_sign_in(client, member):
    _choose_language(client, "ar")
    assert login(client, member.email).status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert 'lang="ar"' in page and 'dir="rtl"' in page


def test_after_sign_in_the_members_language_applies(client, member):
    member.language = "fr"
    db.session.flush()
    page = client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="en"' in page
    assert login(client, member.email).status_code == 302
    page = client.get("/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="fr"' in page


def test_switching_while_signed_in_also_changes_the_members_language(member_client, member):
    _choose_language(member_client, "ru")
    db.session.refresh(member)
    assert member.language == "ru"
    assert 'lang="ru"' in member_client.get("/profile").get_data(as_text=True)


def test_switching_before_sign_in_changes_no_account(client, member):
    _choose_language(client, "zh")
    db.session.refresh(member)
    assert member.language == "en"


def test_the_menu_language_stays_after_signing_out(member_client):
    _choose_language(member_client, "es")
    post_form(member_client, "/auth/logout", {})
    page = member_client.get("/auth/login").get_data(as_text=True)
    assert 'lang="es"' in page


# -- Emails in the recipient's language -----------------------------------------------------------

APPROVED = "Your request to join the R2P focal point network is approved. You can now sign in: %(link)s"
APPROVED_SUBJECT = "Welcome to the R2P focal point network"


def _approve(admin_client, user: User):
    request_id = db.session.scalar(select(AccessRequest.id).where(AccessRequest.user_id == user.id))
    response = post_form(
        admin_client,
        f"/admin/access-requests/{request_id}/approve",
        {f"a{request_id}-country": "SEN", f"a{request_id}-network": "government"},
        form_page="/admin/access-requests",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert user.status == AccountStatus.ACTIVE


@pytest.mark.parametrize(
    ("admin_lang", "member_lang"), [("en", "fr"), ("fr", "en"), ("en", "ar"), ("ru", "zh")]
)
def test_an_approval_email_is_in_the_members_language_not_the_administrators(
    app, client, admin_client, admin, outbox, admin_lang, member_lang
):
    user = _register(client, language=member_lang)
    _choose_language(admin_client, admin_lang)
    assert f'lang="{admin_lang}"' in admin_client.get("/admin/access-requests").get_data(as_text=True)
    outbox.clear()
    _approve(admin_client, user)
    (mail,) = [m for m in outbox if m.to == [user.email]]
    link = "http://127.0.0.1:5000/auth/login"
    assert translated(member_lang, APPROVED) % {"link": link} in mail.body
    assert mail.subject == translated(member_lang, APPROVED_SUBJECT)
    if member_lang != admin_lang:
        assert translated(admin_lang, APPROVED) % {"link": link} not in mail.body


def test_a_rejection_is_in_the_members_language(client, admin_client, outbox):
    user = _register(client, language="es")
    request_id = db.session.scalar(select(AccessRequest.id).where(AccessRequest.user_id == user.id))
    outbox.clear()
    response = post_form(
        admin_client,
        f"/admin/access-requests/{request_id}/reject",
        {f"r{request_id}-reason": "No nomination letter was found."},
        form_page="/admin/access-requests",
    )
    assert response.status_code == 302
    (mail,) = outbox
    assert mail.subject == translated("es", "Your request to join the R2P focal point network")


def test_each_administrator_is_told_of_a_request_in_their_own_language(client, admin, outbox):
    admin.language = "fr"
    other = make_member(None, admin=True, email="secretariat-ar@example.org")
    other.language = "ar"
    db.session.flush()
    _register(client, language="en")
    subject = "New request to join the R2P focal point network"
    by_address = {tuple(m.to): m.subject for m in outbox}
    assert by_address[(admin.email,)] == translated("fr", subject)
    assert by_address[(other.email,)] == translated("ar", subject)


def test_a_password_reset_is_in_the_members_language(client, member, outbox):
    member.language = "ru"
    db.session.flush()
    _choose_language(client, "en")
    response = post_form(client, "/auth/reset", {"email": member.email}, form_page="/auth/reset")
    assert response.status_code == 302
    (mail,) = outbox
    assert mail.subject == translated("ru", "Reset your password")


def test_an_address_change_confirmation_is_in_the_members_language(member_client, member, outbox):
    from r2p_network.account.services import request_email_change

    member.language = "zh"
    db.session.flush()
    with member_client.application.test_request_context("/", headers={"Accept-Language": "en"}):
        request_email_change(member, "new.address@example.org")
        from flask import g

        (message_id,) = g.pop("pending_mail")
    mail = db.session.get(OutboxMessage, message_id)
    assert mail.lang == "zh" and mail.subject == translated("zh", "Confirm your new sign-in address")


# -- Times in the member's zone -------------------------------------------------------------------


def test_times_are_shown_in_the_members_zone_with_the_zone_named(member_client, member):
    member.password_changed_at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    member.time_zone = "Asia/Tokyo"
    db.session.flush()
    page = member_client.get("/account/").get_data(as_text=True)
    assert "9:00:00" in page and "(Japan Time)" in page
    member.time_zone = "UTC"
    db.session.flush()
    page = member_client.get("/account/").get_data(as_text=True)
    assert "12:00:00" in page and "(UTC)" in page


def test_times_are_formatted_for_the_language(member_client, member):
    member.password_changed_at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    member.time_zone = "Europe/Paris"
    db.session.flush()
    _choose_language(member_client, "fr")
    page = member_client.get("/account/").get_data(as_text=True)
    assert "30 nov. 2026, 13:00:00" in page and "France" in page


def test_a_moderation_decision_is_in_the_authors_language(admin_client, member, outbox):
    from tests.factories import make_lesson

    member.language = "fr"
    db.session.flush()
    lesson = make_lesson(member, status="submitted")
    outbox.clear()
    response = post_form(
        admin_client,
        f"/lessons/{lesson.id}/decision",
        {f"l{lesson.id}-decision": "reject", f"l{lesson.id}-reason": "Out of scope."},
        "/admin/moderation",
    )
    assert response.status_code == 302
    (mail,) = outbox
    assert mail.subject == translated_or_new("fr", "Your lesson was not accepted: %(title)s") % {
        "title": lesson.title
    }
    message = translated("fr", "Your lesson “%(title)s” was not accepted: %(note)s")
    assert message % {"title": lesson.title, "note": "Out of scope."} in mail.body


# -- Exports in the member's language -------------------------------------------------------------


def _signed_in_in(lang: str, user: User):
    """A client of *user* whose own language is *lang*, with no language chosen in the menu."""
    from flask import current_app

    user.language = lang
    db.session.flush()
    client = current_app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_capacity_exports_speak_the_members_language_but_json_keys_stay(member):
    import csv
    import io
    import json

    import openpyxl

    from r2p_network.capacity.queries import EXPORT_COLUMNS
    from tests.test_capacity import make_map

    make_map("GHA", 2026, [("mediation", "offers", 3)])
    client = _signed_in_in("fr", member)
    labels = ["ISO code", "Country", "Network", "Cycle", "Capacity", "Status", "Maturity", "Institution"]
    french = [translated("fr", text) for text in labels]

    body = client.get("/capacity/export.csv").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert set(french) <= set(header) and "country_name" not in header
    assert header[:2] == [translated("fr", "ISO code"), translated("fr", "Country")]

    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/capacity/export.xlsx").data))
    assert workbook.sheetnames[0] == translated("fr", "Entries")
    entries = [cell.value for cell in next(workbook.worksheets[0].iter_rows())]
    assert entries == header
    about = [[cell.value for cell in row] for row in workbook.worksheets[-1].iter_rows()]
    assert about[0] == [translated("fr", "Item"), translated("fr", "Meaning")]
    assert [translated("fr", "Status") + ": offers"] == [
        row[0] for row in about if str(row[0]).endswith(": offers")
    ]
    assert not any(str(row[0]).startswith(("status:", "maturity ")) for row in about)

    data = json.loads(client.get("/capacity/export.json").get_data(as_text=True))
    assert list(data["entries"][0]) == list(EXPORT_COLUMNS)


def test_the_directory_export_speaks_the_administrators_language(admin, member):
    import csv
    import io

    client = _signed_in_in("es", admin)
    body = client.get("/focal-points/export.csv").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert header[:3] == [
        translated("es", "ISO code"),
        translated("es", "Country"),
        translated("es", "Network"),
    ]


def test_a_cached_page_part_is_kept_apart_for_each_time_zone(app, member):
    """Parts with times in them are cached per zone, so no member sees another's local time."""
    from flask_babel import refresh
    from flask_login import login_user

    from r2p_network.core.fragments import fragment_key

    keys = []
    for zone in ("Asia/Tokyo", "America/Lima"):
        member.time_zone = zone
        with app.test_request_context("/"):
            login_user(member)
            refresh()
            keys.append(fragment_key("part.html", ("x",), "members"))
    assert keys[0] != keys[1]
    assert ("tz", "Asia/Tokyo") in keys[0]


def test_a_decision_on_a_translation_is_in_the_translators_language(admin_client, member, outbox):
    from tests.factories import make_lesson
    from tests.test_lesson_translations import make_translation

    translator = make_member("SEN", email="traductrice@example.org")
    translator.language = "es"
    db.session.flush()
    translation = make_translation(make_lesson(member), translator, status="submitted")
    outbox.clear()
    response = post_form(
        admin_client,
        f"/lessons/{translation.lesson_id}/fr/decision",
        {f"t{translation.id}-decision": "approve"},
        "/admin/moderation",
    )
    assert response.status_code == 302
    (mail,) = [m for m in outbox if m.to == [translator.email]]
    assert mail.subject == translated_or_new("es", "Your translation is published: %(title)s") % {
        "title": translation.title
    }
