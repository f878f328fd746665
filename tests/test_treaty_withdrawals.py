"""Treaty records: withdrawals (notified, then in effect) and implementing legislation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from r2p_network.extensions import db
from r2p_network.models import TreatyParticipation, TreatyStatus, TreatyStatusChange, utcnow
from tests.conftest import post_form

PAGE = "/countries/GHA/treaties"
URL = "/countries/GHA/treaties/rome-statute"


def _post(client, **fields):
    data = {
        "rome-statute-status": "party",
        "rome-statute-source": "UN Treaty Collection",
        "rome-statute-as_of": "2025-06-10",
    }
    data.update({f"rome-statute-{name}": value for name, value in fields.items()})
    return post_form(client, URL, data, form_page=PAGE)


def test_withdrawal_statuses_need_the_date_they_take_effect(member_client):
    for status in ("withdrawal_notified", "withdrawn"):
        response = _post(member_client, status=status)
        assert response.status_code == 400
        assert "Give the date the withdrawal takes effect." in response.get_data(as_text=True)
    response = _post(member_client, status="withdrawal_notified", withdrawal_effective_on="not a date")
    assert response.status_code == 400
    assert "Not a valid date value" in response.get_data(as_text=True)
    assert db.session.scalar(select(TreatyStatus).where(TreatyStatus.country_iso3 == "GHA")) is None


def test_withdrawal_dates_must_fit_the_status(member_client):
    response = _post(member_client, status="party", withdrawal_effective_on="2026-06-02")
    assert response.status_code == 400
    assert "Only a withdrawal has this date" in response.get_data(as_text=True)
    future = (utcnow().date() + timedelta(days=30)).isoformat()
    response = _post(member_client, status="withdrawn", withdrawal_effective_on=future)
    assert response.status_code == 400
    assert "has not taken effect yet" in response.get_data(as_text=True)
    response = _post(
        member_client, status="withdrawal_notified", as_of="2025-06-10", withdrawal_effective_on="2025-06-01"
    )
    assert response.status_code == 400
    assert "had already taken effect" in response.get_data(as_text=True)


def test_a_withdrawal_from_notice_to_effect_shows_in_the_history(member_client):
    law = "International Crimes Act (2009)"
    assert _post(member_client, as_of="2024-01-15", implementing_legislation=law).status_code == 302
    response = _post(
        member_client, status="withdrawal_notified", as_of="2025-06-10", withdrawal_effective_on="2026-06-02"
    )
    assert response.status_code == 302
    response = _post(
        member_client, status="withdrawn", as_of="2026-06-03", withdrawal_effective_on="2026-06-02"
    )
    assert response.status_code == 302

    record = db.session.scalar(select(TreatyStatus).where(TreatyStatus.country_iso3 == "GHA"))
    assert record.status == TreatyParticipation.WITHDRAWN
    assert record.withdrawal_effective_on.isoformat() == "2026-06-02"
    assert record.implementing_legislation is None  # the last save left the field empty
    history = db.session.scalars(
        select(TreatyStatusChange)
        .where(TreatyStatusChange.country_iso3 == "GHA")
        .order_by(TreatyStatusChange.id)
    ).all()
    assert [(h.old_status, h.new_status) for h in history] == [
        (None, TreatyParticipation.PARTY),
        (TreatyParticipation.PARTY, TreatyParticipation.WITHDRAWAL_NOTIFIED),
        (TreatyParticipation.WITHDRAWAL_NOTIFIED, TreatyParticipation.WITHDRAWN),
    ]
    assert history[0].implementing_legislation == law and history[0].withdrawal_effective_on is None

    page = member_client.get(PAGE).get_data(as_text=True)
    history_html = page.split("History of changes", 1)[1]
    assert "Party → Withdrawal notified" in history_html
    assert "Withdrawal notified → Withdrawn" in history_html
    assert "takes effect on Jun 2, 2026" in history_html and "took effect on Jun 2, 2026" in history_html
    assert f"Implementing legislation: {law}" in history_html
    country = member_client.get("/countries/GHA").get_data(as_text=True)
    assert "badge-withdrawn" in country and "took effect on Jun 2, 2026" in country


def test_implementing_legislation_shows_on_the_country_page(member_client):
    law = "Rome Statute Implementation Act (2011)"
    assert _post(member_client, implementing_legislation=law).status_code == 302
    page = member_client.get("/countries/GHA").get_data(as_text=True)
    assert "Implementing legislation" in page and law in page
    record = db.session.scalar(select(TreatyStatus).where(TreatyStatus.country_iso3 == "GHA"))
    assert record.withdrawal_effective_on is None
