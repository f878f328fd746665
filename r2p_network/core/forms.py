"""Form pieces shared by several blueprints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import Field, SelectField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from r2p_network.core.geography import country_name_column, country_sort_column, region_tree
from r2p_network.core.i18n import DEFAULT_TIME_ZONE, LANGUAGE_NAMES, current_lang, is_time_zone, time_zones
from r2p_network.extensions import db
from r2p_network.models import Country


def country_choices() -> list[SelectChoice]:
    """All Member and observer States, named and sorted in the user's language."""
    column = country_name_column()
    rows = db.session.execute(select(Country.iso3, column).order_by(country_sort_column(), column)).all()
    return [SelectChoice(iso3, name) for iso3, name in rows]


class ConfirmForm(FlaskForm):
    """An empty form (just the CSRF token) for buttons that change state."""


class FilterForm(FlaskForm):
    """Filters read from the query string: a GET changes nothing, so no CSRF token is needed."""

    class Meta:
        csrf = False


class PrefixedForm(FlaskForm):
    """For pages with many copies of one form: field ids carry a prefix, the CSRF token does not.

    The page renders one plain ``csrf_token`` field per form; CSRFProtect checks it on every
    POST before any view runs, so the form itself need not.
    """

    class Meta:
        csrf = False


def valid_values(form: FlaskForm, names: Iterable[str]) -> dict[str, Any]:
    """Each named filter's value from a validated GET form; None where it is empty or invalid.

    Invalid filters are dropped (the form shows why) rather than failing the whole page.
    """
    return {name: (form[name].data or None) if name not in form.errors else None for name in names}


class CheckboxListField(SelectMultipleField):
    """Several choices shown as a list of checkboxes (usable without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def any_choice() -> SelectChoice:
    return SelectChoice("", str(_l("Any")))


def set_place_choices(form: FlaskForm, options: Any) -> None:
    """Fill a filter form's region, group and org selects from ``queries.filter_options()``."""
    anything = any_choice()
    tree = region_tree(options.regions, current_lang())
    form.region.choices = [anything] + [
        SelectChoice(code, "— " * depth + label) for code, label, depth in tree
    ]
    form.group.choices = [anything] + [SelectChoice(slug, name) for slug, name in options.groups]
    form.org.choices = [anything] + [SelectChoice(slug, acronym) for slug, acronym in options.organisations]


def _valid_time_zone(_form: FlaskForm, field: Field) -> None:
    if field.data not in time_zones() or not is_time_zone(field.data):
        raise ValidationError(_l("Choose a time zone from the list."))


class PreferencesMixin:
    """The member's own language and time zone, asked at registration and on the profile.

    A form posted without them keeps the defaults: the page's language and UTC at registration,
    the member's current choices on the profile (pass them as ``data``).
    """

    language = SelectField(
        _l("Your language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[DataRequired()],
        default=current_lang,
        description=_l("Pages after you sign in and every email the network sends you use this language."),
    )
    time_zone = SelectField(
        _l("Your time zone"),
        choices=lambda: [SelectChoice(zone, zone.replace("_", " ")) for zone in time_zones()],
        validate_choice=False,
        validators=[DataRequired(), _valid_time_zone],
        default=DEFAULT_TIME_ZONE,
        description=_l("Dates and times are shown in this zone."),
    )
