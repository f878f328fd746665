"""Years and quarters: the periods a report counts in, in Python and in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Subquery, cast, extract, literal, select, union_all

from r2p_network.models.base import UTCDateTime

GRAINS = ("year", "quarter")


@dataclass(frozen=True)
class Period:
    key: int  # 2026 for a year, 20263 for its third quarter (as ``period_of`` computes it in SQL)
    label: str
    end: datetime  # exclusive


def periods(grain: str, first_year: int, now: datetime) -> list[Period]:
    """Every period from the start of *first_year* to the one containing *now*."""
    found: list[Period] = []
    for year in range(first_year, now.year + 1):
        if grain == "year":
            found.append(Period(year, str(year), datetime(year + 1, 1, 1, tzinfo=UTC)))
            continue
        for quarter in range(1, 5):
            if (year, quarter) > (now.year, (now.month + 2) // 3):
                break
            end = datetime(year + quarter // 4, quarter % 4 * 3 + 1, 1, tzinfo=UTC)
            found.append(Period(year * 10 + quarter, f"{year} Q{quarter}", end))
    return found


def period_of(column: Any, grain: str) -> ColumnElement[int]:
    """SQL: the key of the period that *column* (a timestamp or a date) falls in."""
    year = cast(extract("year", column), Integer)
    if grain == "year":
        return year
    return year * 10 + (cast(extract("month", column), Integer) + 2) // 3


def period_ends(chosen: list[Period]) -> Subquery:
    """SQL: one row (period, end) per period, to count what held at each period's end."""
    return union_all(
        *(
            select(literal(p.key, Integer).label("period"), literal(p.end, UTCDateTime()).label("end"))
            for p in chosen
        )
    ).subquery("period_end")
