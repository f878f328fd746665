"""How fixed vocabularies read in the reader's language: one table per vocabulary, one ``label`` filter.

Templates write ``value|label`` for an enum member (the vocabulary follows from its type) or
``"offers"|label("capacity")`` for a plain value; ``label_items("network")`` gives (value, label)
pairs in display order, for tables and choices.
"""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from r2p_network.models import (
    AccountStatus,
    AssessmentStatus,
    CapacityStatus,
    Frequency,
    LessonStatus,
    MembershipStatus,
    Network,
    OutboxStatus,
    RevisionStatus,
    Role,
    SubmissionStatus,
    TreatyParticipation,
    Visibility,
)

VOCABULARIES: dict[str, dict[Any, Any]] = {
    "network": {
        Network.GOVERNMENT: _l("Government"),
        Network.CIVIL_SOCIETY: _l("Civil society"),
        Network.PARLIAMENT: _l("Parliament"),
    },
    "membership": {
        MembershipStatus.MEMBER: _l("member"),
        MembershipStatus.SUSPENDED: _l("suspended"),
        MembershipStatus.ASSOCIATE: _l("associate member"),
        MembershipStatus.OBSERVER: _l("observer"),
        MembershipStatus.PARTICIPANT: _l("participant"),
    },
    "account": {
        AccountStatus.PENDING: _l("Waiting for approval"),
        AccountStatus.ACTIVE: _l("Active"),
        AccountStatus.REJECTED: _l("Rejected"),
        AccountStatus.DEACTIVATED: _l("Deactivated"),
    },
    "role": {Role.FOCAL_POINT: _l("Focal point"), Role.ADMIN: _l("Administrator")},
    "assessment_status": {
        AssessmentStatus.DRAFT: _l("Draft"),
        AssessmentStatus.SUBMITTED: _l("Submitted"),
    },
    "visibility": {
        Visibility.PRIVATE: _l("Private to the team"),
        Visibility.NETWORK: _l("Shared with the network's members"),
        Visibility.PUBLIC: _l("Public"),
    },
    "lesson_visibility": {
        Visibility.NETWORK: _l("Network members"),
        Visibility.PUBLIC: _l("Public: anyone, without signing in"),
    },
    "capacity": {
        CapacityStatus.HAS: _l("Has domestically"),
        CapacityStatus.OFFERS: _l("Can offer to others"),
        CapacityStatus.NEEDS: _l("Needs support"),
    },
    # One or two letters for the capacity matrix's cells, explained in its legend.
    "capacity_letter": {
        CapacityStatus.HAS: _l("H"),
        CapacityStatus.OFFERS: _l("O"),
        CapacityStatus.NEEDS: _l("N"),
    },
    "submission": {
        SubmissionStatus.DRAFT: _l("Draft"),
        SubmissionStatus.SUBMITTED: _l("Waiting for verification"),
        SubmissionStatus.VERIFIED: _l("Verified"),
        SubmissionStatus.RETURNED: _l("Returned to the team"),
    },
    "maturity": {
        1: _l("1 – Emerging: plans or first steps"),
        2: _l("2 – Developing: in place, with clear gaps"),
        3: _l("3 – Established: working and resourced"),
        4: _l("4 – Advanced: proven, and able to help others"),
    },
    "lesson_status": {
        LessonStatus.DRAFT: _l("Draft"),
        LessonStatus.SUBMITTED: _l("Waiting for moderation"),
        LessonStatus.CHANGES_REQUESTED: _l("Changes requested"),
        LessonStatus.PUBLISHED: _l("Published"),
        LessonStatus.REJECTED: _l("Not accepted"),
    },
    "revision": {
        RevisionStatus.SUBMITTED: _l("Edit waiting for moderation"),
        RevisionStatus.CHANGES_REQUESTED: _l("Changes requested in your edit"),
    },
    "participation": {
        TreatyParticipation.PARTY: _l("Party"),
        TreatyParticipation.SIGNATORY: _l("Signatory"),
        TreatyParticipation.NOT_PARTY: _l("Not party"),
        TreatyParticipation.NOT_APPLICABLE: _l("Not applicable"),
        TreatyParticipation.WITHDRAWAL_NOTIFIED: _l("Withdrawal notified"),
        TreatyParticipation.WITHDRAWN: _l("Withdrawn"),
    },
    "outbox": {
        OutboxStatus.QUEUED: _l("Queued"),
        OutboxStatus.SENT: _l("Sent"),
        OutboxStatus.FAILED: _l("Failed"),
    },
    "frequency": {
        Frequency.IMMEDIATE: _l("Immediately"),
        Frequency.DAILY: _l("In a daily digest"),
        Frequency.WEEKLY: _l("In a weekly digest"),
        Frequency.OFF: _l("Not at all"),
    },
}

# The vocabulary an enum member reads in when the caller names none.
_BY_ENUM: dict[type[enum.Enum], str] = {
    Network: "network",
    MembershipStatus: "membership",
    AccountStatus: "account",
    Role: "role",
    AssessmentStatus: "assessment_status",
    Visibility: "visibility",
    CapacityStatus: "capacity",
    SubmissionStatus: "submission",
    LessonStatus: "lesson_status",
    RevisionStatus: "revision",
    TreatyParticipation: "participation",
    OutboxStatus: "outbox",
    Frequency: "frequency",
}


def label(value: Any, vocabulary: str | None = None) -> str:
    """*value* in the reader's language; the value itself when the vocabulary does not know it."""
    name = vocabulary or _BY_ENUM.get(type(value))
    if name is None:
        raise KeyError(f"no vocabulary for {value!r}")
    text = VOCABULARIES[name].get(value)
    return str(text) if text is not None else str(value)


def label_items(vocabulary: str) -> list[tuple[Any, str]]:
    """(value, label) pairs of a vocabulary in display order."""
    return [(value, str(text)) for value, text in VOCABULARIES[vocabulary].items()]


def choices(vocabulary: str) -> list[SelectChoice]:
    """A vocabulary as form choices (values as strings)."""
    return [
        SelectChoice(str(getattr(value, "value", value)), text) for value, text in label_items(vocabulary)
    ]
