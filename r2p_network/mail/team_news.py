"""Kinds of news about a team's own work: its assistance requests, and the peer reviews it gives
or receives.

As in ``news``, each collector reads as the reader when the message is written, through the
same predicates as the pages (``permissions.readable_assistance``, ``permissions.readable_reviews``):
a member who left the team, or a reviewer whose share was withdrawn, hears nothing more. What the
reader did themself is left out. Steps of assistance requests are read from the audit trail,
which records each one with the state it led to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, or_, select

from r2p_network.assistance.services import Action
from r2p_network.core import emails
from r2p_network.core.geography import country_name_column
from r2p_network.core.labels import label
from r2p_network.extensions import db
from r2p_network.mail.kinds import Item, Kind, register
from r2p_network.mail.news import LIMIT
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    AssistanceRequest,
    AssistanceStatus,
    AuditEvent,
    Country,
    Frequency,
    PeerReview,
    ReviewComment,
    User,
)
from r2p_network.permissions import invited_reviews, readable_assistance, readable_reviews, team_of

REQUESTED = "assistance.requested"
STEPS = (REQUESTED, *(f"assistance.{action.value}" for action in Action))


def assistance_news(reader: User, _filters: dict[str, Any], start: datetime, end: datetime) -> list[Item]:
    """New requests to the reader's team, and the steps others took on requests the reader may
    read, in the window."""
    team = team_of(reader)
    if team is None:
        return []
    to_team = and_(AssistanceRequest.provider_iso3 == team[0], AssistanceRequest.provider_network == team[1])
    rows = db.session.execute(
        select(
            AuditEvent.action,
            AuditEvent.detail,
            AuditEvent.created_at,
            AssistanceRequest.id,
            AssistanceRequest.what,
        )
        .join(AssistanceRequest, AuditEvent.object_id == cast(AssistanceRequest.id, String))
        .where(
            AuditEvent.object_type == "assistance_request",
            AuditEvent.action.in_(STEPS),
            AuditEvent.created_at >= start,
            AuditEvent.created_at < end,
            or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != reader.id),
            or_(AuditEvent.action != REQUESTED, to_team),
            readable_assistance(reader),
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(LIMIT)
    ).all()
    return [
        Item(
            title=row.what,
            note=(
                _("A new request to your team")
                if row.action == REQUESTED
                else _("Now: %(status)s", status=label(AssistanceStatus(row.detail["status"])))
            ),
            link=emails.link("assistance.detail", request_id=row.id),
            when=row.created_at,
        )
        for row in rows
    ]


def _review_columns() -> tuple[Any, ...]:
    return (PeerReview.id, Assessment.title, AssessmentVersion.number, country_name_column().label("country"))


def _about_reviews(stmt: Any) -> Any:
    """*stmt* (selecting from ``PeerReview``) joined to the reviewed version, assessment and country."""
    return (
        stmt.join(AssessmentVersion, AssessmentVersion.id == PeerReview.version_id)
        .join(Assessment, Assessment.id == AssessmentVersion.assessment_id)
        .join(Country, Country.iso3 == Assessment.country_iso3)
    )


def review_news(reader: User, _filters: dict[str, Any], start: datetime, end: datetime) -> list[Item]:
    """Invitations to review addressed to the reader's team (or seat), and comments and replies
    by others on reviews the reader may read, in the window."""
    invitations = db.session.execute(
        _about_reviews(select(*_review_columns(), PeerReview.invited_at.label("at")).select_from(PeerReview))
        .where(
            PeerReview.invited_at >= start,
            PeerReview.invited_at < end,
            invited_reviews(reader),
            readable_reviews(reader),
        )
        .limit(LIMIT)
    ).all()
    comments = db.session.execute(
        _about_reviews(
            select(*_review_columns(), ReviewComment.created_at.label("at"), ReviewComment.reply_to_id)
            .select_from(ReviewComment)
            .join(PeerReview, PeerReview.id == ReviewComment.review_id)
        )
        .where(
            ReviewComment.created_at >= start,
            ReviewComment.created_at < end,
            or_(ReviewComment.author_id.is_(None), ReviewComment.author_id != reader.id),
            readable_reviews(reader),
        )
        .limit(LIMIT)
    ).all()
    items = [
        (
            row,
            _(
                "An invitation to review version %(number)s (%(country)s)",
                number=row.number,
                country=row.country,
            ),
        )
        for row in invitations
    ] + [
        (
            row,
            _("A reply on version %(number)s (%(country)s)", number=row.number, country=row.country)
            if row.reply_to_id
            else _(
                "A new comment on version %(number)s (%(country)s)", number=row.number, country=row.country
            ),
        )
        for row in comments
    ]
    items.sort(key=lambda pair: pair[0].at, reverse=True)
    return [
        Item(title=row.title, note=note, link=emails.link("reviews.detail", review_id=row.id), when=row.at)
        for row, note in items[:LIMIT]
    ]


register(
    Kind(
        key="assistance",
        label=_l("Assistance requests"),
        description=_l(
            "New requests to your team, and each step others take on your team's requests "
            "(the other team's steps also show in your notifications in the application)."
        ),
        collect=assistance_news,
        default=Frequency.IMMEDIATE,
    )
)
register(
    Kind(
        key="reviews",
        label=_l("Peer reviews"),
        description=_l(
            "Invitations to review, and new comments and replies on the reviews your team gives or receives."
        ),
        collect=review_news,
        default=Frequency.DAILY,
    )
)
