"""Demo seats of organisations and of the UN office, regional coordinators, and organisations'
profiles; the texts live in ``seed/organisations.json``. Only what is missing is added."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from r2p_network.demo_data import seed_file
from r2p_network.extensions import db
from r2p_network.models import (
    AccountStatus,
    CoordinatorGrant,
    FocalPointProfile,
    OrganisationProfile,
    ScopeKind,
    SeatKind,
    User,
)


def _account(email: str, name: str, password_hash: str, now: datetime) -> User:
    return User(
        email=email, name=name, password_hash=password_hash, status=AccountStatus.ACTIVE, approved_at=now
    )


def seed_organisations(password_hash: str, existing: set[str], now: datetime) -> int:
    """Add the demo's organisation seats, coordinators and mechanism profiles; return the accounts added."""
    seed = seed_file("organisations")
    created = 0
    for seat in seed["seats"]:
        if seat["email"] in existing:
            continue
        user = _account(seat["email"], seat["name"], password_hash, now)
        user.profile = FocalPointProfile(
            seat=SeatKind.ORGANISATION if seat["organisation"] else SeatKind.UN_OFFICE,
            organisation_slug=seat["organisation"],
            title=seat["title"],
            institution=seat["institution"],
            contact_email=seat["email"],
        )
        db.session.add(user)
        created += 1
    for coordinator in seed["coordinators"]:
        if coordinator["email"] in existing:
            continue
        user = _account(coordinator["email"], coordinator["name"], password_hash, now)
        db.session.add(user)
        db.session.flush()
        db.session.add(
            CoordinatorGrant(
                user_id=user.id, scope_kind=ScopeKind(coordinator["kind"]), scope_key=coordinator["key"]
            )
        )
        created += 1
    described = set(db.session.scalars(select(OrganisationProfile.slug)))
    for slug, texts in seed["profiles"].items():
        if slug not in described:
            db.session.add(OrganisationProfile(slug=slug, **texts))
    db.session.flush()
    return created
