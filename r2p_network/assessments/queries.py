"""Reads for assessments. Listings never select answers; content is loaded only for allowed readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, Subquery, and_, distinct, func, select
from sqlalchemy.orm import aliased

from r2p_network.assessments.sharing_queries import version_shares
from r2p_network.core.geography import country_name_column, country_sort_column
from r2p_network.core.pagination import paginate
from r2p_network.extensions import db
from r2p_network.models import (
    ActionMilestone,
    ActionReview,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    Country,
    Network,
    PriorityAction,
    StrategyTemplate,
    TemplateVersion,
    Visibility,
)


@dataclass(frozen=True)
class AssessmentSummary:
    """Metadata only: what administrators and listings may show."""

    id: int
    title: str
    country_iso3: str
    country_name: str
    network: Network
    status: AssessmentStatus
    versions: int
    last_submitted_at: datetime | None
    updated_at: datetime


def _summaries(*conditions) -> list[AssessmentSummary]:
    counts = (
        select(
            AssessmentVersion.assessment_id,
            func.count().label("versions"),
            func.max(AssessmentVersion.submitted_at).label("last_submitted_at"),
        )
        .group_by(AssessmentVersion.assessment_id)
        .subquery()
    )
    name = country_name_column()
    rows = db.session.execute(
        select(
            Assessment.id,
            Assessment.title,
            Assessment.country_iso3,
            name,
            Assessment.network,
            Assessment.status,
            func.coalesce(counts.c.versions, 0),
            counts.c.last_submitted_at,
            Assessment.updated_at,
        )
        .join(Country, Country.iso3 == Assessment.country_iso3)
        .outerjoin(counts, counts.c.assessment_id == Assessment.id)
        .where(*conditions)
        .order_by(country_sort_column(), name, Assessment.network, Assessment.updated_at.desc())
    ).all()
    return [AssessmentSummary(*row) for row in rows]


def team_assessments(country_iso3: str, network: Network) -> list[AssessmentSummary]:
    return _summaries(Assessment.country_iso3 == country_iso3, Assessment.network == network)


def all_assessment_summaries(*conditions: ColumnElement[bool]) -> list[AssessmentSummary]:
    """Every assessment's existence and status (those matching *conditions*: an overseer's scopes),
    for administrators and coordinators (no content)."""
    return _summaries(*conditions)


SHARED_PER_PAGE = 50


@dataclass(frozen=True)
class SharedVersion:
    assessment_id: int
    title: str
    country_iso3: str
    country_name: str
    network: Network
    number: int
    visibility: Visibility
    submitted_at: datetime


def join_latest_version(stmt: Select, version: Any, *conditions: ColumnElement[bool]) -> Select:
    """Join each assessment to *version*, its latest version among those matching *conditions*."""
    latest = (
        select(AssessmentVersion.assessment_id, func.max(AssessmentVersion.number).label("number"))
        .where(*conditions)
        .group_by(AssessmentVersion.assessment_id)
        .subquery()
    )
    return stmt.join(latest, latest.c.assessment_id == Assessment.id).join(
        version, and_(version.assessment_id == Assessment.id, version.number == latest.c.number)
    )


def shared_versions(
    visibilities: list[Visibility], exclude_team: tuple[str, Network] | None, page: int
) -> tuple[list[SharedVersion], int, int]:
    """One page of the latest versions of other teams' assessments shared at one of
    *visibilities*, the total, and the page actually shown."""
    version = aliased(AssessmentVersion)
    name = country_name_column()
    stmt = join_latest_version(
        select(
            Assessment.id,
            Assessment.title,
            Assessment.country_iso3,
            name,
            Assessment.network,
            version.number,
            version.visibility,
            version.submitted_at,
        ),
        version,
        AssessmentVersion.visibility.in_(visibilities),
    )
    stmt = stmt.join(Country, Country.iso3 == Assessment.country_iso3).order_by(
        country_sort_column(), name, Assessment.network, Assessment.id
    )
    if exclude_team:
        stmt = stmt.where(
            ~and_(Assessment.country_iso3 == exclude_team[0], Assessment.network == exclude_team[1])
        )
    rows, total, page = paginate(stmt, page, SHARED_PER_PAGE)
    return [SharedVersion(*row) for row in rows], total, page


@dataclass(frozen=True)
class VersionMeta:
    number: int
    visibility: Visibility
    submitted_at: datetime
    complete: tuple[bool, bool, bool, bool]


def version_list(assessment_id: int) -> list[VersionMeta]:
    rows = db.session.execute(
        select(
            AssessmentVersion.number,
            AssessmentVersion.visibility,
            AssessmentVersion.submitted_at,
            AssessmentVersion.element1_complete,
            AssessmentVersion.element2_complete,
            AssessmentVersion.element3_complete,
            AssessmentVersion.element4_complete,
        )
        .where(AssessmentVersion.assessment_id == assessment_id)
        .order_by(AssessmentVersion.number.desc())
    )
    return [VersionMeta(n, vis, at, (e1, e2, e3, e4)) for n, vis, at, e1, e2, e3, e4 in rows]


def assessment_with_template(assessment_id: int) -> tuple[Assessment, TemplateVersion] | None:
    row = db.session.execute(
        select(Assessment, TemplateVersion)
        .join(TemplateVersion, TemplateVersion.id == Assessment.template_version_id)
        .where(Assessment.id == assessment_id)
    ).first()
    return None if row is None else (row[0], row[1])


def version_with_template(
    assessment_id: int, number: int
) -> tuple[AssessmentVersion, TemplateVersion] | None:
    row = db.session.execute(
        select(AssessmentVersion, TemplateVersion)
        .join(TemplateVersion, TemplateVersion.id == AssessmentVersion.template_version_id)
        .where(AssessmentVersion.assessment_id == assessment_id, AssessmentVersion.number == number)
    ).first()
    return None if row is None else (row[0], row[1])


def latest_template_version(slug: str) -> TemplateVersion | None:
    return db.session.scalar(
        select(TemplateVersion)
        .join(StrategyTemplate, StrategyTemplate.id == TemplateVersion.template_id)
        .where(StrategyTemplate.slug == slug)
        .order_by(TemplateVersion.number.desc())
        .limit(1)
    )


def country_name(iso3: str) -> str:
    return db.session.scalar(select(country_name_column()).where(Country.iso3 == iso3)) or iso3


PRIVATE_MARKINGS = {
    Network.GOVERNMENT: _l("Private to the government team of %(country)s"),
    Network.CIVIL_SOCIETY: _l("Private to the civil-society team of %(country)s"),
    Network.PARLIAMENT: _l("Private to the parliamentary team of %(country)s"),
}


def reading_marking(assessment: Assessment, version: AssessmentVersion, country: str) -> str:
    """Who may read *version*, in words: the one marking carried by its pages, print, PDF and XLSX."""
    if version.visibility == Visibility.PUBLIC:
        return str(_l("Public: anyone may read it"))
    if version.visibility == Visibility.NETWORK:
        return str(_l("Shared with: the members of the R2P Focal Point Network"))
    private = str(PRIVATE_MARKINGS[assessment.network] % {"country": country})
    partners = [share.words for share in version_shares(version.id)]
    if not partners:
        return private
    return str(
        _l(
            "%(team)s; shared with: %(partners)s",
            team=private,
            partners=format_list(partners, locale=get_locale()),
        )
    )


def latest_template_versions() -> list[tuple[StrategyTemplate, TemplateVersion]]:
    """Every template with its latest version, by name: what a team may start an assessment on."""
    latest = (
        select(TemplateVersion.template_id, func.max(TemplateVersion.number).label("number"))
        .group_by(TemplateVersion.template_id)
        .subquery()
    )
    rows = db.session.execute(
        select(StrategyTemplate, TemplateVersion)
        .join(latest, latest.c.template_id == StrategyTemplate.id)
        .join(
            TemplateVersion,
            and_(
                TemplateVersion.template_id == StrategyTemplate.id, TemplateVersion.number == latest.c.number
            ),
        )
        .order_by(StrategyTemplate.name)
    ).all()
    return [(row[0], row[1]) for row in rows]


@dataclass(frozen=True)
class ActionLine:
    """One priority action on the team's dashboard, with its reviews (newest first) and milestones."""

    id: int
    action: str
    first_version: int
    last_version: int
    reviews: list[ActionReview]
    milestones: list[ActionMilestone]

    @property
    def status(self) -> ActionStatus:
        return self.reviews[0].status if self.reviews else ActionStatus.NOT_STARTED

    @property
    def carried_over(self) -> bool:
        """Listed by more than one version."""
        return self.first_version < self.last_version


