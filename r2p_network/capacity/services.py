"""Changes to capacity submissions. Services add and flush; the route commits once.

The state machine: draft or returned -> submitted -> verified (final) or returned. A verified
map can be revised: a copy for the same cycle goes through the same states, and the map it
revises stays on the network map until the revision is verified.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, insert, literal, or_, select, update

from r2p_network.capacity.queries import Category, current_cycle, on_the_map
from r2p_network.capacity.submission_queries import open_revision, team_submission
from r2p_network.core import audit, emails, moderation
from r2p_network.core.errors import StateError
from r2p_network.extensions import db
from r2p_network.models import (
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Network,
    SubmissionStatus,
    User,
    utcnow,
)
from r2p_network.notifications.services import notify

EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class DuplicateCycle(Exception):
    """The team already has a submission for that cycle."""


def create_submission(user: User, cycle: int) -> CapacitySubmission:
    """Start the member's team's map for a cycle."""
    profile = user.profile
    if profile is None or profile.country_iso3 is None or profile.network is None:
        raise StateError("only a country's focal points have a team")
    if team_submission((profile.country_iso3, profile.network), cycle):
        raise DuplicateCycle
    submission = CapacitySubmission(
        country_iso3=profile.country_iso3, network=profile.network, cycle=cycle, created_by_id=user.id
    )
    db.session.add(submission)
    db.session.flush()
    audit.record(
        "capacity.created", actor_id=user.id, object_type="capacity_submission", object_id=submission.id
    )
    return submission


@dataclass(frozen=True)
class EntryData:
    category: Category
    status: CapacityStatus
    maturity: int
    description: str
    institution: str
    contact: str
    restricted: bool


def start_revision(source: CapacitySubmission, user: User) -> CapacitySubmission:
    """Copy a verified map, with its entries, into a new draft for the same cycle."""
    if source.status != SubmissionStatus.VERIFIED or source.replaced_by_id is not None:
        raise StateError(source.status)
    if open_revision(source) is not None:
        raise DuplicateCycle
    revision = CapacitySubmission(
        country_iso3=source.country_iso3,
        network=source.network,
        cycle=source.cycle,
        revision=db.session.scalar(
            select(func.max(CapacitySubmission.revision) + 1).where(
                CapacitySubmission.country_iso3 == source.country_iso3,
                CapacitySubmission.network == source.network,
                CapacitySubmission.cycle == source.cycle,
            )
        ),
        revises_id=source.id,
        created_by_id=user.id,
    )
    db.session.add(revision)
    db.session.flush()
    copied = ("category_id", "status", "maturity", "description", "institution", "contact", "restricted")
    db.session.execute(
        insert(CapacityEntry).from_select(
            ["submission_id", *copied, "origin_id"],
            select(
                literal(revision.id),
                *(getattr(CapacityEntry, name) for name in copied),
                CapacityEntry.id,
            )
            .where(CapacityEntry.submission_id == source.id)
            .order_by(CapacityEntry.id),
        )
    )
    audit.record(
        "capacity.revision_started",
        actor_id=user.id,
        object_type="capacity_submission",
        object_id=revision.id,
        revises=source.id,
    )
    return revision


def _apply(entry: CapacityEntry, data: EntryData) -> None:
    entry.category_id = data.category.id
    entry.status = data.status
    entry.maturity = data.maturity
    entry.description = data.description.strip()
    entry.institution = data.institution.strip()
    entry.contact = data.contact.strip()
    entry.restricted = data.restricted and data.status == CapacityStatus.NEEDS


def add_entry(submission: CapacitySubmission, data: EntryData) -> CapacityEntry:
    """Add an entry to an editable map."""
    if submission.status not in EDITABLE:
        raise StateError(submission.status)
    entry = CapacityEntry(submission_id=submission.id)
    _apply(entry, data)
    db.session.add(entry)
    db.session.flush()
    return entry


def update_entry(submission: CapacitySubmission, entry: CapacityEntry, data: EntryData) -> None:
    """Change an entry of an editable map."""
    if submission.status not in EDITABLE:
        raise StateError(submission.status)
    _apply(entry, data)
    db.session.flush()


def remove_entry(submission: CapacitySubmission, entry: CapacityEntry) -> None:
    if submission.status not in EDITABLE:
        raise StateError(submission.status)
    db.session.delete(entry)
    db.session.flush()


def submit(submission: CapacitySubmission, user: User) -> None:
    """Send the map for verification; it needs at least one entry."""
    if submission.status not in EDITABLE:
        raise StateError(submission.status)
    if not db.session.scalar(
        select(CapacityEntry.id).where(CapacityEntry.submission_id == submission.id).limit(1)
    ):
        raise StateError("empty")
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = utcnow()
    submission.note = None
    db.session.flush()
    audit.record(
        "capacity.submitted", actor_id=user.id, object_type="capacity_submission", object_id=submission.id
    )


SUBJECTS = {
    SubmissionStatus.VERIFIED: _l("Your capacity map for %(cycle)d is verified"),
    SubmissionStatus.RETURNED: _l("Your capacity map for %(cycle)d is returned to your team"),
}


def _decide(submission: CapacitySubmission, admin: User, status: SubmissionStatus, note: str | None) -> None:
    if submission.status != SubmissionStatus.SUBMITTED:
        raise StateError(submission.status)
    submission.status = status
    submission.note = note
    submission.decided_at = utcnow()
    submission.decided_by_id = admin.id
    db.session.flush()
    moderation.record("capacity_submission", submission.id, status.value, admin, note)
    if submission.created_by_id:
        author = db.session.get(User, submission.created_by_id)
        link = url_for("capacity.detail", submission_id=submission.id)
        notify(
            submission.created_by_id,
            f"capacity_{status.value}",
            link,
            cycle=submission.cycle,
            **({"note": note} if note else {}),
        )
        if author is not None:
            emails.send(
                author.email,
                emails.subject(SUBJECTS[status], cycle=submission.cycle),
                "capacity_decided",
                lang=author.language,
                user=author,
                submission=submission,
                link=emails.link("capacity.detail", submission_id=submission.id),
            )


def verify(submission: CapacitySubmission, admin: User) -> None:
    """Accept a submitted map: it becomes the team's current map if its cycle is the latest,
    and replaces the map it revises."""
    _decide(submission, admin, SubmissionStatus.VERIFIED, None)
    if submission.revises_id is not None:
        db.session.execute(
            update(CapacitySubmission)
            .where(CapacitySubmission.id == submission.revises_id)
            .values(replaced_by_id=submission.id)
            .execution_options(synchronize_session=False)
        )
    refresh_current_maps((submission.country_iso3, submission.network))


def return_to_team(submission: CapacitySubmission, admin: User, note: str) -> None:
    """Send a submitted map back with a note; the team can edit and submit it again."""
    _decide(submission, admin, SubmissionStatus.RETURNED, note.strip())


def refresh_current_maps(*teams: tuple[str, Network]) -> None:
    """Mark each team's latest verified map as current (all teams when none are named)."""
    stmt = update(CapacitySubmission).values(
        is_current=and_(on_the_map(CapacitySubmission), current_cycle(CapacitySubmission))
    )
    if teams:
        stmt = stmt.where(
            or_(
                *(
                    and_(CapacitySubmission.country_iso3 == c, CapacitySubmission.network == n)
                    for c, n in teams
                )
            )
        )
    db.session.execute(stmt.execution_options(synchronize_session=False))
