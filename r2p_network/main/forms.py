"""The language menu."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from r2p_network.core.i18n import LANGUAGE_NAMES


class LanguageForm(FlaskForm):
    lang = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[InputRequired()],
    )
    next = HiddenField()
