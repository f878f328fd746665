"""Reads about the teams' own submissions: lists, entries, and a revision's difference from the
map it revises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select

from r2p_network.core.geography import country_name_column, country_sort_column
from r2p_network.extensions import db
from r2p_network.models import (
    CapacityCategory,
    CapacityEntry,
    CapacitySubmission,
    Country,
    Network,
    SubmissionStatus,
    User,
)
from r2p_network.permissions import Capability, scope_condition


@dataclass(frozen=True)
class SubmissionSummary:
    id: int
    country_iso3: str
    country_name: str
    network: Network
    cycle: int
    status: SubmissionStatus
    entries: int
    submitted_at: datetime | None
    revision: int
    revises_id: int | None
    replaced: bool


def verified_by(user: User | Any) -> ColumnElement[bool]:
    """SQL: submissions of countries within the scopes where *user* verifies capacity maps."""
    return scope_condition(user, Capability.VERIFY_CAPACITY, iso3=CapacitySubmission.country_iso3)


def submissions(*conditions: ColumnElement[bool]) -> list[SubmissionSummary]:
    name = country_name_column()
    counts = (
        select(CapacityEntry.submission_id, func.count().label("n"))
        .group_by(CapacityEntry.submission_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            CapacitySubmission.id,
            CapacitySubmission.country_iso3,
            name,
            CapacitySubmission.network,
            CapacitySubmission.cycle,
            CapacitySubmission.status,
            func.coalesce(counts.c.n, 0),
            CapacitySubmission.submitted_at,
            CapacitySubmission.revision,
            CapacitySubmission.revises_id,
            CapacitySubmission.replaced_by_id.is_not(None),
        )
        .join(Country, Country.iso3 == CapacitySubmission.country_iso3)
        .outerjoin(counts, counts.c.submission_id == CapacitySubmission.id)
        .where(*conditions)
        .order_by(
            CapacitySubmission.submitted_at,
            CapacitySubmission.cycle.desc(),
            CapacitySubmission.revision.desc(),
            country_sort_column(),
            name,
        )
    )
    return [SubmissionSummary(*row) for row in rows]


def submission_entries(submission_id: int) -> list[tuple[CapacityEntry, CapacityCategory]]:
    return [
        (entry, category)
        for entry, category in db.session.execute(
            select(CapacityEntry, CapacityCategory)
            .join(CapacityCategory, CapacityCategory.id == CapacityEntry.category_id)
            .where(CapacityEntry.submission_id == submission_id)
            .order_by(CapacityCategory.position, CapacityEntry.status, CapacityEntry.id)
        )
    ]


def team_submission(team: tuple[str, Network], cycle: int) -> int | None:
    """The id of a team's latest map (or revision) for *cycle*, if there is one."""
    return db.session.scalar(
        select(CapacitySubmission.id)
        .where(
            CapacitySubmission.country_iso3 == team[0],
            CapacitySubmission.network == team[1],
            CapacitySubmission.cycle == cycle,
        )
        .order_by(CapacitySubmission.revision.desc())
        .limit(1)
    )


def diffs(waiting: list[SubmissionSummary]) -> dict[int, RevisionDiff | None]:
    """The difference of each waiting revision from the map it revises, for the verifier."""
    return {s.id: revision_diff(s.id, s.revises_id) for s in waiting}


def open_revision(source: CapacitySubmission) -> int | None:
    """The id of a revision of *source* that is not yet verified, if the team started one."""
    return db.session.scalar(
        select(CapacitySubmission.id).where(
            CapacitySubmission.revises_id == source.id,
            CapacitySubmission.status != SubmissionStatus.VERIFIED,
        )
    )


COMPARED = ("category_id", "status", "maturity", "description", "institution", "contact", "restricted")


@dataclass(frozen=True)
class EntryChange:
    """One line of a revision's difference: *before* is absent for an added entry, *after* for a
    removed one."""

    kind: str  # "added", "changed" or "removed"
    before: tuple[CapacityEntry, CapacityCategory] | None
    after: tuple[CapacityEntry, CapacityCategory] | None
    fields: tuple[str, ...] = ()  # the names in COMPARED that changed


@dataclass(frozen=True)
class RevisionDiff:
    changes: list[EntryChange]
    unchanged: int

    @property
    def removed(self) -> int:
        return sum(1 for change in self.changes if change.kind == "removed")


def revision_diff(submission_id: int, revises_id: int | None) -> RevisionDiff | None:
    """What a revision adds, changes and removes compared with the map it revises (two queries)."""
    if revises_id is None:
        return None
    before = {entry.id: (entry, category) for entry, category in submission_entries(revises_id)}
    changes: list[EntryChange] = []
    kept: set[int] = set()
    unchanged = 0
    for entry, category in submission_entries(submission_id):
        origin = before.get(entry.origin_id) if entry.origin_id is not None else None
        if origin is None:
            changes.append(EntryChange("added", None, (entry, category)))
            continue
        kept.add(origin[0].id)
        fields = tuple(name for name in COMPARED if getattr(entry, name) != getattr(origin[0], name))
        if fields:
            changes.append(EntryChange("changed", origin, (entry, category), fields))
        else:
            unchanged += 1
    changes += [EntryChange("removed", pair, None) for key, pair in before.items() if key not in kept]
    return RevisionDiff(changes, unchanged)
