"""The treaty-record editor."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from r2p_network.core.forms import PrefixedForm
from r2p_network.core.labels import choices
from r2p_network.models import utcnow


class TreatyStatusForm(PrefixedForm):
    status = SelectField(_l("Status"), validators=[InputRequired()])
    source = StringField(
        _l("Source"),
        validators=[InputRequired(), Length(min=3, max=500)],
        description=_l("For example: UN Treaty Collection, or the instrument of ratification."),
    )
    as_of = DateField(_l("As of"), validators=[InputRequired(message=_l("Give a date, e.g. 2026-01-31."))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices("participation")

    def validate_as_of(self, field: DateField) -> None:
        if field.data and field.data > utcnow().date():
            raise ValidationError(_l("The date cannot be in the future."))
