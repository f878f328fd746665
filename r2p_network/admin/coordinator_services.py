"""Granting and revoking the regional coordinator role. Services add and flush; the route commits."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.extensions import db
from r2p_network.models import CoordinatorGrant, ScopeKind, User, utcnow
from r2p_network.notifications.services import notify
from r2p_network.permissions import forget_grants


def grant_coordinator(member: User, kind: ScopeKind, key: str, admin: User) -> CoordinatorGrant:
    """Make *member* coordinator of one scope (audited); a grant already in force is refused."""
    current = db.session.scalar(
        select(CoordinatorGrant.id).where(
            CoordinatorGrant.user_id == member.id,
            CoordinatorGrant.scope_kind == kind,
            CoordinatorGrant.scope_key == key,
            CoordinatorGrant.revoked_at.is_(None),
        )
    )
    if current is not None:
        raise StateError("already coordinates this scope")
    grant = CoordinatorGrant(user_id=member.id, scope_kind=kind, scope_key=key, granted_by_id=admin.id)
    db.session.add(grant)
    db.session.flush()
    forget_grants()
    notify(member.id, "coordinator_granted", url_for("admin.index"), scope=f"{kind.value}:{key}")
    audit.record(
        "coordinator.granted",
        actor_id=admin.id,
        object_type="user",
        object_id=member.id,
        scope=f"{kind.value}:{key}",
        grant=grant.id,
    )
    return grant


def revoke_coordinator(grant: CoordinatorGrant, admin: User) -> None:
    """End a coordinator's grant (audited); the row stays as the record of who coordinated what."""
    if grant.revoked_at is not None:
        raise StateError("already revoked")
    grant.revoked_at = utcnow()
    grant.revoked_by_id = admin.id
    db.session.flush()
    forget_grants()
    audit.record(
        "coordinator.revoked",
        actor_id=admin.id,
        object_type="user",
        object_id=grant.user_id,
        scope=f"{grant.scope_kind.value}:{grant.scope_key}",
        grant=grant.id,
    )
