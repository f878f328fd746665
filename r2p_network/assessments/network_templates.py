"""The templates of the parallel networks, as data: civil society and parliaments.

The civil-society assessment uses the same fourteen risk factors and indicators as the
government template, and adds the organisation's own monitoring and its engagement with
the authorities. The parliamentary checklist follows what a legislature oversees. Each
section names the element of the national strategy it contributes to.
"""

from __future__ import annotations

from typing import Any

from r2p_network.assessments.default_template import (
    addressed_columns,
    risk_assessment_questions,
)

CIVIL_SOCIETY_SLUG = "civil-society-assessment"
CIVIL_SOCIETY_NAME = "Independent civil-society assessment"
PARLIAMENT_SLUG = "parliamentary-oversight"
PARLIAMENT_NAME = "Parliamentary oversight checklist"

CHECK = [
    {"value": "yes", "label": "Yes"},
    {"value": "partly", "label": "Partly"},
    {"value": "no", "label": "No"},
    {"value": "not_known", "label": "Not known"},
]


def _text(key: str, label: str, *, help: str = "", required: bool = False, max_length: int = 3000) -> dict:
    question: dict[str, Any] = {"key": key, "type": "long_text", "label": label, "max_length": max_length}
    if help:
        question["help"] = help
    if required:
        question["required"] = True
    return question


def _check(key: str, label: str, *, required: bool = True) -> dict:
    """A checklist item answered yes, partly, no or not known (radio buttons)."""
    return {"key": key, "type": "judgement", "label": label, "options": CHECK, "required": required}


def _date(key: str) -> dict:
    return {"key": key, "type": "date", "label": "Date"}


def _short(key: str, label: str, *, required: bool = False, max_length: int = 300) -> dict:
    question: dict[str, Any] = {"key": key, "type": "short_text", "label": label, "max_length": max_length}
    if required:
        question["required"] = True
    return question


