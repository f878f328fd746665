"""The default template, "National strategy for atrocity prevention", as data.

Its four sections follow the four elements of a national strategy: risk and
resilience assessment on the UN Framework of Analysis (14 risk factors, each with
indicator prompts), priorities for action on the seven inhibitors, training of
officials, and mobilisation of resources and political support. The indicator
prompts are the platform's own concise wording.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SLUG = "national-strategy"
NAME = "National strategy for atrocity prevention"
DESCRIPTION = (
    "For government teams: the four elements of a national strategy, with the risk assessment "
    "on every indicator of the UN Framework of Analysis."
)

# The Framework of Analysis as data: each indicator has a stable key such as "7.6", so that
# answers and, later, translations of a prompt can be attached to it.
_FRAMEWORK = json.loads((Path(__file__).parent / "framework.json").read_text(encoding="utf-8"))

# (number, title, crimes it signals, [(indicator key, prompt)])
RISK_FACTORS: list[tuple[int, str, list[str], list[tuple[str, str]]]] = [
    (
        factor["number"],
        factor["title"],
        factor["crimes"],
        [(item["key"], item["text"]) for item in factor["indicators"]],
    )
    for factor in _FRAMEWORK["risk_factors"]
]

INHIBITORS: list[tuple[int, str]] = [(item["number"], item["title"]) for item in _FRAMEWORK["inhibitors"]]

CONCERN = [
    {"value": "no_concern", "label": "Of no concern"},
    {"value": "some_concern", "label": "Some concern"},
    {"value": "serious_concern", "label": "Serious concern"},
    {"value": "not_assessed", "label": "Not assessed"},
]
STRENGTH = [
    {"value": "strong", "label": "Strong"},
    {"value": "moderate", "label": "Moderate"},
    {"value": "weak", "label": "Weak"},
    {"value": "absent", "label": "Absent"},
    {"value": "not_assessed", "label": "Not assessed"},
]
TREND = [
    {"value": "improving", "label": "Improving"},
    {"value": "stable", "label": "Stable"},
    {"value": "worsening", "label": "Worsening"},
]


def _options(labels: list[tuple[int, str]], prefix: str) -> list[dict[str, str]]:
    return [{"value": f"{prefix}{n:02d}", "label": f"{n}. {title}"} for n, title in labels]


def inhibitor_options() -> list[dict[str, str]]:
    """The seven inhibitors as options (``inh01`` ...), for questions that refer to them."""
    return _options(INHIBITORS, "inh")


def addressed_columns() -> list[dict[str, Any]]:
    """The two columns a priority or recommendation row uses to say which inhibitors and risk
    factors it addresses."""
    return [
        {
            "key": "inhibitors",
            "type": "multi_choice",
            "label": "Inhibitors addressed",
            "options": inhibitor_options(),
        },
        {
            "key": "risk_factors",
            "type": "multi_choice",
            "label": "Risk factors addressed",
            "options": risk_factor_options(),
        },
    ]


def risk_factor_options() -> list[dict[str, str]]:
    """The fourteen risk factors as options (``rf01`` ...), for questions that refer to them."""
    return _options([(n, title) for n, title, _c, _i in RISK_FACTORS], "rf")


GROUP_KINDS = [
    {"value": "national", "label": "National"},
    {"value": "ethnical", "label": "Ethnical"},
    {"value": "racial", "label": "Racial"},
    {"value": "religious", "label": "Religious"},
    {"value": "other", "label": "Other (political, social, by region or another identity)"},
]
PERPETRATORS = [
    {"value": "state", "label": "State actors"},
    {"value": "non_state", "label": "Non-State actors"},
    {"value": "both", "label": "Both State and non-State actors"},
]


def _at_risk_questions() -> list[dict[str, Any]]:
    """Who may be targeted and by whom: asked once, after the fourteen risk factors."""
    group = {"key": "at_risk", "title": "Populations at risk and potential perpetrators"}
    return [
        {
            "key": "groups_at_risk",
            "group": group,
            "type": "long_text",
            "label": "Groups or populations at risk",
            "help": "Who could be targeted, where, and why.",
            "max_length": 3000,
        },
        {
            "key": "group_kinds",
            "group": group,
            "type": "multi_choice",
            "label": "Protected groups among them",
            "help": "The groups protected by the Genocide Convention, and any other group at risk.",
            "options": GROUP_KINDS,
        },
        {
            "key": "perpetrators",
            "group": group,
            "type": "choice",
            "label": "Potential perpetrators",
            "options": PERPETRATORS,
        },
        {
            "key": "perpetrators_notes",
            "group": group,
            "type": "long_text",
            "label": "About the potential perpetrators",
            "max_length": 3000,
        },
    ]


def risk_assessment_questions() -> list[dict[str, Any]]:
    """The fourteen risk factors with their indicators, who is at risk, and the seven inhibitors."""
    questions: list[dict[str, Any]] = []
    for number, title, crimes, indicators in RISK_FACTORS:
        key = f"rf{number:02d}"
        group = {"key": key, "title": f"Risk factor {number}: {title}", "crimes": crimes}
        questions += [
            {
                "key": f"{key}_judgement",
                "group": group,
                "type": "judgement",
                "label": "Judgement",
                "options": CONCERN,
                "required": True,
            },
            {
                "key": f"{key}_indicators",
                "group": group,
                "type": "multi_choice",
                "label": "Indicators observed",
                "options": [{"value": key, "label": f"{key} {text}"} for key, text in indicators],
            },
            {
                "key": f"{key}_trend",
                "group": group,
                "type": "choice",
                "label": "Trend since the last assessment",
                "options": TREND,
            },
            {
                "key": f"{key}_evidence",
                "group": group,
                "type": "long_text",
                "label": "Evidence",
                "help": "What was observed, where and when.",
                "max_length": 5000,
            },
            {
                "key": f"{key}_sources",
                "group": group,
                "type": "long_text",
                "label": "Sources",
                "max_length": 2000,
            },
        ]
    questions += _at_risk_questions()
    for number, title in INHIBITORS:
        key = f"inh{number:02d}"
        group = {"key": key, "title": f"Source of resilience {number}: {title}"}
        questions += [
            {
                "key": f"{key}_strength",
                "group": group,
                "type": "judgement",
                "label": "Strength",
                "options": STRENGTH,
                "required": True,
            },
            {
                "key": f"{key}_notes",
                "group": group,
                "type": "long_text",
                "label": "Notes",
                "max_length": 3000,
            },
        ]
    return questions


def definition() -> dict[str, Any]:
    """The template definition; validated by ``assessments.schema.validate_definition``."""
    return {
        "schema": 1,
        "title": NAME,
        "description": DESCRIPTION,
        "sections": [
            {
                "key": "assessment",
                "element": 1,
                "title": "Assessment of atrocity risks and sources of resilience",
                "help": "Use the UN Framework of Analysis for Atrocity Crimes as a guide for judgement. "
                "The presence of risk factors signals risk; it is not a score or a probability.",
                "questions": risk_assessment_questions(),
            },
            {
                "key": "priorities",
                "element": 2,
                "title": "Priorities for action",
                "help": "Domestic and international actions that strengthen the inhibitors of atrocity crimes.",
                "questions": [
                    {
                        "key": "priority_actions",
                        "type": "repeat",
                        "label": "Actions",
                        "required": True,
                        "columns": [
                            {
                                "key": "action",
                                "type": "short_text",
                                "label": "Action",
                                "required": True,
                                "max_length": 300,
                            },
                            {
                                "key": "scope",
                                "type": "choice",
                                "label": "Domestic or international",
                                "options": [
                                    {"value": "domestic", "label": "Domestic"},
                                    {"value": "international", "label": "International"},
                                ],
                            },
                            *addressed_columns(),
                            {
                                "key": "lead",
                                "type": "short_text",
                                "label": "Lead institution",
                                "max_length": 200,
                            },
                            {"key": "partners", "type": "short_text", "label": "Partners", "max_length": 300},
                            {
                                "key": "timeframe",
                                "type": "choice",
                                "label": "Timeframe",
                                "options": [
                                    {"value": "short", "label": "Within a year"},
                                    {"value": "medium", "label": "One to three years"},
                                    {"value": "long", "label": "More than three years"},
                                ],
                            },
                            {
                                "key": "status",
                                "type": "choice",
                                "label": "Status",
                                "options": [
                                    {"value": "planned", "label": "Planned"},
                                    {"value": "under_way", "label": "Under way"},
                                    {"value": "completed", "label": "Completed"},
                                    {"value": "stalled", "label": "Stalled"},
                                ],
                            },
                        ],
                    },
                ],
            },
            {
                "key": "training",
                "element": 3,
                "title": "Training of officials",
                "questions": [
                    {
                        "key": "training_plan",
                        "type": "long_text",
                        "label": "Training approach",
                        "help": "Who needs training in atrocity prevention, and how it is organised.",
                        "max_length": 5000,
                    },
                    {
                        "key": "training_courses",
                        "type": "repeat",
                        "label": "Courses",
                        "required": True,
                        "columns": [
                            {
                                "key": "audience",
                                "type": "choice",
                                "label": "Audience",
                                "required": True,
                                "options": [
                                    {"value": v, "label": label}
                                    for v, label in (
                                        ("security_forces", "Security forces"),
                                        ("police", "Police"),
                                        ("judiciary", "Judges and prosecutors"),
                                        ("diplomats", "Diplomats"),
                                        ("local_officials", "Local officials"),
                                        ("parliamentarians", "Parliamentarians"),
                                        ("civil_servants", "Other civil servants"),
                                    )
                                ],
                            },
                            {
                                "key": "institution",
                                "type": "short_text",
                                "label": "Training institution",
                                "max_length": 200,
                            },
                            {"key": "topic", "type": "short_text", "label": "Topic", "max_length": 300},
                            {
                                "key": "planned",
                                "type": "number",
                                "label": "People planned",
                                "min": 0,
                                "max": 1000000,
                            },
                            {
                                "key": "trained",
                                "type": "number",
                                "label": "People trained",
                                "min": 0,
                                "max": 1000000,
                            },
                            {"key": "start", "type": "date", "label": "Start date"},
                            {"key": "end", "type": "date", "label": "End date"},
                        ],
                    },
                ],
            },
            {
                "key": "mobilisation",
                "element": 4,
                "title": "Mobilisation of resources and political support",
                "questions": [
                    {
                        "key": "budget_lines",
                        "type": "repeat",
                        "label": "Budget lines and funding sources",
                        "required": True,
                        "columns": [
                            {
                                "key": "line",
                                "type": "short_text",
                                "label": "Budget line",
                                "required": True,
                                "max_length": 200,
                            },
                            {
                                "key": "amount",
                                "type": "number",
                                "label": "Amount",
                                "min": 0,
                                "max": 100000000000,
                            },
                            {"key": "currency", "type": "short_text", "label": "Currency", "max_length": 3},
                            {
                                "key": "source",
                                "type": "choice",
                                "label": "Source",
                                "options": [
                                    {"value": "national", "label": "National budget"},
                                    {"value": "donor", "label": "Bilateral donor"},
                                    {"value": "regional", "label": "Regional organisation"},
                                    {"value": "un", "label": "United Nations"},
                                    {"value": "other", "label": "Other"},
                                ],
                            },
                        ],
                    },
                    {
                        "key": "legislature",
                        "type": "repeat",
                        "label": "Engagement of the legislature",
                        "columns": [
                            {
                                "key": "kind",
                                "type": "choice",
                                "label": "Kind",
                                "required": True,
                                "options": [
                                    {"value": "hearing", "label": "Hearing"},
                                    {"value": "resolution", "label": "Resolution"},
                                    {"value": "committee", "label": "Committee"},
                                    {"value": "legislation", "label": "Legislation"},
                                    {"value": "debate", "label": "Debate"},
                                ],
                            },
                            {"key": "date", "type": "date", "label": "Date"},
                            {
                                "key": "description",
                                "type": "short_text",
                                "label": "Description",
                                "max_length": 300,
                            },
                        ],
                    },
                    {
                        "key": "endorsements",
                        "type": "long_text",
                        "label": "Political endorsements",
                        "help": "Declarations making prevention a national priority, and who made them.",
                        "required": True,
                        "max_length": 5000,
                    },
                    {
                        "key": "partnerships",
                        "type": "long_text",
                        "label": "Cooperation with civil society and media partners",
                        "required": True,
                        "max_length": 5000,
                    },
                ],
            },
        ],
    }
