"""Forms for assistance requests: asking, each step, and notes."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from r2p_network.assistance.services import Action
from r2p_network.models import CapacityEntry


class RequestForm(FlaskForm):
    what = StringField(
        _l("What assistance"), validators=[InputRequired(), Length(max=200)], description=_l("In one line.")
    )
    why = TextAreaField(_l("Why it is needed"), validators=[InputRequired(), Length(max=3000)])
    timeframe = StringField(
        _l("When"),
        validators=[Optional(), Length(max=120)],
        description=_l("For example: the first half of 2027, or before the elections in May."),
    )
    need = SelectField(_l("Which of your needs it answers"), validators=[Optional()])

    def __init__(self, *args: Any, needs: list[CapacityEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.need.choices = [SelectChoice("", str(_l("None in particular")))] + [
            SelectChoice(str(entry.id), entry.description[:120]) for entry in needs
        ]


class StepForm(FlaskForm):
    action = HiddenField(validators=[InputRequired()])
    text = TextAreaField(_l("Reason or proposal"), validators=[Optional(), Length(max=3000)])

    def validate_action(self, field: HiddenField) -> None:
        if field.data not in {a.value for a in Action}:
            raise ValidationError(_l("Not a valid choice."))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[Optional(), Length(max=3000)])
    link = StringField(
        _l("Link to a document"),
        validators=[Optional(), URL(require_tld=True), Length(max=500)],
        description=_l("A web address starting with https://"),
    )

    def validate_body(self, field: TextAreaField) -> None:
        if not (field.data or "").strip() and not (self.link.data or "").strip():
            raise ValidationError(_l("Write a note or give a link."))

    def validate_link(self, field: StringField) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("A web address starting with https://"))
