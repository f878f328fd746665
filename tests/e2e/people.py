"""The people the browser journeys meet: focal points in several countries and networks."""

from __future__ import annotations

from r2p_network.auth.passwords import hash_password
from r2p_network.capacity.services import refresh_current_maps
from r2p_network.extensions import db
from r2p_network.models import (
    AccountStatus,
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    FocalPointProfile,
    Network,
    ProfileExpertise,
    SubmissionStatus,
    User,
    utcnow,
)

MEMBERS = [
    ("ama.mensah@example.org", "Ama Mensah", "GHA", Network.GOVERNMENT, "early_warning"),
    ("moussa.diallo@example.org", "Moussa Diallo", "SEN", Network.GOVERNMENT, "mediation"),
    ("mette.holm@example.org", "Mette Holm", "DNK", Network.GOVERNMENT, "transitional_justice"),
]


def add_members(password: str) -> None:
    """Approved members, and a verified Senegalese capacity map with a need the journeys can match."""
    password_hash = hash_password(password)
    for email, name, iso3, network, area in MEMBERS:
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            status=AccountStatus.ACTIVE,
            approved_at=utcnow(),
            welcomed_at=utcnow(),
        )
        user.profile = FocalPointProfile(
            country_iso3=iso3, network=network, title="Director", institution="Ministry of Foreign Affairs"
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(ProfileExpertise(user_id=user.id, area=area))
    mediation = db.session.query(CapacityCategory).filter_by(slug="mediation").one()
    need = CapacitySubmission(
        country_iso3="SEN", network=Network.GOVERNMENT, cycle=2026, status=SubmissionStatus.VERIFIED
    )
    db.session.add(need)
    db.session.flush()
    db.session.add(
        CapacityEntry(
            submission_id=need.id,
            category_id=mediation.id,
            status=CapacityStatus.NEEDS,
            maturity=1,
            description="Training for local mediators",
        )
    )
    db.session.flush()
    refresh_current_maps()
