"""The notification preferences form: one frequency per registered kind, and its filters."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from r2p_network.core.forms import CheckboxListField, country_choices
from r2p_network.core.geography import region_rows, region_tree
from r2p_network.core.i18n import current_lang
from r2p_network.core.labels import label
from r2p_network.lessons.queries import themes
from r2p_network.mail.kinds import KINDS
from r2p_network.models import Frequency, NotificationPreference

FILTER_LABELS = {
    "regions": _l("Regions"),
    "countries": _l("Countries"),
    "themes": _l("Themes and tools"),
}


def _filter_choices(name: str) -> list[SelectChoice]:
    if name == "regions":
        return [
            SelectChoice(code, "— " * depth + text)
            for code, text, depth in region_tree(region_rows(), current_lang())
        ]
    if name == "countries":
        return country_choices()
    return [SelectChoice(slug, str(text)) for slug, text in themes()]


def preferences_form(saved: dict[str, NotificationPreference], **kwargs: Any) -> FlaskForm:
    """A form with ``<kind>_frequency`` and ``<kind>_<filter>`` fields, filled from *saved*."""

    class PreferencesForm(FlaskForm):
        pass

    data: dict[str, Any] = {}
    for key, kind in KINDS.items():
        pref = saved.get(key)
        setattr(
            PreferencesForm,
            f"{key}_frequency",
            RadioField(
                kind.label,
                choices=[SelectChoice(f.value, str(label(f))) for f in Frequency],
                default=kind.default.value,
                description=kind.description,
            ),
        )
        data[f"{key}_frequency"] = (pref.frequency if pref else kind.default).value
        for name in kind.filters:
            setattr(
                PreferencesForm,
                f"{key}_{name}",
                CheckboxListField(
                    FILTER_LABELS[name],
                    choices=_filter_choices(name),
                    description=_l("None chosen: all of them."),
                ),
            )
            data[f"{key}_{name}"] = list((pref.filters or {}).get(name, [])) if pref else []
    return PreferencesForm(data=data, **kwargs)


def choices_of(form: FlaskForm) -> dict[str, tuple[Frequency, dict[str, Any]]]:
    """The validated form's choices, per kind: a frequency and the filters."""
    return {
        key: (
            Frequency(form[f"{key}_frequency"].data),
            {name: list(form[f"{key}_{name}"].data or []) for name in kind.filters},
        )
        for key, kind in KINDS.items()
    }
