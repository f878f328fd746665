"""Factories for test data. Each adds to the current session and flushes."""

from __future__ import annotations

import itertools
from functools import cache

from r2p_network.auth.passwords import hash_password
from r2p_network.extensions import db
from r2p_network.models import AccountStatus, FocalPointProfile, Network, Role, User, utcnow

DEFAULT_PASSWORD = "correct horse battery staple 2026"
_sequence = itertools.count(1)


@cache
def _default_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)


def make_member(
    country: str | None = "GHA",
    network: Network = Network.GOVERNMENT,
    *,
    admin: bool = False,
    email: str | None = None,
    name: str | None = None,
    status: AccountStatus = AccountStatus.ACTIVE,
    institution: str = "Ministry of Foreign Affairs",
) -> User:
    """An account (approved and active by default), with a profile when *country* is given."""
    n = next(_sequence)
    user = User(
        email=email or f"member{n}@example.org",
        name=name or f"Member {n}",
        password_hash=_default_hash(),
        role=Role.ADMIN if admin else Role.FOCAL_POINT,
        status=status,
        approved_at=utcnow() if status == AccountStatus.ACTIVE else None,
    )
    if country:
        user.profile = FocalPointProfile(
            country_iso3=country, network=network, title="Focal point", institution=institution
        )
    db.session.add(user)
    db.session.flush()
    return user
