"""Forms for capacity submissions and the map's filters."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from r2p_network.capacity.queries import Category
from r2p_network.capacity.services import EntryData
from r2p_network.core.forms import FilterForm, PrefixedForm, any_choice, set_place_choices
from r2p_network.core.labels import choices, label_items
from r2p_network.models import CapacityStatus, utcnow


def status_choices() -> list[SelectChoice]:
    return choices("capacity")


class NewSubmissionForm(FlaskForm):
    cycle = IntegerField(
        _l("Cycle (year)"),
        validators=[InputRequired(), NumberRange(min=2010, max=2100)],
        description=_l("The year this map describes, for example 2026."),
    )

    def validate_cycle(self, field: IntegerField) -> None:
        if field.data and field.data > utcnow().year + 1:
            raise ValidationError(_l("The cycle cannot be more than a year ahead."))


class EntryForm(FlaskForm):
    category = SelectField(_l("Capacity"), validators=[InputRequired()])
    status = RadioField(_l("Status"), validators=[InputRequired()])
    maturity = RadioField(_l("Maturity"), validators=[InputRequired()], coerce=int)
    description = TextAreaField(_l("Description"), validators=[InputRequired(), Length(max=3000)])
    institution = StringField(_l("Responsible institution"), validators=[Optional(), Length(max=200)])
    contact = StringField(
        _l("Contact"),
        validators=[Optional(), Length(max=200)],
        description=_l("Institution and contact start as your previous entry's, or your profile's."),
    )
    restricted = BooleanField(
        _l("Administrators only"),
        description=_l("For sensitive needs: hide this need from other members, the map and exports."),
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", str(_l("Choose a capacity")))] + [
            SelectChoice(c.slug, str(c.name)) for c in categories
        ]
        self.status.choices = status_choices()
        self.maturity.choices = [SelectChoice(level, text) for level, text in label_items("maturity")]

    def entry_data(self, catalogue: list[Category]) -> EntryData:
        """The validated entry, for ``add_entry`` and ``update_entry``."""
        return EntryData(
            category=next(c for c in catalogue if c.slug == self.category.data),
            status=CapacityStatus(self.status.data),
            maturity=self.maturity.data,
            description=self.description.data,
            institution=self.institution.data or "",
            contact=self.contact.data or "",
            restricted=self.restricted.data,
        )

    def validate_restricted(self, field: BooleanField) -> None:
        if field.data and self.status.data != CapacityStatus.NEEDS.value:
            raise ValidationError(_l("Only a need can be restricted to administrators."))


class ReturnForm(PrefixedForm):
    note = TextAreaField(
        _l("What the team should change"), validators=[InputRequired(), Length(min=5, max=2000)]
    )


class MapFilterForm(FilterForm):
    region = SelectField(_l("Region"), validators=[Optional()])
    group = SelectField(_l("UN regional group"), validators=[Optional()])
    org = SelectField(_l("Regional organisation"), validators=[Optional()])
    category = SelectField(_l("Capacity"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    cycle = SelectField(_l("Cycle"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1)])  # of the entries
    mpage = IntegerField(validators=[Optional(), NumberRange(min=1)])  # of the matches

    def __init__(
        self, *args: Any, options: Any, categories: list[Category], cycles: list[int], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        set_place_choices(self, options)
        self.category.choices = [any_choice()] + [SelectChoice(c.slug, str(c.name)) for c in categories]
        self.status.choices = [any_choice(), *status_choices()]
        self.cycle.choices = [SelectChoice("", str(_l("Latest verified")))] + [
            SelectChoice(str(year), str(year)) for year in cycles
        ]
