"""Append-only audit trail of security-relevant actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.base import Base


class AuditEvent(Base):
    """Who did what, to which object, when and from where. Never holds secrets."""

    __tablename__ = "audit_event"
    renews_data: ClassVar[bool] = False  # the audit trail shows in no cached part

    id: Mapped[int] = mapped_column(primary_key=True)
    # Set by the database (and, on PostgreSQL, forced by a trigger): the application cannot backdate.
    created_at: Mapped[datetime] = mapped_column(nullable=False, server_default=func.now(), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    object_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    object_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    ip_address: Mapped[str] = mapped_column(String(45), nullable=False, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
