"""Demo assistance requests between demo teams, and one capacity map under revision."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from r2p_network.capacity.services import start_revision
from r2p_network.demo_data import seed_file
from r2p_network.extensions import db
from r2p_network.models import (
    AssistanceNote,
    AssistanceRequest,
    AssistanceStatus,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    User,
    utcnow,
)

STATES = (
    AssistanceStatus.COUNTER_PROPOSED,
    AssistanceStatus.UNDER_WAY,
    AssistanceStatus.DELIVERED,
    AssistanceStatus.CLOSED,
)


def _author(iso3: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.email == f"fp.{iso3.lower()}@example.org"))


def seed_assistance() -> None:
    """Requests in several states from open needs to matching offers of other demo teams; and a
    draft revision of the first current map."""
    if db.session.scalar(select(AssistanceRequest.id).limit(1)):
        return
    need, offer = aliased(CapacityEntry), aliased(CapacityEntry)
    needing, offering = aliased(CapacitySubmission), aliased(CapacitySubmission)
    pairs = db.session.execute(
        select(need, needing, offer, offering)
        .join(needing, needing.id == need.submission_id)
        .join(offer, offer.category_id == need.category_id)
        .join(offering, offering.id == offer.submission_id)
        .where(
            needing.is_current.is_(True),
            offering.is_current.is_(True),
            need.status == CapacityStatus.NEEDS,
            need.restricted.is_(False),
            offer.status == CapacityStatus.OFFERS,
            needing.country_iso3 != offering.country_iso3,
        )
        .order_by(need.id, offer.id)
    ).all()
    texts = seed_file("assistance")
    used: set[int] = set()
    added = 0
    now = utcnow()
    for need_entry, needing_map, offer_entry, offering_map in pairs:
        if added == len(STATES):
            break
        if need_entry.id in used:
            continue
        used.add(need_entry.id)
        state = STATES[added]
        text = texts["requests"][added]
        request = AssistanceRequest(
            requester_iso3=needing_map.country_iso3,
            requester_network=needing_map.network,
            provider_iso3=offering_map.country_iso3,
            provider_network=offering_map.network,
            category_id=need_entry.category_id,
            need_entry_id=need_entry.id,
            offer_entry_id=offer_entry.id,
            what=text["what"],
            why=text["why"],
            timeframe=text["timeframe"],
            status=state,
            response=texts["counter_proposal"] if state == AssistanceStatus.COUNTER_PROPOSED else None,
            requested_by_id=_author(needing_map.country_iso3),
            responded_by_id=_author(offering_map.country_iso3),
            created_at=now - timedelta(days=90 * (added + 1)),
            closed_at=now - timedelta(days=10) if state == AssistanceStatus.CLOSED else None,
        )
        db.session.add(request)
        db.session.flush()
        if state != AssistanceStatus.COUNTER_PROPOSED:
            db.session.add(
                AssistanceNote(
                    request_id=request.id,
                    author_id=request.responded_by_id,
                    body=texts["note"],
                    link=texts["note_link"],
                )
            )
        added += 1
    first = db.session.scalar(
        select(CapacitySubmission)
        .where(CapacitySubmission.is_current.is_(True))
        .order_by(CapacitySubmission.id)
    )
    author = db.session.get(User, _author(first.country_iso3) or 0) if first else None
    if first is not None and author is not None:
        start_revision(first, author)
    db.session.flush()
