"""Template definitions: their schema, progress, completeness and comparison of answers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from r2p_network.assessments.localize import check_translations

QUESTION_TYPES = {
    "judgement",
    "choice",
    "multi_choice",
    "number",
    "date",
    "short_text",
    "long_text",
    "repeat",
}
CHOICE_TYPES = {"judgement", "choice", "multi_choice"}
ELEMENTS = (1, 2, 3, 4)


class DefinitionError(ValueError):
    """A template definition does not follow the schema."""


def _check_question(question: Any, where: str, keys: set[str], *, in_row: bool = False) -> None:
    if not isinstance(question, dict):
        raise DefinitionError(f"{where}: a question must be an object")
    key, kind = question.get("key"), question.get("type")
    if not isinstance(key, str) or not key.isidentifier():
        raise DefinitionError(f"{where}: question key {key!r} must be a simple identifier")
    if key in keys:
        raise DefinitionError(f"{where}: question key {key!r} is used twice")
    keys.add(key)
    if kind not in QUESTION_TYPES or (in_row and kind == "repeat"):
        raise DefinitionError(f"{where}.{key}: unknown or misplaced type {kind!r}")
    if not isinstance(question.get("label"), str) or not question["label"].strip():
        raise DefinitionError(f"{where}.{key}: a label is required")
    if kind in CHOICE_TYPES:
        options = question.get("options")
        if not isinstance(options, list) or not options:
            raise DefinitionError(f"{where}.{key}: choices need options")
        values = [option.get("value") for option in options if isinstance(option, dict)]
        if (
            len(values) != len(options)
            or len(set(values)) != len(values)
            or not all(isinstance(v, str) and v for v in values)
        ):
            raise DefinitionError(f"{where}.{key}: options need distinct string values")
    if kind == "repeat":
        columns = question.get("columns")
        if not isinstance(columns, list) or not columns:
            raise DefinitionError(f"{where}.{key}: repeatable rows need columns")
        column_keys: set[str] = set()
        for column in columns:
            _check_question(column, f"{where}.{key}", column_keys, in_row=True)


MAX_DEPTH = 16  # the schema needs 6 levels (definition, sections, question, options/columns...)


def parse_definition(text: str) -> Any:
    """Read a definition from JSON text, refusing nesting deeper than the schema could use."""
    try:
        definition = json.loads(text)
    except RecursionError:
        raise DefinitionError(_too_deep()) from None
    stack = [(definition, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DefinitionError(_too_deep())
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return definition


def _too_deep() -> str:
    return str(_l("the definition is nested more than %(n)d levels deep", n=MAX_DEPTH))


def validate_definition(definition: Any) -> None:
    """Raise DefinitionError unless *definition* is a usable template (four elements, typed questions)."""
    if not isinstance(definition, dict) or definition.get("schema") != 1:
        raise DefinitionError("the definition must be an object with schema 1")
    sections = definition.get("sections")
    if not isinstance(sections, list) or not sections:
        raise DefinitionError("the definition needs sections")
    keys: set[str] = set()
    section_keys: set[str] = set()
    for section in sections:
        if not isinstance(section, dict) or not isinstance(section.get("key"), str):
            raise DefinitionError("each section needs a key")
        if section["key"] in section_keys:
            raise DefinitionError(f"section key {section['key']!r} is used twice")
        section_keys.add(section["key"])
        if section.get("element") not in ELEMENTS:
            raise DefinitionError(f"section {section['key']}: element must be 1 to 4")
        if not isinstance(section.get("title"), str):
            raise DefinitionError(f"section {section['key']}: a title is required")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            raise DefinitionError(f"section {section['key']}: questions are required")
        for question in questions:
            _check_question(question, section["key"], keys)
    if {s["element"] for s in sections} != set(ELEMENTS):
        raise DefinitionError("the sections must cover the four elements of the national strategy")
    problem = check_translations(definition.get("translations"))
    if problem:
        raise DefinitionError(problem)


def sections(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return definition["sections"]


def section(definition: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((s for s in definition["sections"] if s["key"] == key), None)


def lock_units(section: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The parts of a section saved and locked on their own: each group (a risk factor, an
    inhibitor) is one, and the questions outside a group form one together."""
    units: dict[str, list[dict[str, Any]]] = {}
    for question in section["questions"]:
        group = question.get("group")
        key = f"{section['key']}.{group['key']}" if group else section["key"]
        units.setdefault(key, []).append(question)
    return units


