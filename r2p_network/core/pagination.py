"""One way to cut a listing into pages: a count, then one page of rows, in two queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, Select, func, select

from r2p_network.extensions import db


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def paginate(stmt: Select, page: int, per_page: int) -> tuple[Sequence[Row], int, int]:
    """The rows of one page, the total, and the page actually shown (kept within range)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = min(max(page, 1), page_count(total, per_page))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total, page
