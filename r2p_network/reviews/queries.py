"""Reads for peer reviews: the review with its version, the points a reviewer comments on with
the team's answers beside them, the comments, and a member's reviews. A fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from r2p_network.assessments import schema
from r2p_network.assessments.localize import localized
from r2p_network.core.geography import country_name_column
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    Country,
    PeerReview,
    ReviewComment,
    TemplateVersion,
    User,
)
from r2p_network.permissions import audiences, team_of


@dataclass
class Target:
    """An element, risk factor or inhibitor: its title, the team's answers, and the comments on it."""

    key: str  # "element1", "rf04", "inh03"
    title: str
    answers: list[tuple[str, str]] = field(default_factory=list)  # (question, answer as text)
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Comment:
    id: int
    target: str
    body: str
    author: str | None
    created_at: datetime
    replies: list[Comment] = field(default_factory=list)


def review_context(
    review_id: int,
) -> tuple[PeerReview, AssessmentVersion, Assessment, TemplateVersion] | None:
    """The review with its version, assessment and template, in one query."""
    row = db.session.execute(
        select(PeerReview, AssessmentVersion, Assessment, TemplateVersion)
        .join(AssessmentVersion, AssessmentVersion.id == PeerReview.version_id)
        .join(Assessment, Assessment.id == AssessmentVersion.assessment_id)
        .join(TemplateVersion, TemplateVersion.id == AssessmentVersion.template_version_id)
        .where(PeerReview.id == review_id)
    ).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def targets(definition: dict[str, Any], answers: dict[str, Any]) -> list[Target]:
    """The four elements, then each risk factor and inhibitor with the team's answers to it."""
    text = localized(definition)
    found: dict[str, Target] = {}
    for section in schema.sections(text):
        element = section.get("element")
        if element and f"element{element}" not in found:
            found[f"element{element}"] = Target(f"element{element}", section["title"])
    for _section, question in schema.questions(text):
        group = question.get("group") or {}
        key = group.get("key", "")
        if not key.startswith(("rf", "inh")):
            continue
        target = found.setdefault(key, Target(key, group.get("title", key)))
        shown = schema.display(question, answers.get(question["key"]))
        if shown:  # the page lists only the parts the team answered or a reviewer commented on
            target.answers.append((question.get("label", ""), shown))
    return list(found.values())


def comments(review_id: int) -> list[Comment]:
    """The review's comments, each with the team's replies, oldest first, in one query."""
    rows = db.session.execute(
        select(ReviewComment, User.name)
        .outerjoin(User, User.id == ReviewComment.author_id)
        .where(ReviewComment.review_id == review_id)
        .order_by(ReviewComment.created_at, ReviewComment.id)
    )
    top: list[Comment] = []
    replies: dict[int, list[Comment]] = defaultdict(list)
    for row, name in rows:
        item = Comment(row.id, row.target, row.body, name, row.created_at)
        if row.reply_to_id is None:
            top.append(item)
        else:
            replies[row.reply_to_id].append(item)
    for item in top:
        item.replies = replies[item.id]
    return top


def attach(found: list[Target], items: list[Comment]) -> list[Target]:
    """Put each comment beside the point it is about (unknown points are dropped)."""
    by_key = {target.key: target for target in found}
    for item in items:
        if item.target in by_key:
            by_key[item.target].comments.append(item)
    return found


@dataclass(frozen=True)
class ReviewRow:
    id: int
    title: str
    number: int
    country_name: str
    status: str
    due_on: Any
    ours: bool  # the member's team is the one reviewed


def my_reviews(user: User | Any) -> list[ReviewRow]:
    """Reviews of the member's team's versions and reviews the member is invited to, newest first."""
    team = team_of(user)
    mine = [
        and_(PeerReview.reviewer == kind, PeerReview.reviewer_key == key) for kind, key in audiences(user)
    ]
    if team is not None:
        mine.append(and_(Assessment.country_iso3 == team[0], Assessment.network == team[1]))
    if not mine:
        return []
    rows = db.session.execute(
        select(
            PeerReview.id,
            Assessment.title,
            AssessmentVersion.number,
            country_name_column(),
            PeerReview.status,
            PeerReview.due_on,
            Assessment.country_iso3,
            Assessment.network,
        )
        .join(AssessmentVersion, AssessmentVersion.id == PeerReview.version_id)
        .join(Assessment, Assessment.id == AssessmentVersion.assessment_id)
        .join(Country, Country.iso3 == Assessment.country_iso3)
        .where(or_(*mine))
        .order_by(PeerReview.invited_at.desc(), PeerReview.id.desc())
    )
    return [
        ReviewRow(i, title, number, country, status.value, due, team == (iso3, network))
        for i, title, number, country, status, due, iso3, network in rows
    ]


def version_reviews(version_id: int) -> list[PeerReview]:
    """The reviews of one version, oldest first."""
    return list(
        db.session.scalars(
            select(PeerReview).where(PeerReview.version_id == version_id).order_by(PeerReview.id)
        )
    )
