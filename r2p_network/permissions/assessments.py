"""National assessments: a team's own work, versions shared with chosen readers, peer reviews."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    AudienceKind,
    Network,
    PeerReview,
    ReviewStatus,
    SeatKind,
    User,
    VersionShare,
    Visibility,
)
from r2p_network.permissions.core import (
    coordinated_scopes,
    current_session_passed_second_factor,
    is_member,
    is_team_member,
    organisation_of,
    team_of,
)


def can_read_assessment_content(
    user: User | Any, country_iso3: str, network: Network, visibility: Visibility
) -> bool:
    """The team reads everything; others read a version only as far as the team shared it.

    Administrators get no exception: they see that an assessment exists and its
    status, never its answers unless the team shared them.
    """
    if is_team_member(user, country_iso3, network):
        return True
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.NETWORK:
        return bool(user.is_authenticated and user.is_active)
    return False


def can_read_assessment_version(user: User | Any, version: AssessmentVersion) -> bool:
    """One submitted version's answers, as far as its team shared it: with the network, the
    public, or an audience the reader belongs to."""
    assessment = db.session.get(Assessment, version.assessment_id)
    if assessment is None:
        return False
    if can_read_assessment_content(user, assessment.country_iso3, assessment.network, version.visibility):
        return True
    return is_shared_with(user, version.id)


def audiences(user: User | Any) -> list[tuple[AudienceKind, str]]:
    """Every audience a team may share a version with that the member belongs to now."""
    if not is_member(user):
        return []
    found: list[tuple[AudienceKind, str]] = []
    team = team_of(user)
    if team is not None:
        found.append((AudienceKind.TEAM, f"{team[0]}:{team[1].value}"))
        if team[1] == Network.GOVERNMENT:
            found.append((AudienceKind.GOVERNMENT, ""))
    organisation = organisation_of(user)
    if organisation is not None:
        found.append((AudienceKind.ORGANISATION, organisation))
    if user.profile is not None and user.profile.in_post and user.profile.seat == SeatKind.UN_OFFICE:
        found.append((AudienceKind.UN_OFFICE, ""))
    if current_session_passed_second_factor():  # coordinators read as coordinators only with it
        found.extend((AudienceKind.COORDINATORS, f"{s.kind}:{s.key}") for s in coordinated_scopes(user))
    return found


def shared_with(user: User | Any) -> ColumnElement[bool]:
    """SQL: shares in force (``VersionShare`` rows) addressed to an audience the member belongs to."""
    addressed = [
        and_(VersionShare.audience == kind, VersionShare.audience_key == key) for kind, key in audiences(user)
    ]
    if not addressed:
        return false()
    return and_(VersionShare.withdrawn_at.is_(None), or_(*addressed))


def is_shared_with(user: User | Any, version_id: int) -> bool:
    """The version's team shared it with an audience the member belongs to (and has not withdrawn it)."""
    if not audiences(user):
        return False
    found = select(VersionShare.id).where(VersionShare.version_id == version_id, shared_with(user)).limit(1)
    return db.session.scalar(found) is not None


def is_reviewer(user: User | Any, review: PeerReview) -> bool:
    """The member belongs to the team, organisation seat or UN office invited to the review."""
    return (review.reviewer, review.reviewer_key) in audiences(user)


def can_read_review(user: User | Any, review: PeerReview, assessment: Assessment) -> bool:
    """The reviewed team, and the invited reviewers while the version is shared with them."""
    if is_team_member(user, assessment.country_iso3, assessment.network):
        return True
    return is_reviewer(user, review) and is_shared_with(user, review.version_id)


def invited_reviews(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``PeerReview``: reviews whose invited reviewer is an audience the member belongs to
    (the same rule as ``is_reviewer``)."""
    invited = [
        and_(PeerReview.reviewer == kind, PeerReview.reviewer_key == key) for kind, key in audiences(user)
    ]
    return or_(*invited) if invited else false()


def readable_reviews(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``PeerReview``: the reviews *user* may read (the same rule as ``can_read_review``)."""
    team = team_of(user)
    own: ColumnElement[bool] = false()
    if team is not None:
        own = PeerReview.version_id.in_(
            select(AssessmentVersion.id)
            .join(Assessment, Assessment.id == AssessmentVersion.assessment_id)
            .where(Assessment.country_iso3 == team[0], Assessment.network == team[1])
        )
    still_shared = exists().where(VersionShare.version_id == PeerReview.version_id, shared_with(user))
    return or_(own, and_(invited_reviews(user), still_shared))


def can_comment_on_review(user: User | Any, review: PeerReview, assessment: Assessment) -> bool:
    """Invited reviewers comment and give their overall note until the team closes the review."""
    return (
        review.status == ReviewStatus.OPEN
        and is_reviewer(user, review)
        and can_read_review(user, review, assessment)
    )


def can_answer_review(user: User | Any, review: PeerReview, assessment: Assessment) -> bool:
    """The reviewed team replies to comments and closes the review while it is open."""
    return review.status == ReviewStatus.OPEN and is_team_member(
        user, assessment.country_iso3, assessment.network
    )
