"""All models, imported here so that Alembic and the app see one metadata."""

from r2p_network.models.accounts import (
    AccessRequest,
    AccountStatus,
    ContactVisibility,
    FocalPointProfile,
    LoginFailure,
    Network,
    ProfileExpertise,
    ProfileLanguage,
    RequestStatus,
    Role,
    User,
    UserSession,
)
from r2p_network.models.audit import AuditEvent
from r2p_network.models.base import Base, utcnow
from r2p_network.models.reference import (
    BodyKind,
    Country,
    Membership,
    MembershipStatus,
    Region,
    RegionalBody,
    RegionLevel,
    UNStatus,
)
from r2p_network.models.treaties import Instrument, TreatyParticipation, TreatyStatus, TreatyStatusChange

__all__ = [
    "AccessRequest",
    "AccountStatus",
    "AuditEvent",
    "Base",
    "BodyKind",
    "ContactVisibility",
    "Country",
    "FocalPointProfile",
    "Instrument",
    "LoginFailure",
    "Membership",
    "MembershipStatus",
    "Network",
    "ProfileExpertise",
    "ProfileLanguage",
    "Region",
    "RegionLevel",
    "RegionalBody",
    "RequestStatus",
    "Role",
    "TreatyParticipation",
    "TreatyStatus",
    "TreatyStatusChange",
    "UNStatus",
    "User",
    "UserSession",
    "utcnow",
]
