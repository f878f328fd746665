"""Peer-review writes: invitation, comments, replies, the overall note, closing. Services flush;
the route commits. Every step is audited and the other side is told."""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select

from r2p_network.assessments.sharing_queries import audience_members
from r2p_network.assessments.sharing_services import share_version
from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.core.membership import holds_seat
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    AudienceKind,
    FocalPointProfile,
    PeerReview,
    ReviewComment,
    ReviewStatus,
    User,
    VersionShare,
    utcnow,
)
from r2p_network.notifications.services import notify


def _team_members(assessment: Assessment) -> list[int]:
    return list(
        db.session.scalars(
            select(User.id)
            .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
            .where(
                FocalPointProfile.country_iso3 == assessment.country_iso3,
                FocalPointProfile.network == assessment.network,
                holds_seat(),
            )
        )
    )


def _tell(user_ids: list[int], kind: str, review: PeerReview, title: str, skip: int) -> None:
    link = url_for("reviews.detail", review_id=review.id)
    for user_id in user_ids:
        if user_id != skip:
            notify(user_id, kind, link, title=title)


def _record(action: str, member: User, review: PeerReview, **detail: object) -> None:
    audit.record(action, actor_id=member.id, object_type="peer_review", object_id=review.id, **detail)


def invite_reviewer(
    assessment: Assessment,
    version: AssessmentVersion,
    reviewer: tuple[AudienceKind, str],
    member: User,
    *,
    message: str = "",
    due_on: date | None = None,
    recommendation: str = "",
    recommendation_url: str = "",
) -> PeerReview:
    """Invite a reviewer to a version, sharing it with them first if it is not shared yet."""
    kind, key = reviewer
    if kind not in (AudienceKind.TEAM, AudienceKind.ORGANISATION, AudienceKind.UN_OFFICE):
        raise StateError("reviewers are teams, organisation seats or the UN office")
    shared = db.session.scalar(
        select(VersionShare.id).where(
            VersionShare.version_id == version.id,
            VersionShare.audience == kind,
            VersionShare.audience_key == key,
            VersionShare.withdrawn_at.is_(None),
        )
    )
    if shared is None:
        share_version(assessment, version, kind, key, member)
    review = PeerReview(
        version_id=version.id,
        reviewer=kind,
        reviewer_key=key,
        message=message.strip(),
        due_on=due_on,
        recommendation=recommendation.strip(),
        recommendation_url=recommendation_url.strip(),
        invited_by_id=member.id,
    )
    db.session.add(review)
    db.session.flush()
    _tell(audience_members(kind, key), "review_invited", review, assessment.title, member.id)
    _record("review.invited", member, review, version=version.number, reviewer=kind.value, key=key)
    return review


def _open(review: PeerReview) -> None:
    if review.status != ReviewStatus.OPEN:
        raise StateError("the review is closed")


def add_comment(
    review: PeerReview, assessment: Assessment, member: User, target: str, body: str
) -> ReviewComment:
    """A reviewer's comment on one element, risk factor or inhibitor; the team is told."""
    _open(review)
    comment = ReviewComment(review_id=review.id, target=target, body=body.strip(), author_id=member.id)
    db.session.add(comment)
    db.session.flush()
    _tell(_team_members(assessment), "review_commented", review, assessment.title, member.id)
    _record("review.commented", member, review, target=target, comment=comment.id)
    return comment


def reply(
    review: PeerReview, assessment: Assessment, comment: ReviewComment, member: User, body: str
) -> ReviewComment:
    """The team's reply to a comment; the reviewers are told."""
    _open(review)
    answer = ReviewComment(
        review_id=review.id,
        target=comment.target,
        reply_to_id=comment.id,
        body=body.strip(),
        author_id=member.id,
    )
    db.session.add(answer)
    db.session.flush()
    _tell(
        audience_members(review.reviewer, review.reviewer_key),
        "review_replied",
        review,
        assessment.title,
        member.id,
    )
    _record("review.replied", member, review, comment=comment.id)
    return answer


def save_overall_note(review: PeerReview, assessment: Assessment, member: User, note: str) -> None:
    """The reviewer's overall note; the team is told."""
    _open(review)
    review.overall_note = note.strip()
    db.session.flush()
    _tell(_team_members(assessment), "review_commented", review, assessment.title, member.id)
    _record("review.note_saved", member, review)


def close_review(review: PeerReview, assessment: Assessment, member: User) -> None:
    """The team closes the review: comments stay attached to the version, none can be added."""
    _open(review)
    review.status = ReviewStatus.CLOSED
    review.closed_at = utcnow()
    db.session.flush()
    _tell(
        audience_members(review.reviewer, review.reviewer_key),
        "review_closed",
        review,
        assessment.title,
        member.id,
    )
    _record("review.closed", member, review)
