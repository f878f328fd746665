"""All models, imported here so that Alembic and the app see one metadata."""

from r2p_network.models.accounts import (
    AccessRequest,
    AccountStatus,
    FocalPointProfile,
    LoginFailure,
    Network,
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

__all__ = [
    "AccessRequest",
    "AccountStatus",
    "AuditEvent",
    "Base",
    "BodyKind",
    "Country",
    "FocalPointProfile",
    "LoginFailure",
    "Membership",
    "MembershipStatus",
    "Network",
    "Region",
    "RegionLevel",
    "RegionalBody",
    "RequestStatus",
    "Role",
    "UNStatus",
    "User",
    "UserSession",
    "utcnow",
]
