"""The reporting page's choice of periods."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from r2p_network.core.forms import FilterForm
from r2p_network.models import utcnow

FIRST_YEAR = 2010  # before the network's focal points were appointed


class PeriodForm(FilterForm):
    grain = RadioField(
        _l("Count by"),
        choices=[SelectChoice("year", _l("Year")), SelectChoice("quarter", _l("Quarter"))],
        validators=[Optional()],
        default="year",
    )
    since = IntegerField(
        _l("From the year"),
        validators=[Optional(), NumberRange(min=FIRST_YEAR)],
        description=_l("Up to the current period."),
    )

    def validate_since(self, field: IntegerField) -> None:
        if field.data and field.data > utcnow().year:
            field.data = utcnow().year