def action_lines(assessment_id: int) -> list[ActionLine]:
    """Every priority action an assessment's versions listed, in the order they first appeared."""
    actions = db.session.scalars(
        select(PriorityAction)
        .where(PriorityAction.assessment_id == assessment_id)
        .order_by(PriorityAction.first_version, PriorityAction.id)
    ).all()
    ids = [action.id for action in actions]
    reviews: dict[int, list[ActionReview]] = {i: [] for i in ids}
    for review in db.session.scalars(
        select(ActionReview).where(ActionReview.action_id.in_(ids)).order_by(ActionReview.id.desc())
    ):
        reviews[review.action_id].append(review)
    milestones: dict[int, list[ActionMilestone]] = {i: [] for i in ids}
    for milestone in db.session.scalars(
        select(ActionMilestone)
        .where(ActionMilestone.action_id.in_(ids))
        .order_by(ActionMilestone.due_on.is_(None), ActionMilestone.due_on, ActionMilestone.id)
    ):
        milestones[milestone.action_id].append(milestone)
    return [
        ActionLine(a.id, a.action, a.first_version, a.last_version, reviews[a.id], milestones[a.id])
        for a in actions
    ]


def uncovered(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, list[str]]:
    """The inhibitors and risk factors (labels) that no priority action of *answers* addresses."""
    question = next(
        (q for s in definition["sections"] for q in s["questions"] if q["key"] == "priority_actions"), None
    )
    found: dict[str, list[str]] = {}
    for column in (question or {}).get("columns", []):
        if column["key"] in ("inhibitors", "risk_factors"):
            covered = {
                v for line in answers.get("priority_actions") or [] for v in line.get(column["key"]) or []
            }
            found[column["key"]] = [o["label"] for o in column["options"] if o["value"] not in covered]
    return found


