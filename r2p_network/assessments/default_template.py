"""The default template, "National strategy for atrocity prevention", as data.

Its four sections follow the four elements of a national strategy: risk and
resilience assessment on the UN Framework of Analysis (14 risk factors, each with
indicator prompts), priorities for action on the seven inhibitors, training of
officials, and mobilisation of resources and political support. The indicator
prompts are the platform's own concise wording.
"""

from __future__ import annotations

from typing import Any

SLUG = "national-strategy"
NAME = "National strategy for atrocity prevention"

ALL_CRIMES = ["genocide", "war_crimes", "ethnic_cleansing", "crimes_against_humanity"]

# (number, title, crimes it signals, indicator prompts)
RISK_FACTORS: list[tuple[int, str, list[str], list[str]]] = [
    (
        1,
        "Situations of armed conflict or other forms of instability",
        ALL_CRIMES,
        [
            "International or non-international armed conflict under way",
            "Political or security crisis, such as an unconstitutional change of government or disputed elections",
            "Economic shock or humanitarian emergency straining the State",
            "Emergency rule or suspension of ordinary legal guarantees",
        ],
    ),
    (
        2,
        "Record of serious violations of international human rights and humanitarian law",
        ALL_CRIMES,
        [
            "Past atrocity crimes not acknowledged or addressed",
            "Continuing pattern of serious violations against particular groups",
            "Impunity for past abuses",
            "Denial or justification of past crimes in public discourse",
        ],
    ),
    (
        3,
        "Weakness of State structures",
        ALL_CRIMES,
        [
            "National law does not adequately criminalise or prevent atrocity crimes",
            "Judiciary lacking independence, resources or reach",
            "Security forces without effective civilian oversight",
            "Corruption or poor governance undermining institutions",
            "Limited State presence in parts of the territory",
        ],
    ),
    (
        4,
        "Motives or incentives",
        ALL_CRIMES,
        [
            "Political motives tied to gaining or keeping power",
            "Economic interests, such as control of land or natural resources",
            "Ideologies built on exclusion or supremacy",
            "Real or perceived threats attributed to a group",
        ],
    ),
    (
        5,
        "Capacity to commit atrocity crimes",
        ALL_CRIMES,
        [
            "Access to personnel and weapons",
            "Armed groups or militias able to operate",
            "Financial or logistical support from inside or outside the country",
            "Presence of forces or groups with a record of violence",
        ],
    ),
    (
        6,
        "Absence of mitigating factors",
        ALL_CRIMES,
        [
            "Civil society and independent media weak or restricted",
            "No international presence or access",
            "Little engagement with regional or international mechanisms",
            "Populations unable to protect themselves or to flee",
        ],
    ),
    (
        7,
        "Enabling circumstances or preparatory action",
        ALL_CRIMES,
        [
            "New laws or measures restricting fundamental rights",
            "Arming or training of civilians or militias",
            "Inflammatory rhetoric or propaganda against a group",
            "Marking, registering or segregating people by identity",
            "Expulsion or restriction of international observers or journalists",
        ],
    ),
    (
        8,
        "Triggering factors",
        ALL_CRIMES,
        [
            "Upcoming elections, transitions of power or a census",
            "Sudden change in the balance of power or the security situation",
            "Commemorations of divisive past events",
            "Attacks on leaders or serious incidents between groups",
        ],
    ),
    (
        9,
        "Intergroup tensions or patterns of discrimination against protected groups",
        ["genocide"],
        [
            "Systematic discrimination in law or in practice",
            "Unresolved past violence between groups",
            "Denial of the existence or identity of a group",
        ],
    ),
    (
        10,
        "Signs of an intent to destroy in whole or in part a protected group",
        ["genocide"],
        [
            "Statements or documents expressing an intent to destroy a group",
            "Targeting of a group's members, leaders or cultural sites",
            "Measures preventing births or removing children from a group",
        ],
    ),
    (
        11,
        "Signs of a widespread or systematic attack against any civilian population",
        ["crimes_against_humanity"],
        [
            "Attacks against civilians that are widespread or organised",
            "Use of State or organisational resources for such attacks",
            "Patterns of enforced disappearance, torture or sexual violence",
        ],
    ),
    (
        12,
        "Signs of a plan or policy to attack any civilian population",
        ["crimes_against_humanity"],
        [
            "Official documents or orders targeting civilians",
            "Parallel structures or militias set up for repression",
            "Coordinated propaganda preparing the ground for attacks",
        ],
    ),
    (
        13,
        "Serious threats to those protected under international humanitarian law",
        ["war_crimes"],
        [
            "Attacks on civilians or civilian objects in armed conflict",
            "Ill-treatment of detainees or prisoners of war",
            "Use of prohibited weapons or methods of warfare",
            "Obstruction of humanitarian relief",
        ],
    ),
    (
        14,
        "Serious threats to humanitarian or peacekeeping operations",
        ["war_crimes"],
        [
            "Attacks or threats against humanitarian workers",
            "Attacks or threats against peacekeepers",
            "Restrictions on humanitarian access",
        ],
    ),
]

INHIBITORS: list[tuple[int, str]] = [
    (1, "A professional and accountable security sector"),
    (2, "Impartial institutions for overseeing political transitions"),
    (3, "Independent judicial and human rights institutions"),
    (4, "The capacity to assess risk and mobilise early response"),
    (5, "Local capacity to resolve conflicts"),
    (6, "Media capacity to counteract prejudice and hate speech"),
    (7, "Capacity for effective and legitimate transitional justice"),
]

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


def _risk_factor_questions() -> list[dict[str, Any]]:
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
                "options": [{"value": f"i{n}", "label": text} for n, text in enumerate(indicators, start=1)],
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
    inhibitor_options = _options(INHIBITORS, "inh")
    risk_options = _options([(n, title) for n, title, _c, _i in RISK_FACTORS], "rf")
    return {
        "schema": 1,
        "title": NAME,
        "sections": [
            {
                "key": "assessment",
                "element": 1,
                "title": "Assessment of atrocity risks and sources of resilience",
                "help": "Use the UN Framework of Analysis for Atrocity Crimes as a guide for judgement. "
                "The presence of risk factors signals risk; it is not a score or a probability.",
                "questions": _risk_factor_questions(),
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
                            {
                                "key": "inhibitors",
                                "type": "multi_choice",
                                "label": "Inhibitors addressed",
                                "options": inhibitor_options,
                            },
                            {
                                "key": "risk_factors",
                                "type": "multi_choice",
                                "label": "Risk factors addressed",
                                "options": risk_options,
                            },
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
