"""The token that names the current state of the network's data, for cached page parts."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from r2p_network.models.base import Base


class DataRevision(Base):
    """One row whose token every commit that changes data replaces (see ``r2p_network.core.fragments``)."""

    __tablename__ = "data_revision"
    renews_data: ClassVar[bool] = False  # the token itself
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), nullable=False)