@dataclass(frozen=True)
class ActionCounts:
    countries: int  # countries whose shared versions list priority actions
    counts: dict[ActionStatus, int]  # actions by their latest review's status

    @property
    def suppressed(self) -> bool:
        return self.countries < K_ANONYMITY


K_ANONYMITY = 3  # fewer contributing countries than this: nothing is shown (every regional aggregate)
SHARED = (Visibility.NETWORK, Visibility.PUBLIC)  # what regional aggregates may count


def shared_action_counts(scope: Subquery) -> dict[str, ActionCounts]:
    """For each scope (rows of ``scope``: scope, iso3), the priority actions of the latest version
    each team shared with the network or the public, counted by status (two queries).

    Callers must not show a scope whose ``suppressed`` is true.
    """
    version = aliased(AssessmentVersion)
    latest_review = (
        select(ActionReview.action_id, func.max(ActionReview.id).label("id"))
        .group_by(ActionReview.action_id)
        .subquery()
    )
    status = func.coalesce(ActionReview.status, ActionStatus.NOT_STARTED)

    def shared_actions(*columns: Any) -> Select:
        stmt = join_latest_version(
            select(scope.c.scope, *columns).join(Assessment, Assessment.country_iso3 == scope.c.iso3),
            version,
            AssessmentVersion.visibility.in_(SHARED),
        )
        # An action is in a version from the first one that listed it to the last.
        return stmt.join(
            PriorityAction,
            and_(
                PriorityAction.assessment_id == Assessment.id,
                PriorityAction.first_version <= version.number,
                PriorityAction.last_version >= version.number,
            ),
        )

    countries = dict(
        db.session.execute(
            shared_actions(func.count(distinct(Assessment.country_iso3))).group_by(scope.c.scope)
        ).all()
    )
    by_status: dict[str, dict[ActionStatus, int]] = {key: dict.fromkeys(ActionStatus, 0) for key in countries}
    rows = db.session.execute(
        shared_actions(status, func.count(PriorityAction.id))
        .outerjoin(latest_review, latest_review.c.action_id == PriorityAction.id)
        .outerjoin(ActionReview, ActionReview.id == latest_review.c.id)
        .group_by(scope.c.scope, status)
    )
    for key, value, n in rows:
        by_status[key][ActionStatus(value)] = int(n)
    return {key: ActionCounts(int(n), by_status[key]) for key, n in countries.items()}


def priority_action(assessment_id: int, action_id: int) -> PriorityAction | None:
    return db.session.scalar(
        select(PriorityAction).where(
            PriorityAction.id == action_id, PriorityAction.assessment_id == assessment_id
        )
    )


def milestone_with_action(
    assessment_id: int, milestone_id: int
) -> tuple[ActionMilestone, PriorityAction] | None:
    row = db.session.execute(
        select(ActionMilestone, PriorityAction)
        .join(PriorityAction, PriorityAction.id == ActionMilestone.action_id)
        .where(ActionMilestone.id == milestone_id, PriorityAction.assessment_id == assessment_id)
    ).first()
    return None if row is None else (row[0], row[1])
