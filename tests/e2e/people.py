"""The people the browser journeys meet: focal points in several countries and networks."""

from __future__ import annotations

from r2p_network.auth.passwords import hash_password
from r2p_network.capacity.services import refresh_current_maps
from r2p_network.extensions import db
from r2p_network.models import (
    AccountStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    FocalPointProfile,
    Network,
    ProfileExpertise,
    SeatKind,
    SubmissionStatus,
    User,
    Visibility,
    utcnow,
)

MEMBERS = [
    ("ama.mensah@example.org", "Ama Mensah", "GHA", Network.GOVERNMENT, "early_warning"),
    ("moussa.diallo@example.org", "Moussa Diallo", "SEN", Network.GOVERNMENT, "mediation"),
    ("mette.holm@example.org", "Mette Holm", "DNK", Network.GOVERNMENT, "transitional_justice"),
    ("wanjiru.kamau@example.org", "Wanjiru Kamau", "KEN", Network.GOVERNMENT, "early_warning"),
    ("aya.kouassi@example.org", "Aya Kouassi", "CIV", Network.GOVERNMENT, "mediation"),
]
ECOWAS_SEAT = "efua.owusu@example.org"
# A submitted, private version of Ghana's government team for the sharing and review journey.
REVIEWED_TITLE = "Ghana risk assessment for peer review"
REVIEWED_ANSWERS = {
    "rf01_evidence": "Land disputes in two northern districts turned violent twice this year.",
    "rf04_evidence": "Campaign speeches blamed one community for unemployment.",
}


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
    # ECOWAS's own focal point: an organisation's seat, with no country team.
    seat = User(
        email=ECOWAS_SEAT,
        name="Efua Owusu",
        password_hash=password_hash,
        status=AccountStatus.ACTIVE,
        approved_at=utcnow(),
        welcomed_at=utcnow(),
    )
    seat.profile = FocalPointProfile(
        seat=SeatKind.ORGANISATION,
        organisation_slug="ecowas",
        title="Early Warning Analyst",
        institution="ECOWAS Commission",
    )
    db.session.add(seat)
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
    _add_reviewed_version()


def _add_reviewed_version() -> None:
    from r2p_network.assessments import default_template
    from r2p_network.assessments.queries import latest_template_version
    from r2p_network.assessments.schema import element_flags

    template = latest_template_version(default_template.SLUG)
    assessment = Assessment(
        country_iso3="GHA",
        network=Network.GOVERNMENT,
        title=REVIEWED_TITLE,
        template_version_id=template.id,
        answers=dict(REVIEWED_ANSWERS),
        status=AssessmentStatus.SUBMITTED,
    )
    db.session.add(assessment)
    db.session.flush()
    db.session.add(
        AssessmentVersion(
            assessment_id=assessment.id,
            number=1,
            template_version_id=template.id,
            answers=dict(REVIEWED_ANSWERS),
            visibility=Visibility.PRIVATE,
            **element_flags(template.definition, REVIEWED_ANSWERS),
        )
    )
    db.session.flush()
