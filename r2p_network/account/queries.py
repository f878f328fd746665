"""Reads for the account pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from r2p_network.extensions import db
from r2p_network.models import AuditEvent, FocalPointProfile, RecoveryCode, User, UserSession


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


@dataclass(frozen=True)
class WelcomeStep:
    key: str
    done: bool
    required: bool


def welcome_steps(
    user: User, profile: FocalPointProfile | None, two_factor_required: bool
) -> list[WelcomeStep]:
    """The first-run steps and whether each is done: profile, language and notifications, two-factor."""
    chose = db.session.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.actor_id == user.id, AuditEvent.action == "notifications.preferences_saved")
        .limit(1)
    )
    steps = []
    if profile is not None:  # administrators of the secretariat have no focal point profile
        done = all((profile.title, profile.institution, profile.bio.strip()))
        steps.append(WelcomeStep("profile", done, required=False))
    steps.append(WelcomeStep("notifications", chose is not None, required=False))
    steps.append(WelcomeStep("two_factor", user.has_two_factor, required=two_factor_required))
    return steps