def unit_stamp(questions: list[dict[str, Any]], answers: dict[str, Any]) -> str:
    """A short fingerprint of the answers to *questions* (blank answers count as absent)."""
    present = {
        q["key"]: answers.get(q["key"]) for q in questions if answers.get(q["key"]) not in (None, "", [])
    }
    text = json.dumps(present, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def section_locks(section: dict[str, Any], answers: dict[str, Any], saves: dict[str, int]) -> dict[str, str]:
    """The lock of each part of *section* as stored: how often it was saved, and its fingerprint."""
    return {
        unit: f"{saves.get(unit, 0)}:{unit_stamp(qs, answers)}" for unit, qs in lock_units(section).items()
    }


def questions(definition: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(section, question) for every top-level question, in order."""
    for sec in definition["sections"]:
        for question in sec["questions"]:
            yield sec, question


def is_answered(question: dict[str, Any], value: Any) -> bool:
    """True when *value* counts as an answer (a repeat needs one complete row)."""
    if question["type"] == "repeat":
        return any(_row_complete(question, row) for row in value or [])
    if isinstance(value, list):
        return bool(value)
    return value not in (None, "")


def _row_complete(question: dict[str, Any], row: dict[str, Any]) -> bool:
    return all(is_answered(col, row.get(col["key"])) for col in question["columns"] if col.get("required"))


@dataclass(frozen=True)
class MissingAnswer:
    label: str
    anchor: str  # the id of the question's card on the edit page ("" for a question outside a group)


@dataclass(frozen=True)
class SectionProgress:
    key: str
    element: int
    title: str
    answered: int
    total: int
    required_missing: list[MissingAnswer]

    @property
    def complete(self) -> bool:
        return not self.required_missing


def progress(definition: dict[str, Any], answers: dict[str, Any]) -> list[SectionProgress]:
    """Per section: how many questions are answered, and which required ones are missing."""
    result = []
    for sec in definition["sections"]:
        answered = sum(1 for q in sec["questions"] if is_answered(q, answers.get(q["key"])))
        missing = [
            MissingAnswer(_full_label(q), f"part-{q['group']['key']}" if q.get("group") else "")
            for q in sec["questions"]
            if q.get("required") and not is_answered(q, answers.get(q["key"]))
        ]
        result.append(
            SectionProgress(
                sec["key"], sec["element"], sec["title"], answered, len(sec["questions"]), missing
            )
        )
    return result


@dataclass(frozen=True)
class PartProgress:
    key: str  # the group's key, also the anchor of its card on the page
    title: str
    answered: int
    total: int
    missing: int  # required questions without an answer


def group_progress(section: dict[str, Any], answers: dict[str, Any]) -> list[PartProgress]:
    """Per group of a section (each risk factor, each inhibitor): answered and missing questions."""
    parts: dict[str, list[dict[str, Any]]] = {}
    titles: dict[str, str] = {}
    for question in section["questions"]:
        group = question.get("group")
        if group:
            parts.setdefault(group["key"], []).append(question)
            titles[group["key"]] = group["title"]
    return [
        PartProgress(
            key,
            titles[key],
            sum(1 for q in qs if is_answered(q, answers.get(q["key"]))),
            len(qs),
            sum(1 for q in qs if q.get("required") and not is_answered(q, answers.get(q["key"]))),
        )
        for key, qs in parts.items()
    ]


def complete_elements(definition: dict[str, Any], answers: dict[str, Any]) -> set[int]:
    """The elements (1-4) all of whose sections have every required question answered."""
    by_element: dict[int, bool] = {}
    for item in progress(definition, answers):
        by_element[item.element] = by_element.get(item.element, True) and item.complete
    return {element for element, done in by_element.items() if done}


def element_flags(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, bool]:
    """``element1_complete`` ... ``element4_complete`` for a version with these answers."""
    done = complete_elements(definition, answers)
    return {f"element{n}_complete": n in done for n in ELEMENTS}


def _full_label(question: dict[str, Any]) -> str:
    group = question.get("group")
    return f"{group['title']}: {question['label']}" if group else question["label"]


def option_label(question: dict[str, Any], value: str) -> str:
    for option in question.get("options", []):
        if option["value"] == value:
            return option["label"]
    return value


def display(question: dict[str, Any], value: Any) -> str:
    """An answer as text (for comparison and exports)."""
    if value in (None, "", []):
        return ""
    kind = question["type"]
    if kind in ("judgement", "choice"):
        return option_label(question, value)
    if kind == "multi_choice":
        return "; ".join(option_label(question, v) for v in value)
    if kind == "repeat":
        rows = []
        for row in value:
            cells = [f"{col['label']}: {display(col, row.get(col['key']))}" for col in question["columns"]]
            rows.append(", ".join(cell for cell in cells if not cell.endswith(": ")))
        return "\n".join(rows)
    return str(value)


@dataclass(frozen=True)
class Difference:
    section_title: str
    label: str
    before: str
    after: str
    is_judgement: bool
    direction: str = ""  # for a judgement: "worse" or "better"; empty when neither applies


# Judgement options run from the best to the worst; these say nothing about the direction.
UNRANKED = frozenset({"not_assessed", "not_known"})


def judgement_direction(question: dict[str, Any], old: Any, new: Any) -> str:
    """Whether a changed judgement got "worse" or "better" (options run from best to worst)."""
    ranked = [o["value"] for o in question.get("options", []) if o["value"] not in UNRANKED]
    if old not in ranked or new not in ranked or old == new:
        return ""
    return "worse" if ranked.index(new) > ranked.index(old) else "better"


def compare(definition: dict[str, Any], before: dict[str, Any], after: dict[str, Any]) -> list[Difference]:
    """Every question whose answer differs between two sets of answers, judgements flagged."""
    differences = []
    for sec, question in questions(definition):
        old, new = before.get(question["key"]), after.get(question["key"])
        if (old or None) != (new or None):
            differences.append(
                Difference(
                    sec["title"],
                    _full_label(question),
                    display(question, old),
                    display(question, new),
                    question["type"] == "judgement",
                    judgement_direction(question, old, new) if question["type"] == "judgement" else "",
                )
            )
    return differences
