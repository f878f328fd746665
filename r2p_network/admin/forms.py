"""Forms for deciding access requests."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from r2p_network.forms import PrefixedForm, country_choices, network_choices


class ApproveRequestForm(PrefixedForm):
    """Approval confirms (or corrects) the country and network the requester gave."""

    country = SelectField(_l("Country"), validators=[InputRequired()])
    network = RadioField(_l("Network"), validators=[InputRequired()])

    def __init__(self, *args: Any, countries: list[SelectChoice] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = countries if countries is not None else country_choices()
        self.network.choices = network_choices()


class RejectRequestForm(PrefixedForm):
    reason = TextAreaField(
        _l("Reason, sent to the requester"), validators=[InputRequired(), Length(min=5, max=1000)]
    )
