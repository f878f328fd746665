"""Reads for the administration pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from r2p_network.extensions import db
from r2p_network.models import AccessRequest, Country, FocalPointProfile, Network, RequestStatus, User
from r2p_network.reference import country_name_column


@dataclass(frozen=True)
class PendingRequest:
    id: int
    created_at: datetime
    name: str
    email: str
    title: str
    institution: str
    country_iso3: str
    country_name: str
    network: Network
    justification: str


def pending_access_requests() -> list[PendingRequest]:
    """Requests awaiting a decision, oldest first, in one query."""
    rows = db.session.execute(
        select(
            AccessRequest.id,
            AccessRequest.created_at,
            User.name,
            User.email,
            FocalPointProfile.title,
            FocalPointProfile.institution,
            FocalPointProfile.country_iso3,
            country_name_column(),
            FocalPointProfile.network,
            AccessRequest.justification,
        )
        .join(User, User.id == AccessRequest.user_id)
        .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .join(Country, Country.iso3 == FocalPointProfile.country_iso3)
        .where(AccessRequest.status == RequestStatus.PENDING)
        .order_by(AccessRequest.created_at, AccessRequest.id)
    ).all()
    return [PendingRequest(*row) for row in rows]


def access_request(request_id: int) -> AccessRequest | None:
    """One request with its member and profile loaded."""
    return db.session.get(AccessRequest, request_id)
