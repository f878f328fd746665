"""Forms built from a template definition, and the small fixed forms of the assessment pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from r2p_network.core.forms import CheckboxListField, PrefixedForm
from r2p_network.core.labels import choices

BLANK_ROWS = 2  # empty rows offered under the filled ones, so rows can be added without JavaScript


def _choices(question: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(option["value"], option["label"]) for option in question["options"]]


def _field(question: dict[str, Any]) -> Any:
    """The WTForms field for one question. Drafts may be incomplete, so nothing is required here."""
    label, description = question["label"], question.get("help", "")
    kind = question["type"]
    if kind in ("judgement", "choice"):
        cls = RadioField if kind == "judgement" else SelectField
        choices = _choices(question) if kind == "judgement" else [SelectChoice("", "—"), *_choices(question)]
        return cls(label, choices=choices, validators=[Optional()], description=description)
    if kind == "multi_choice":
        return CheckboxListField(
            label, choices=_choices(question), validators=[Optional()], description=description
        )
    if kind == "number":
        bounds = NumberRange(min=question.get("min"), max=question.get("max"))
        return IntegerField(label, validators=[Optional(), bounds], description=description)
    if kind == "date":
        return DateField(label, validators=[Optional()], description=description)
    length = Length(max=question.get("max_length", 300 if kind == "short_text" else 5000))
    cls = StringField if kind == "short_text" else TextAreaField
    return cls(label, validators=[Optional(), length], description=description)


def _row_form(question: dict[str, Any]) -> type[Form]:
    fields = {column["key"]: _field(column) for column in question["columns"]}
    return type(f"Row_{question['key']}", (Form,), fields)


class SectionFormBase(FlaskForm):
    # Each part's lock as this page received it (JSON: part -> "saves:fingerprint").
    section_locks = HiddenField()


def section_form(section: dict[str, Any], answers: dict[str, Any], formdata: Any = None) -> FlaskForm:
    """A form for one section, filled from *answers* (or from the posted data)."""
    fields: dict[str, Any] = {}
    for question in section["questions"]:
        if question["type"] == "repeat":
            rows = len(answers.get(question["key"]) or []) + BLANK_ROWS
            fields[question["key"]] = FieldList(
                FormField(_row_form(question)), label=question["label"], min_entries=rows, max_entries=200
            )
        else:
            fields[question["key"]] = _field(question)
    form_class = type(f"Section_{section['key']}", (SectionFormBase,), fields)
    data = {q["key"]: _to_form(q, answers.get(q["key"])) for q in section["questions"]}
    return form_class(formdata=formdata, data=data)


def _to_form(question: dict[str, Any], value: Any) -> Any:
    if value is None:
        return None
    if question["type"] == "date":
        return date.fromisoformat(value)
    if question["type"] == "repeat":
        return [
            {col["key"]: _to_form(col, row.get(col["key"])) for col in question["columns"]} for row in value
        ]
    return value


def _from_form(question: dict[str, Any], value: Any) -> Any:
    if question["type"] == "date":
        return value.isoformat() if value else None
    if question["type"] == "repeat":
        rows = []
        for row in value or []:
            cleaned = {col["key"]: _from_form(col, row.get(col["key"])) for col in question["columns"]}
            if any(v not in (None, "", []) for v in cleaned.values()):
                rows.append(cleaned)
        return rows
    if question["type"] == "multi_choice":
        return list(value or [])
    if isinstance(value, str):
        return value.strip() or None
    return value


def answers_from(section: dict[str, Any], form: FlaskForm) -> dict[str, Any]:
    """The section's answers as stored: ISO dates, empty rows dropped, blanks as None."""
    return {q["key"]: _from_form(q, form[q["key"]].data) for q in section["questions"]}


class NewAssessmentForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(), Length(max=200)],
        description=_l("For example: National strategy for atrocity prevention 2027-2030"),
    )
    template = RadioField(
        _l("Template"),
        validators=[InputRequired(message=_l("Choose a template."))],
        description=_l("The template your network usually works with is selected."),
    )

    def __init__(self, *args: Any, templates: list[tuple[str, str]], **kwargs: Any) -> None:
        """*templates*: (slug, label) of every template a team may start on."""
        super().__init__(*args, **kwargs)
        self.template.choices = [SelectChoice(slug, label) for slug, label in templates]


class VisibilityForm(FlaskForm):
    visibility = RadioField(_l("Who may read this version"), validators=[InputRequired()])
    confirm = BooleanField(
        _l("I confirm that my team has agreed to this change of visibility."),
        validators=[InputRequired(message=_l("Tick the box to confirm."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visibility.choices = [*choices("visibility")]


class ActionReviewForm(PrefixedForm):
    """Where one priority action stands on a date (one form per action on the dashboard)."""

    status = SelectField(_l("Status"), validators=[InputRequired()])
    reviewed_on = DateField(_l("Date of the review"), validators=[InputRequired()], default=date.today)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [*choices("action_status")]


class MilestoneForm(PrefixedForm):
    """A step towards one priority action."""

    title = StringField(_l("Milestone"), validators=[InputRequired(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
