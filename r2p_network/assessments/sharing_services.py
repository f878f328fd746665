"""Sharing a version with chosen readers and withdrawing a share. Services flush; the route commits."""

from __future__ import annotations

from flask import url_for

from r2p_network.assessments.sharing_queries import audience_members
from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.core.i18n import LANGUAGES
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    AudienceKind,
    Country,
    User,
    VersionShare,
    utcnow,
)
from r2p_network.notifications.services import notify


def share_version(
    assessment: Assessment, version: AssessmentVersion, audience: AudienceKind, key: str, member: User
) -> VersionShare:
    """Share *version* with one audience (audited; its members are told). A share already in
    force, or one with the team itself, is refused."""
    own = f"{assessment.country_iso3}:{assessment.network.value}"
    if audience == AudienceKind.TEAM and key == own:
        raise StateError("the team reads its own versions")
    current = db.session.scalar(
        db.select(VersionShare.id).where(
            VersionShare.version_id == version.id,
            VersionShare.audience == audience,
            VersionShare.audience_key == key,
            VersionShare.withdrawn_at.is_(None),
        )
    )
    if current is not None:
        raise StateError("already shared with this audience")
    share = VersionShare(version_id=version.id, audience=audience, audience_key=key, shared_by_id=member.id)
    db.session.add(share)
    db.session.flush()
    link = url_for("assessments.version", assessment_id=assessment.id, number=version.number)
    country = db.session.get(Country, assessment.country_iso3)
    for reader in audience_members(audience, key):
        notify(
            reader,
            "version_shared",
            link,
            team={lang: getattr(country, f"name_{lang}") for lang in LANGUAGES}
            if country
            else assessment.country_iso3,
            title=assessment.title,
            number=version.number,
        )
    audit.record(
        "assessment.shared",
        actor_id=member.id,
        object_type="assessment",
        object_id=assessment.id,
        version=version.number,
        audience=audience.value,
        key=key,
    )
    return share


def withdraw_share(assessment: Assessment, share: VersionShare, member: User) -> None:
    """Withdraw a share (audited): its readers can no longer read the version through it."""
    if share.withdrawn_at is not None:
        raise StateError("already withdrawn")
    share.withdrawn_at = utcnow()
    share.withdrawn_by_id = member.id
    db.session.flush()
    audit.record(
        "assessment.share_withdrawn",
        actor_id=member.id,
        object_type="assessment",
        object_id=assessment.id,
        share=share.id,
        audience=share.audience.value,
        key=share.audience_key,
    )
