"""The demo's national assessments, written by hand.

The demo attaches assessments to real States, so nothing here is drawn at random. A risk
factor carries a judgement other than "not assessed" only where a cautious reading of
public facts supports it, and the evidence says which facts; every other factor is left
"not assessed". Indicator keys are those of the Framework of Analysis (e.g. "8.8").
"""

from __future__ import annotations

from typing import Any

from r2p_network.models import Visibility

NOT_ASSESSED = "not_assessed"

PRIORITY_ACTIONS = [
    {
        "action": "Establish an inter-ministerial committee on atrocity prevention",
        "scope": "domestic",
        "inhibitors": ["inh04"],
        "risk_factors": ["rf03"],
        "lead": "Ministry of Foreign Affairs",
        "partners": "Ministry of Justice; national human rights commission",
        "timeframe": "short",
        "status": "under_way",
    },
    {
        "action": "Support a regional early-warning exchange",
        "scope": "international",
        "inhibitors": ["inh04", "inh06"],
        "risk_factors": ["rf08"],
        "lead": "Ministry of Foreign Affairs",
        "partners": "Regional organisation secretariat",
        "timeframe": "medium",
        "status": "planned",
    },
]
ELEMENTS_2_TO_4 = {
    "training_courses": [
        {
            "audience": "security_forces",
            "institution": "National defence college",
            "topic": "International humanitarian law and protection of civilians",
            "planned": 120,
            "trained": 85,
            "start": "2026-02-01",
            "end": "2026-06-30",
        },
    ],
    "budget_lines": [
        {"line": "Early-warning unit", "amount": 250000, "currency": "USD", "source": "national"}
    ],
    "endorsements": "Cabinet declared the prevention of atrocity crimes a national priority.",
    "partnerships": "Quarterly dialogue with civil-society organisations and the press council.",
}


