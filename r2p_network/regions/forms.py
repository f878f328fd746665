"""The form of an organisation's profile of its prevention mechanisms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from r2p_network.regions.organisations import MECHANISMS


class OrganisationProfileForm(FlaskForm):
    early_warning = TextAreaField(MECHANISMS["early_warning"], validators=[Length(max=2000)])
    mediation = TextAreaField(MECHANISMS["mediation"], validators=[Length(max=2000)])
    human_rights = TextAreaField(MECHANISMS["human_rights"], validators=[Length(max=2000)])
    standby = TextAreaField(MECHANISMS["standby"], validators=[Length(max=2000)])

    def texts(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in MECHANISMS}