def civil_society_definition() -> dict[str, Any]:
    """An independent assessment by a civil-society team, written for its role as a watchdog and partner."""
    return {
        "schema": 1,
        "title": CIVIL_SOCIETY_NAME,
        "description": "For civil-society teams: an independent reading of the same fourteen risk factors, "
        "how your organisations monitor them, and how you engage with the authorities.",
        "sections": [
            {
                "key": "assessment",
                "element": 1,
                "title": "Independent assessment of atrocity risks and sources of resilience",
                "help": "The same Framework of Analysis as the government's assessment, so the two can be "
                "read side by side. Record what your own monitoring shows.",
                "questions": risk_assessment_questions(),
            },
            {
                "key": "monitoring",
                "element": 1,
                "title": "Civil-society monitoring",
                "questions": [
                    _check(
                        "monitoring_network", "Our organisations run a monitoring or early-warning network"
                    ),
                    _text(
                        "monitoring_coverage",
                        "Areas and communities covered",
                        help="Where monitors are present, and where they cannot go.",
                    ),
                    _text(
                        "monitoring_methods",
                        "How incidents and warning signs are recorded and verified",
                        required=True,
                    ),
                    _check("monitoring_safety", "Monitors and witnesses can work without reprisals"),
                    {
                        "key": "alerts",
                        "type": "repeat",
                        "label": "Alerts issued",
                        "columns": [
                            _short("summary", "What the alert was about", required=True),
                            _date("date"),
                            _short("sent_to", "Sent to"),
                            _short("response", "Response received"),
                        ],
                    },
                ],
            },
            {
                "key": "recommendations",
                "element": 2,
                "title": "Recommendations for action",
                "help": "What the authorities and their partners should do, "
                "based on the inhibitors of atrocity crimes.",
                "questions": [
                    {
                        "key": "recommendations",
                        "type": "repeat",
                        "label": "Recommendations",
                        "required": True,
                        "columns": [
                            _short("recommendation", "Recommendation", required=True),
                            _short("addressed_to", "Addressed to", max_length=200),
                            *addressed_columns(),
                            {
                                "key": "uptake",
                                "type": "choice",
                                "label": "Taken up by the authorities",
                                "options": [
                                    {"value": "not_yet", "label": "Not yet"},
                                    {"value": "under_discussion", "label": "Under discussion"},
                                    {"value": "accepted", "label": "Accepted"},
                                    {"value": "implemented", "label": "Implemented"},
                                    {"value": "rejected", "label": "Rejected"},
                                ],
                            },
                        ],
                    },
                ],
            },
            {
                "key": "capacity",
                "element": 3,
                "title": "Training and capacity",
                "questions": [
                    _text(
                        "capacity_needs",
                        "What monitors, community members or journalists need to learn",
                        required=True,
                    ),
                    {
                        "key": "capacity_activities",
                        "type": "repeat",
                        "label": "Training given or received",
                        "columns": [
                            _short("topic", "Topic", required=True),
                            _short("audience", "Participants", max_length=200),
                            {"key": "people", "type": "number", "label": "People", "min": 0, "max": 1000000},
                            _date("date"),
                        ],
                    },
                ],
            },
            {
                "key": "engagement",
                "element": 4,
                "title": "Engagement with the authorities",
                "questions": [
                    _check("engagement_focal_point", "Regular dialogue with the government's focal point"),
                    _check(
                        "engagement_strategy",
                        "Civil society was consulted on the national strategy",
                    ),
                    {
                        "key": "engagement_meetings",
                        "type": "repeat",
                        "label": "Meetings, submissions and joint work",
                        "columns": [
                            {
                                "key": "kind",
                                "type": "choice",
                                "label": "Kind",
                                "required": True,
                                "options": [
                                    {"value": "meeting", "label": "Meeting with officials"},
                                    {"value": "consultation", "label": "Consultation"},
                                    {"value": "submission", "label": "Written submission"},
                                    {
                                        "value": "review",
                                        "label": "Report to an international review (UPR, treaty body)",
                                    },
                                    {"value": "joint", "label": "Joint activity"},
                                ],
                            },
                            _short("with_whom", "With whom", max_length=200),
                            _date("date"),
                            _short("outcome", "Outcome"),
                        ],
                    },
                    _text(
                        "engagement_obstacles",
                        "Obstacles to engagement",
                        help="For example restrictions on registration, funding or access to officials.",
                        required=True,
                    ),
                ],
            },
        ],
    }


INSTRUMENTS = [
    ("genocide_convention", "Genocide Convention"),
    ("geneva_conventions", "Geneva Conventions and Additional Protocols"),
    ("rome_statute", "Rome Statute of the International Criminal Court"),
    ("torture_convention", "Convention against Torture"),
    ("cerd", "Convention on the Elimination of Racial Discrimination"),
    ("refugee_convention", "Refugee Convention and its 1967 Protocol"),
    ("arms_trade_treaty", "Arms Trade Treaty"),
    ("kampala_convention", "Kampala Convention (African Union)"),
]


