"""Form pieces shared by several blueprints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from r2p_network.core.geography import country_name_column
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
