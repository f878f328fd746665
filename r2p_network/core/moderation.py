"""Recording moderation decisions: each is a ModerationDecision and an audit event."""

from __future__ import annotations

from r2p_network.core import audit
from r2p_network.extensions import db
from r2p_network.models import ModerationDecision, User


def record(
    object_type: str, object_id: int, decision: str, moderator: User, reason: str | None = None
) -> None:
    """Keep a moderator's decision (the reason stays here, not in the audit trail)."""
    db.session.add(
        ModerationDecision(
            object_type=object_type,
            object_id=object_id,
            decision=decision,
            reason=reason,
            moderator_id=moderator.id,
        )
    )
    audit.record(
        f"moderation.{object_type}.{decision}",
        actor_id=moderator.id,
        object_type=object_type,
        object_id=object_id,
    )
