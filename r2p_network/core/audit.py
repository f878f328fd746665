"""Writing the audit trail. Callers pass identifiers and outcomes, never secrets or content."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from r2p_network.extensions import db
from r2p_network.models import AuditEvent


def client_ip() -> str:
    """The client's address as seen through the configured proxies."""
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def record(
    action: str,
    *,
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: object = None,
    **detail: Any,
) -> AuditEvent:
    """Add one audit event to the current unit of work."""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        ip_address=client_ip(),
        detail=detail,
    )
    db.session.add(event)
    return event
