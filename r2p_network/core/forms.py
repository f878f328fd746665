"""Form pieces shared by several blueprints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from r2p_network.core.geography import country_name_column, region_tree
from r2p_network.core.i18n import current_lang
from r2p_network.extensions import db
from r2p_network.models import Country


def country_choices() -> list[SelectChoice]:
    """All Member and observer States, named and sorted in the user's language."""
    column = country_name_column()
    rows = db.session.execute(select(Country.iso3, column).order_by(column)).all()
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
