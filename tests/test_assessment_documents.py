"""Documents that travel: the reading marking, the XLSX workbook read back against the JSON export,
the print view and the PDF, whose every page carries the marking."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import openpyxl
import pypdf
import pytest
from sqlalchemy import select

from r2p_network.assessments import default_template
from r2p_network.assessments.queries import reading_marking
from r2p_network.extensions import db
from r2p_network.models import AssessmentVersion, Network, Visibility
from tests.conftest import login
from tests.factories import make_assessment, make_member

ANSWERS = {
    "rf01_judgement": "serious_concern",
    "rf01_indicators": ["1.1", "1.3"],
    "rf01_trend": "worsening",
    "rf01_evidence": "=Clashes in two districts",  # a formula trigger, kept as text
    "rf07_judgement": "some_concern",
    "inh01_strength": "weak",
    "groups_at_risk": "Herding communities",
    "priority_actions": [
        {
            "action": "A national prevention committee",
            "scope": "domestic",
            "inhibitors": ["inh04"],
            "status": None,
        },
        {"action": "Train border police", "scope": "domestic"},
    ],
    "training_plan": "Two courses a year.",
    "training_courses": [
        {"audience": "police", "planned": 120, "trained": 45, "start": "2027-02-01", "end": "2027-03-15"},
    ],
    "budget_lines": [{"line": "Early-warning unit", "amount": 250000, "currency": "GHS"}],
    "endorsements": "Cabinet declared prevention a national priority.",
}
# Enough evidence to fill several printed pages.
LONG = {
    f"rf{n:02d}_evidence": f"Evidence for risk factor {n}. " + "Observed facts and sources. " * 60
    for n in range(2, 15)
}


def _team_client(app):
    member = make_member("GHA", Network.GOVERNMENT)
    client = app.test_client()
    login(client, member.email)
    return client


def _expected_cell(question, value):
    """What the workbook must hold for one answer of the JSON export, worked out from the template."""
    if value in (None, "", []):
        return None
    labels = {o["value"]: o["label"] for o in question.get("options", [])}
    if question["type"] == "number":
        return value
    if question["type"] == "date":
        return datetime.combine(date.fromisoformat(value), datetime.min.time())
    if question["type"] in ("judgement", "choice"):
        return labels[value]
    if question["type"] == "multi_choice":
        return "; ".join(labels[v] for v in value)
    return ("'" + value) if value[:1] in "=+-@" else value


def test_the_xlsx_workbook_reads_back_as_the_json_export(app):
    client = _team_client(app)
    assessment = make_assessment(versions=[(ANSWERS, Visibility.NETWORK)])
    base = f"/assessments/{assessment.id}/versions/1/export"
    exported = json.loads(client.get(base + ".json").get_data(as_text=True))
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(base + ".xlsx").data))
    assert workbook.sheetnames == ["Cover", "Element 1", "Element 2", "Element 3", "Element 4"]

    cover = {row[0]: row[1] for row in workbook["Cover"].iter_rows(min_row=2, values_only=True)}
    assert cover["Country"] == "Ghana" and cover["Team"] == "Government"
    assert cover["Version"] == 1 and isinstance(cover["Submitted"], datetime)
    assert cover["Template"] == f"{default_template.NAME}, version {exported['template']['version']}"
    assert cover["Who may read it"] == "Shared with: the members of the R2P Focal Point Network"
    assert cover["Template source"]

    definition = default_template.definition()
    answers = exported["answers"]
    checked = 0
    for element in (1, 2, 3, 4):
        rows = list(workbook[f"Element {element}"].iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        assert header[0] == "Part" and len(set(header)) == len(header)  # one column per field
        lines = iter(body)
        for section in [s for s in definition["sections"] if s["element"] == element]:
            seen_parts: list[str] = []
            for question in section["questions"]:
                if question["type"] == "repeat":
                    for line in answers.get(question["key"], []):
                        row = dict(zip(header, next(lines), strict=True))
                        assert row["Part"] == question["label"]
                        for column in question["columns"]:
                            assert row[column["label"]] == _expected_cell(column, line.get(column["key"]))
                            checked += 1
                    continue
                group = question.get("group")
                part = group["title"] if group else section["title"]
                if part not in seen_parts:
                    seen_parts.append(part)
                    row = dict(zip(header, next(lines), strict=True))
                    assert row["Part"] == part
                assert row[question["label"]] == _expected_cell(question, answers.get(question["key"]))
                checked += 1
        assert next(lines, None) is None  # no row the JSON does not explain
    assert checked == 118  # every question of the template, and every field of every line
    element3 = list(workbook["Element 3"].iter_rows(values_only=True))
    course = dict(zip(element3[0], element3[-1], strict=True))
    assert isinstance(course["People planned"], int | float) and isinstance(course["Start date"], datetime)


@pytest.mark.parametrize(
    ("visibility", "marking"),
    [
        (Visibility.PRIVATE, "Private to the government team of Ghana"),
        (Visibility.NETWORK, "Shared with: the members of the R2P Focal Point Network"),
        (Visibility.PUBLIC, "Public: anyone may read it"),
    ],
)
def test_the_reading_marking_says_who_may_read_a_version(visibility, marking):
    assessment = make_assessment(versions=[(ANSWERS, visibility)])
    version = db.session.scalar(
        select(AssessmentVersion).where(AssessmentVersion.assessment_id == assessment.id)
    )
    assert reading_marking(assessment, version, "Ghana") == marking


def test_the_print_view_carries_the_marking_and_collapses_unanswered_questions(app):
    client = _team_client(app)
    assessment = make_assessment(versions=[(ANSWERS, Visibility.PRIVATE)])
    page = client.get(f"/assessments/{assessment.id}/versions/1?print=1").get_data(as_text=True)
    assert page.count("Private to the government team of Ghana") == 3  # page header, footer, heading
    assert (
        'class="print-frame"' in page
        and re.search(r"js/print\.([0-9a-f]{12}\.)?js", page)
        and "data-print" in page
    )
    # One line for each section with unanswered questions (elements 2 and 3 are fully answered).
    assert page.count('class="unanswered muted"') == 2
    assert "No answer" not in page
    normal = client.get(f"/assessments/{assessment.id}/versions/1").get_data(as_text=True)
    assert ">Print</a>" in normal and "Download PDF" in normal and "No answer" in normal


def test_every_page_of_the_pdf_carries_the_marking(app):
    client = _team_client(app)
    assessment = make_assessment(versions=[({**ANSWERS, **LONG}, Visibility.PRIVATE)])
    response = client.get(f"/assessments/{assessment.id}/versions/1/document.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(response.data)).pages
    assert len(pages) >= 3
    for page in pages:
        text = " ".join(page.extract_text().split())
        assert text.count("Private to the government team of Ghana") >= 2, text[:300]  # top and bottom


def test_the_pdf_is_for_readers_of_the_version_only(app):
    assessment = make_assessment(versions=[(ANSWERS, Visibility.PRIVATE), (ANSWERS, Visibility.NETWORK)])
    outsider = make_member("KEN")
    client = app.test_client()
    login(client, outsider.email)
    assert client.get(f"/assessments/{assessment.id}/versions/1/document.pdf").status_code == 404
    assert client.get(f"/assessments/{assessment.id}/versions/2/document.pdf").status_code == 200
    anonymous = app.test_client().get(f"/assessments/{assessment.id}/versions/2/document.pdf")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
