"""Reads for the account pages."""

from __future__ import annotations

from sqlalchemy import func, select

from r2p_network.extensions import db
from r2p_network.models import RecoveryCode, UserSession


def active_sessions(user_id: int) -> list[UserSession]:
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user_id)
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def unused_recovery_codes(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )
