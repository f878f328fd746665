"""Forms of peer reviews: the invitation, a comment, a reply and the overall note."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from r2p_network.core.forms import PrefixedForm, country_choices
from r2p_network.core.labels import choices
from r2p_network.core.labels import label as label_of
from r2p_network.models import AudienceKind, SeatKind


class InviteForm(FlaskForm):
    """Invite one reviewer: a named team, an organisation's seat or the UN office."""

    reviewer = RadioField(
        _l("Reviewer"),
        validators=[InputRequired()],
        choices=[
            SelectChoice(AudienceKind.TEAM.value, _l("A named team: the country and network chosen below")),
            SelectChoice(AudienceKind.ORGANISATION.value, _l("An organisation's focal points: chosen below")),
            SelectChoice(AudienceKind.UN_OFFICE.value, label_of(SeatKind.UN_OFFICE)),
        ],
    )
    country = SelectField(_l("Team's country"), validators=[Optional()])
    network = SelectField(_l("Team's network"), validators=[Optional()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    message = TextAreaField(_l("Message to the reviewer (optional)"), validators=[Length(max=2000)])
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])
    recommendation = TextAreaField(
        _l("UPR or APRM recommendation the review looks at (optional)"), validators=[Length(max=2000)]
    )
    recommendation_url = URLField(
        _l("Link to the recommendation (optional)"), validators=[Optional(), Length(max=500)]
    )
    confirm = BooleanField(
        _l(
            "I confirm that the reviewer may read this version's answers "
            "(it is shared with them if it is not yet)."
        ),
        validators=[InputRequired(message=_l("Confirm the invitation to go ahead."))],
    )

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", "—"), *country_choices()]
        self.network.choices = choices("network")
        self.organisation.choices = [SelectChoice("", "—"), *(SelectChoice(s, a) for s, a in organisations)]

    def validate_reviewer(self, field: RadioField) -> None:
        needs = {AudienceKind.TEAM.value: self.country, AudienceKind.ORGANISATION.value: self.organisation}
        chosen = needs.get(field.data or "")
        if chosen is not None and not chosen.data:
            raise ValidationError(_l("Choose the %(what)s to invite.", what=str(chosen.label.text).lower()))

    def validate_recommendation_url(self, field: URLField) -> None:
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Give a web address starting with https://."))

    def chosen(self) -> tuple[AudienceKind, str]:
        kind = AudienceKind(self.reviewer.data)
        if kind == AudienceKind.TEAM:
            return kind, f"{self.country.data}:{self.network.data}"
        return kind, (self.organisation.data or "") if kind == AudienceKind.ORGANISATION else ""


class CommentForm(FlaskForm):
    target = SelectField(_l("About"), validators=[InputRequired()])
    body = TextAreaField(_l("Comment"), validators=[InputRequired(), Length(min=2, max=5000)])

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target.choices = [SelectChoice(key, title) for key, title in targets]


class ReplyForm(PrefixedForm):
    body = TextAreaField(_l("Reply"), validators=[InputRequired(), Length(min=2, max=5000)])


class NoteForm(FlaskForm):
    overall_note = TextAreaField(_l("Overall note"), validators=[InputRequired(), Length(min=2, max=5000)])