def answers(
    factors: dict[int, dict[str, Any]],
    resilience: dict[int, tuple[str, str]] | None = None,
    *,
    complete: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """A full set of answers: the given factors, every other factor "not assessed"."""
    result: dict[str, Any] = {}
    for number in range(1, 15):
        key = f"rf{number:02d}"
        found = factors.get(number, {"judgement": NOT_ASSESSED})
        result.update({f"{key}_{field}": value for field, value in found.items()})
    for number in range(1, 8):
        strength, notes = (resilience or {}).get(number, (NOT_ASSESSED, ""))
        result[f"inh{number:02d}_strength"] = strength
        if notes:
            result[f"inh{number:02d}_notes"] = notes
    result["priority_actions"] = PRIORITY_ACTIONS
    if complete:
        result.update(ELEMENTS_2_TO_4)
    result.update(extra)
    return result


def _none_recorded(*numbers: int) -> dict[int, dict[str, Any]]:
    return {
        n: {
            "judgement": "no_concern",
            "evidence": "No armed conflict on the territory and no signs of this factor "
            "in the period reviewed.",
        }
        for n in numbers
    }


GHANA_NORTH = {
    "judgement": "some_concern",
    "indicators": ["1.11"],
    "trend": "stable",
    "evidence": "Long-running chieftaincy and land disputes in parts of the north, such as Bawku, "
    "flare up from time to time.",
    "sources": "National Peace Council; regional security council briefings.",
}
GHANA_PEACE_COUNCIL = (
    "strong",
    "The National Peace Council, set up by law in 2011, mediates local disputes with regional councils.",
)
GHANA_V1 = answers(
    {
        1: GHANA_NORTH,
        8: {
            "judgement": "some_concern",
            "indicators": ["8.8"],
            "trend": "stable",
            "evidence": "General elections bring tension in a few contested constituencies.",
            "sources": "Electoral commission; National Peace Council.",
        },
    },
    {5: GHANA_PEACE_COUNCIL},
    complete=False,
)
GHANA_V2 = answers(
    {
        1: {**GHANA_NORTH, "trend": "improving"},
        8: {
            "judgement": "no_concern",
            "trend": "improving",
            "evidence": "The December 2024 elections ended in a peaceful transfer of power.",
            "sources": "Electoral commission; election observer reports.",
        },
    },
    {5: GHANA_PEACE_COUNCIL},
)

KENYA_V1 = answers(
    {
        1: {
            "judgement": "some_concern",
            "indicators": ["1.2"],
            "trend": "stable",
            "evidence": "Attacks by al-Shabaab in counties near the Somali border.",
            "sources": "National Counter Terrorism Centre; county security briefings.",
        },
        2: {
            "judgement": "some_concern",
            "indicators": ["2.2", "2.3"],
            "trend": "stable",
            "evidence": "The violence that followed the 2007 elections led to few prosecutions.",
            "sources": "Commission of Inquiry into Post-Election Violence (2008).",
        },
        8: {
            "judgement": "some_concern",
            "indicators": ["8.8"],
            "trend": "improving",
            "evidence": "Elections remain the moment of greatest risk; "
            "the 2022 elections passed largely peacefully.",
            "sources": "Independent Electoral and Boundaries Commission; observer missions.",
        },
    },
    {
        3: ("moderate", "The 2010 Constitution strengthened the independence of the judiciary."),
        6: (
            "moderate",
            "The National Cohesion and Integration Commission, created in 2008, acts on hate speech.",
        ),
    },
)

DENMARK_V1 = answers(_none_recorded(10, 11, 12, 13, 14), complete=False)
DENMARK_V2 = answers(
    {
        **_none_recorded(10, 11, 12, 13, 14),
        6: {
            "judgement": "no_concern",
            "evidence": "A national focal point coordinates prevention across ministries.",
            "sources": "Ministry of Foreign Affairs.",
        },
    }
)

PHILIPPINES_V1 = answers(
    {
        1: {
            "judgement": "some_concern",
            "indicators": ["1.1"],
            "trend": "improving",
            "evidence": "Armed conflict in parts of Mindanao has eased since the Bangsamoro peace agreement; "
            "the autonomous region was set up in 2019.",
            "sources": "Office of the Presidential Adviser on Peace, Reconciliation and Unity.",
        },
        13: {
            "judgement": "some_concern",
            "indicators": ["13.1"],
            "trend": "improving",
            "evidence": "Small armed groups outside the peace process remain active in a few areas.",
            "sources": "Bangsamoro transition authority; humanitarian country team updates.",
        },
    },
    groups_at_risk="Displaced families in conflict-affected parts of Mindanao.",
    group_kinds=["religious", "other"],
    perpetrators="non_state",
)

SWITZERLAND_V1 = answers(_none_recorded(10, 11, 12, 13, 14))

COSTA_RICA_DRAFT = answers(
    {
        6: {
            "judgement": "no_concern",
            "evidence": "Costa Rica abolished its army in 1948 and has a long record of stable institutions.",
            "sources": "Constitution of 1949.",
        },
    },
    complete=False,
)
SENEGAL_DRAFT = answers(
    {
        1: {
            "judgement": "some_concern",
            "indicators": ["1.1"],
            "trend": "improving",
            "evidence": "A long-running, low-intensity conflict in Casamance; agreements with armed "
            "factions since 2022.",
            "sources": "Ministry of the Armed Forces; regional humanitarian updates.",
        },
    },
    complete=False,
)

# (country, title, [(visibility, answers) of each submitted version], answers of the open draft or None)
DEMO_ASSESSMENTS: list[tuple[str, str, list[tuple[Visibility, dict[str, Any]]], dict[str, Any] | None]] = [
    (
        "GHA",
        "National strategy for atrocity prevention 2025-2028",
        [(Visibility.PRIVATE, GHANA_V1), (Visibility.NETWORK, GHANA_V2)],
        None,
    ),
    ("KEN", "Atrocity prevention strategy: national assessment", [(Visibility.PUBLIC, KENYA_V1)], None),
    (
        "DNK",
        "Danish national strategy on atrocity prevention",
        [(Visibility.PRIVATE, DENMARK_V1), (Visibility.PRIVATE, DENMARK_V2)],
        DENMARK_V2,
    ),
    ("PHL", "National assessment of atrocity risks", [(Visibility.NETWORK, PHILIPPINES_V1)], None),
    (
        "CHE",
        "Swiss strategy for the prevention of atrocity crimes",
        [(Visibility.NETWORK, SWITZERLAND_V1)],
        None,
    ),
    ("CRI", "Estrategia nacional de prevención de atrocidades", [], COSTA_RICA_DRAFT),
    ("SEN", "Stratégie nationale de prévention des atrocités", [], SENEGAL_DRAFT),
]