def parliament_definition() -> dict[str, Any]:
    """A checklist for parliamentary teams: what the legislature has done and can still do."""
    return {
        "schema": 1,
        "title": PARLIAMENT_NAME,
        "description": "For parliamentary teams: oversight hearings, legislation, treaty ratification, "
        "budget and engagement with the national strategy, as a checklist.",
        "sections": [
            {
                "key": "hearings",
                "element": 1,
                "title": "Oversight hearings on atrocity risks",
                "questions": [
                    _check(
                        "hearing_assessment_received", "Parliament has received the national risk assessment"
                    ),
                    _check("hearing_committee", "A committee is responsible for atrocity prevention"),
                    {
                        "key": "hearings",
                        "type": "repeat",
                        "label": "Hearings held",
                        "columns": [
                            _short("subject", "Subject", required=True),
                            _short("committee", "Committee", max_length=200),
                            _short("heard", "Officials or experts heard"),
                            _date("date"),
                            _short("follow_up", "Follow-up"),
                        ],
                    },
                ],
            },
            {
                "key": "legislation",
                "element": 2,
                "title": "Legislation",
                "questions": [
                    _check(
                        "law_crimes",
                        "Genocide, crimes against humanity and war crimes are crimes in national law",
                    ),
                    _check(
                        "law_incitement",
                        "Incitement to violence is prohibited in a way that respects freedom of expression",
                    ),
                    _check(
                        "law_emergency",
                        "Parliament controls the declaration and extension of states of emergency",
                    ),
                    _check(
                        "law_security_oversight",
                        "The law provides for civilian oversight of the security forces",
                    ),
                    _check("law_nhri", "A national human rights institution is established by law"),
                    {
                        "key": "bills",
                        "type": "repeat",
                        "label": "Bills before parliament",
                        "columns": [
                            _short("title", "Bill", required=True),
                            {
                                "key": "stage",
                                "type": "choice",
                                "label": "Stage",
                                "options": [
                                    {"value": "drafting", "label": "Drafting"},
                                    {"value": "committee", "label": "In committee"},
                                    {"value": "plenary", "label": "In plenary"},
                                    {"value": "adopted", "label": "Adopted"},
                                ],
                            },
                            _short("notes", "Notes"),
                        ],
                    },
                ],
            },
            {
                "key": "treaties",
                "element": 2,
                "title": "Treaty ratification",
                "questions": [
                    {
                        "key": "treaty_checks",
                        "type": "repeat",
                        "label": "Instruments",
                        "required": True,
                        "columns": [
                            {
                                "key": "instrument",
                                "type": "choice",
                                "label": "Instrument",
                                "required": True,
                                "options": [{"value": v, "label": label} for v, label in INSTRUMENTS],
                            },
                            {
                                "key": "status",
                                "type": "choice",
                                "label": "Status",
                                "required": True,
                                "options": [
                                    {"value": "party", "label": "Party"},
                                    {"value": "before_parliament", "label": "Ratification before parliament"},
                                    {"value": "signed", "label": "Signed, not ratified"},
                                    {"value": "not_party", "label": "Not party"},
                                ],
                            },
                            {
                                "key": "implementing_law",
                                "type": "choice",
                                "label": "Implementing legislation",
                                "options": CHECK,
                            },
                            _short("notes", "Notes"),
                        ],
                    },
                ],
            },
            {
                "key": "awareness",
                "element": 3,
                "title": "Awareness of members and staff",
                "questions": [
                    _check(
                        "awareness_briefings", "Members and staff have been briefed on atrocity prevention"
                    ),
                    _text("awareness_plans", "Briefings or training planned"),
                ],
            },
            {
                "key": "budget",
                "element": 4,
                "title": "Budget",
                "questions": [
                    _check(
                        "budget_prevention",
                        "The budget funds the national prevention mechanism or focal point",
                    ),
                    {
                        "key": "budget_reviews",
                        "type": "repeat",
                        "label": "Budget lines reviewed",
                        "columns": [
                            _short("line", "Budget line", required=True, max_length=200),
                            {
                                "key": "amount",
                                "type": "number",
                                "label": "Amount",
                                "min": 0,
                                "max": 100000000000,
                            },
                            _short("currency", "Currency", max_length=3),
                            _short("finding", "Finding"),
                        ],
                    },
                ],
            },
            {
                "key": "strategy",
                "element": 4,
                "title": "Engagement with the national strategy",
                "questions": [
                    _check("strategy_debated", "Parliament has debated the national strategy"),
                    _check("strategy_reporting", "The government reports to parliament on the strategy"),
                    _text(
                        "strategy_requests",
                        "Requests made to the government",
                        help="Questions, motions or resolutions on atrocity prevention, "
                        "and the answers received.",
                        required=True,
                    ),
                ],
            },
        ],
    }
