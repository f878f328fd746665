"""Changes to treaty records. Services add and flush; the route commits once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from r2p_network.core import audit
from r2p_network.extensions import db
from r2p_network.models import TreatyParticipation, TreatyStatus, TreatyStatusChange, User, utcnow
from r2p_network.models.treaties import WITHDRAWALS


def set_treaty_status(
    iso3: str,
    instrument_slug: str,
    status: TreatyParticipation,
    source: str,
    as_of: date,
    editor: User,
    *,
    withdrawal_effective_on: date | None = None,
    implementing_legislation: str | None = None,
) -> TreatyStatus:
    """Record a country's status for one instrument and keep the change in the history.

    The date a withdrawal takes effect is kept only for the two withdrawal statuses.
    """
    effective = withdrawal_effective_on if status in WITHDRAWALS else None
    legislation = (implementing_legislation or "").strip() or None
    record = db.session.scalar(
        select(TreatyStatus).where(
            TreatyStatus.country_iso3 == iso3, TreatyStatus.instrument_slug == instrument_slug
        )
    )
    old = record.status if record else None
    if record is None:
        record = TreatyStatus(country_iso3=iso3, instrument_slug=instrument_slug)
        db.session.add(record)
    record.status = status
    record.source = source.strip()
    record.as_of = as_of
    record.withdrawal_effective_on = effective
    record.implementing_legislation = legislation
    record.updated_at = utcnow()
    record.updated_by_id = editor.id
    db.session.add(
        TreatyStatusChange(
            country_iso3=iso3,
            instrument_slug=instrument_slug,
            old_status=old,
            new_status=status,
            source=record.source,
            as_of=as_of,
            withdrawal_effective_on=effective,
            implementing_legislation=legislation,
            changed_by_id=editor.id,
        )
    )
    audit.record(
        "treaty.updated",
        actor_id=editor.id,
        object_type="country",
        object_id=iso3,
        instrument=instrument_slug,
        old=old.value if old else None,
        new=status.value,
        effective=effective.isoformat() if effective else None,
    )
    db.session.flush()
    return record
