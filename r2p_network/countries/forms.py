"""The treaty-record editor."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from r2p_network.core.forms import PrefixedForm
from r2p_network.core.labels import choices
from r2p_network.models import TreatyParticipation, utcnow
from r2p_network.models.treaties import WITHDRAWALS


class TreatyStatusForm(PrefixedForm):
    status = SelectField(_l("Status"), validators=[InputRequired()])
    source = StringField(
        _l("Source"),
        validators=[InputRequired(), Length(min=3, max=500)],
        description=_l("For example: UN Treaty Collection, or the instrument of ratification."),
    )
    as_of = DateField(_l("As of"), validators=[InputRequired(message=_l("Give a date, e.g. 2026-01-31."))])
    withdrawal_effective_on = DateField(
        _l("Withdrawal takes effect on"),
        validators=[Optional()],
        description=_l("Only for a withdrawal: the date it takes (or took) effect."),
    )
    implementing_legislation = StringField(
        _l("Implementing legislation"),
        validators=[Optional(), Length(max=500)],
        description=_l("The national law that gives effect to the instrument, if there is one."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices("participation")

    def validate_as_of(self, field: DateField) -> None:
        if field.data and field.data > utcnow().date():
            raise ValidationError(_l("The date cannot be in the future."))

    def validate_withdrawal_effective_on(self, field: DateField) -> None:
        # Runs only when a date was given (the field is Optional); see validate() for a missing one.
        if field.data is None:  # not a date: the field already says so
            return
        status = self.status.data
        if status not in WITHDRAWALS:
            raise ValidationError(_l("Only a withdrawal has this date: leave it empty for this status."))
        if status == TreatyParticipation.WITHDRAWN and field.data > utcnow().date():
            raise ValidationError(
                _l("This withdrawal has not taken effect yet: record it as 'Withdrawal notified'.")
            )
        if (
            status == TreatyParticipation.WITHDRAWAL_NOTIFIED
            and self.as_of.data
            and field.data <= self.as_of.data
        ):
            raise ValidationError(
                _l("By the as-of date this withdrawal had already taken effect: record it as 'Withdrawn'.")
            )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        field = self.withdrawal_effective_on
        if self.status.data in WITHDRAWALS and field.data is None and not field.errors:
            field.errors = [*field.errors, _l("Give the date the withdrawal takes effect.")]
            valid = False
        return valid
