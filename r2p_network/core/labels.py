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
    ActionPointStatus,
    ActionStatus,
    AssessmentStatus,
    AssistanceStatus,
    CapacityStatus,
    DocumentKind,
    EventKind,
    Frequency,
    LessonStatus,
    MembershipStatus,
    Network,
    OutboxStatus,
    RegistrationStatus,
    RevisionStatus,
    Role,
    SeatKind,
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
    "seat": {
        SeatKind.COUNTRY: _l("A country's network"),
        SeatKind.ORGANISATION: _l("Regional or subregional organisation"),
        SeatKind.UN_OFFICE: _l("UN Office on Genocide Prevention and the Responsibility to Protect"),
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
    "assistance": {
        AssistanceStatus.REQUESTED: _l("Requested"),
        AssistanceStatus.COUNTER_PROPOSED: _l("Something else proposed"),
        AssistanceStatus.ACCEPTED: _l("Accepted"),
        AssistanceStatus.DECLINED: _l("Declined"),
        AssistanceStatus.UNDER_WAY: _l("Under way"),
        AssistanceStatus.DELIVERED: _l("Delivered"),
        AssistanceStatus.CLOSED: _l("Closed"),
        AssistanceStatus.WITHDRAWN: _l("Withdrawn"),
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
    "action_status": {
        ActionStatus.NOT_STARTED: _l("Not started"),
        ActionStatus.UNDER_WAY: _l("Under way"),
        ActionStatus.DONE: _l("Done"),
        ActionStatus.DROPPED: _l("Dropped"),
    },
    "event_kind": {
        EventKind.ANNUAL_MEETING: _l("Annual meeting"),
        EventKind.REGIONAL_MEETING: _l("Regional meeting"),
        EventKind.TRAINING: _l("Training"),
        EventKind.WEBINAR: _l("Webinar"),
        EventKind.WORKING_GROUP: _l("Working group"),
    },
    "document_kind": {
        DocumentKind.NATIONAL_STRATEGY: _l("National strategy or action plan"),
        DocumentKind.TERMS_OF_REFERENCE: _l("Terms of reference"),
        DocumentKind.TRAINING_MATERIAL: _l("Training material"),
        DocumentKind.STATEMENT: _l("Statement"),
        DocumentKind.REPORT: _l("Report or study"),
        DocumentKind.OTHER: _l("Other"),
    },
    "document_visibility": {
        Visibility.PRIVATE: _l("Our team only"),
        Visibility.NETWORK: _l("Network members"),
        Visibility.PUBLIC: _l("Public: anyone, without signing in"),
    },
    "action_point_status": {
        ActionPointStatus.OPEN: _l("Open"),
        ActionPointStatus.IN_PROGRESS: _l("In progress"),
        ActionPointStatus.DONE: _l("Done"),
    },
    "registration": {
        RegistrationStatus.REGISTERED: _l("Registered"),
        RegistrationStatus.DECLINED: _l("Not attending"),
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
    SeatKind: "seat",
    MembershipStatus: "membership",
    AccountStatus: "account",
    Role: "role",
    AssessmentStatus: "assessment_status",
    Visibility: "visibility",
    CapacityStatus: "capacity",
    SubmissionStatus: "submission",
    AssistanceStatus: "assistance",
    LessonStatus: "lesson_status",
    RevisionStatus: "revision",
    TreatyParticipation: "participation",
    ActionStatus: "action_status",
    EventKind: "event_kind",
    DocumentKind: "document_kind",
    ActionPointStatus: "action_point_status",
    RegistrationStatus: "registration",
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
