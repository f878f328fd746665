"""Changes to assessments. Services add and flush; the route commits once."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from r2p_network.assessments.catalogue import SHIPPED
from r2p_network.assessments.schema import (
    element_flags,
    lock_units,
    section_locks,
    unit_stamp,
    validate_definition,
)
from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.extensions import db
from r2p_network.models import (
    ActionMilestone,
    ActionReview,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    PriorityAction,
    StrategyTemplate,
    TemplateVersion,
    User,
    Visibility,
    action_key,
    utcnow,
)


@dataclass(frozen=True)
class SectionSave:
    """What saving one section did, part by part (see ``schema.lock_units``)."""

    saved: list[str]  # parts written
    conflicts: list[str]  # parts a teammate changed meanwhile, differently: left as they saved them
    locks: dict[str, str]  # the lock each part carries in the page from now on


def install_default_template(session: Session | scoped_session[Any]) -> int:
    """Publish each shipped template whose current definition is not among its versions yet.

    A new database gets version 1 of each; a database that has them gets a new version when
    the shipped definition changed. Existing versions, and the assessments made with them,
    are never touched; a definition an administrator published is kept as it is.
    """
    from r2p_network.admin.reference_services import publish_template_version  # avoids an import cycle

    published = 0
    for shipped in SHIPPED:
        definition = shipped.definition()
        validate_definition(definition)
        template = session.scalar(select(StrategyTemplate).where(StrategyTemplate.slug == shipped.slug))
        if template is None:
            template = StrategyTemplate(slug=shipped.slug, name=shipped.name)
            session.add(template)
            session.flush()
        known = session.scalars(
            select(TemplateVersion.definition).where(TemplateVersion.template_id == template.id)
        )
        if any(existing == definition for existing in known):
            continue
        publish_template_version(template, definition, None, session)
        published += 1
    return published


def create_assessment(user: User, title: str, template: TemplateVersion) -> Assessment:
    """Start a draft for the member's team on the latest template version."""
    profile = user.profile
    if profile is None or profile.country_iso3 is None or profile.network is None:
        raise StateError("only a country's focal points have a team")
    assessment = Assessment(
        country_iso3=profile.country_iso3,
        network=profile.network,
        title=title.strip(),
        template_version_id=template.id,
        answers={},
        created_by_id=user.id,
        updated_by_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record("assessment.created", actor_id=user.id, object_type="assessment", object_id=assessment.id)
    return assessment


def save_section(
    assessment: Assessment,
    section: dict[str, Any],
    answers: dict[str, Any],
    user: User,
    loaded: dict[str, str],
) -> SectionSave:
    """Write the parts of one section this member changed, each unless a teammate changed it meanwhile.

    *loaded* holds each part's lock as the member's page received it. A part the member did not
    change is left as it is saved (a teammate's newer text included); a part both changed is not
    written but reported, so nobody's text is replaced without them being shown it.
    """
    if assessment.status != AssessmentStatus.DRAFT:
        raise StateError("only a draft can be edited")
    stored = assessment.answers
    saves = dict(assessment.section_locks or {})
    current = section_locks(section, stored, saves)
    merged = dict(stored)
    saved: list[str] = []
    conflicts: list[str] = []
    locks: dict[str, str] = {}
    for unit, questions in lock_units(section).items():
        mine = unit_stamp(questions, answers)
        base = loaded.get(unit, "")
        if mine == unit_stamp(questions, stored):
            locks[unit] = current[unit]
        elif base.partition(":")[2] == mine:
            locks[unit] = base  # unchanged here: a teammate's newer text stays
        elif base == current[unit]:
            merged.update({q["key"]: answers.get(q["key"]) for q in questions})
            saves[unit] = saves.get(unit, 0) + 1
            saved.append(unit)
            locks[unit] = f"{saves[unit]}:{mine}"
        else:
            conflicts.append(unit)
            locks[unit] = base
    if saved:
        assessment.answers = merged
        assessment.section_locks = saves
        assessment.updated_at = utcnow()
        assessment.updated_by_id = user.id
        db.session.flush()  # the row's version counter makes a simultaneous save fail here
    return SectionSave(saved, conflicts, locks)


def submit(assessment: Assessment, definition: dict[str, Any], user: User) -> AssessmentVersion:
    """Freeze the draft as the next numbered, immutable version (private until shared)."""
    if assessment.status != AssessmentStatus.DRAFT:
        raise StateError("only a draft can be submitted")
    number = (
        db.session.scalar(
            select(func.max(AssessmentVersion.number)).where(AssessmentVersion.assessment_id == assessment.id)
        )
        or 0
    ) + 1
    version = AssessmentVersion(
        assessment_id=assessment.id,
        number=number,
        template_version_id=assessment.template_version_id,
        answers=copy.deepcopy(assessment.answers),
        visibility=Visibility.PRIVATE,
        submitted_by_id=user.id,
        **element_flags(definition, assessment.answers),
    )
    db.session.add(version)
    record_actions(assessment.id, number, version.answers)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.updated_at = utcnow()
    assessment.updated_by_id = user.id
    db.session.flush()
    audit.record(
        "assessment.submitted",
        actor_id=user.id,
        object_type="assessment",
        object_id=assessment.id,
        version=number,
    )
    return version


def record_actions(assessment_id: int, number: int, answers: dict[str, Any]) -> None:
    """Note the priority actions version *number* lists: new ones start there, known ones reach it."""
    listed: dict[str, str] = {}
    for line in answers.get("priority_actions") or []:
        text = " ".join(str(line.get("action") or "").split())[:300]
        if text:
            listed.setdefault(action_key(text), text)
    if not listed:
        return
    known = {
        action.key: action
        for action in db.session.scalars(
            select(PriorityAction).where(
                PriorityAction.assessment_id == assessment_id, PriorityAction.key.in_(listed)
            )
        )
    }
    for key, text in listed.items():
        action = known.get(key)
        if action is None:
            db.session.add(
                PriorityAction(
                    assessment_id=assessment_id,
                    key=key,
                    action=text,
                    first_version=number,
                    last_version=number,
                )
            )
        else:
            action.action, action.last_version = text, number
    db.session.flush()


def review_action(
    action: PriorityAction, status: ActionStatus, on: date, note: str, user: User
) -> ActionReview:
    """Record where an action stands on a date (the latest review is its status)."""
    review = ActionReview(
        action_id=action.id, status=status, reviewed_on=on, note=note.strip(), created_by_id=user.id
    )
    db.session.add(review)
    db.session.flush()
    audit.record(
        "assessment.action_reviewed",
        actor_id=user.id,
        object_type="assessment",
        object_id=action.assessment_id,
        priority_action=action.id,
        status=status.value,
    )
    return review


def add_milestone(action: PriorityAction, title: str, due_on: date | None, user: User) -> ActionMilestone:
    """Add a step towards an action."""
    milestone = ActionMilestone(action_id=action.id, title=title.strip(), due_on=due_on)
    db.session.add(milestone)
    db.session.flush()
    audit.record(
        "assessment.milestone_added",
        actor_id=user.id,
        object_type="assessment",
        object_id=action.assessment_id,
        priority_action=action.id,
    )
    return milestone


def reach_milestone(milestone: ActionMilestone, action: PriorityAction, on: date, user: User) -> None:
    """Mark a milestone as reached on a date."""
    milestone.reached_on = on
    db.session.flush()
    audit.record(
        "assessment.milestone_reached",
        actor_id=user.id,
        object_type="assessment",
        object_id=action.assessment_id,
        priority_action=action.id,
        milestone=milestone.id,
    )


def start_new_draft(assessment: Assessment, user: User) -> None:
    """Open a new draft from the latest submitted version."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise StateError("a draft is already open")
    latest = db.session.scalar(
        select(AssessmentVersion)
        .where(AssessmentVersion.assessment_id == assessment.id)
        .order_by(AssessmentVersion.number.desc())
        .limit(1)
    )
    assessment.answers = copy.deepcopy(latest.answers) if latest else {}
    assessment.status = AssessmentStatus.DRAFT
    assessment.updated_at = utcnow()
    assessment.updated_by_id = user.id
    db.session.flush()
    audit.record(
        "assessment.draft_started", actor_id=user.id, object_type="assessment", object_id=assessment.id
    )


def drop_draft(assessment: Assessment, user: User) -> bool:
    """Drop the open draft: back to the latest version, or, with none, delete the assessment.

    Returns whether the assessment still exists.
    """
    if assessment.status != AssessmentStatus.DRAFT:
        raise StateError("only a draft can be discarded")
    latest = db.session.scalar(
        select(AssessmentVersion)
        .where(AssessmentVersion.assessment_id == assessment.id)
        .order_by(AssessmentVersion.number.desc())
        .limit(1)
    )
    audit.record(
        "assessment.draft_discarded",
        actor_id=user.id,
        object_type="assessment",
        object_id=assessment.id,
        back_to_version=latest.number if latest else None,
    )
    if latest is None:
        db.session.delete(assessment)
        db.session.flush()
        return False
    assessment.answers = copy.deepcopy(latest.answers)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.updated_at = utcnow()
    assessment.updated_by_id = user.id
    db.session.flush()
    return True


def set_visibility(version: AssessmentVersion, visibility: Visibility, user: User) -> None:
    """Share a version with the network or the public, or make it private again."""
    if version.visibility == visibility:
        return
    previous = version.visibility
    version.visibility = visibility
    version.shared_at = None if visibility == Visibility.PRIVATE else utcnow()
    db.session.flush()
    audit.record(
        "assessment.unshared" if visibility == Visibility.PRIVATE else "assessment.shared",
        actor_id=user.id,
        object_type="assessment",
        object_id=version.assessment_id,
        version=version.number,
        before=previous.value,
        after=visibility.value,
    )
