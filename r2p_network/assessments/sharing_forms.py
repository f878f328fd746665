"""The form for sharing a version with chosen readers."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from r2p_network.core.forms import country_choices
from r2p_network.core.labels import choices
from r2p_network.models import AudienceKind


class ShareForm(FlaskForm):
    """One audience: government focal points, a named team, an organisation, the UN office, or
    the coordinators of a scope."""

    audience = RadioField(
        _l("Share with"),
        validators=[InputRequired()],
        choices=[
            SelectChoice(
                AudienceKind.GOVERNMENT.value, _l("Government focal points of every country (no one else)")
            ),
            SelectChoice(AudienceKind.TEAM.value, _l("A named team: the country and network chosen below")),
            SelectChoice(
                AudienceKind.ORGANISATION.value,
                _l("An organisation's focal points: the organisation chosen below"),
            ),
            SelectChoice(
                AudienceKind.UN_OFFICE.value,
                _l("The UN Office on Genocide Prevention and the Responsibility to Protect"),
            ),
            SelectChoice(
                AudienceKind.COORDINATORS.value, _l("The regional coordinators of the scope chosen below")
            ),
        ],
    )
    country = SelectField(_l("Team's country"), validators=[Optional()])
    network = SelectField(_l("Team's network"), validators=[Optional()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    scope = SelectField(_l("Region, group or organisation of the coordinators"), validators=[Optional()])
    confirm = BooleanField(
        _l("I confirm that these readers may read this version's answers until we withdraw the share."),
        validators=[InputRequired(message=_l("Confirm the share to go ahead."))],
    )

    def __init__(
        self, *args: Any, organisations: list[tuple[str, str]], scopes: dict[str, str], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", "—"), *country_choices()]
        self.network.choices = choices("network")
        self.organisation.choices = [SelectChoice("", "—"), *(SelectChoice(s, a) for s, a in organisations)]
        self.scope.choices = [SelectChoice("", "—"), *(SelectChoice(k, v) for k, v in scopes.items())]

    def validate_audience(self, field: RadioField) -> None:
        needs = {
            AudienceKind.TEAM.value: self.country,
            AudienceKind.ORGANISATION.value: self.organisation,
            AudienceKind.COORDINATORS.value: self.scope,
        }.get(field.data or "")
        if needs is not None and not needs.data:
            raise ValidationError(
                _l("Choose the %(what)s to share with.", what=str(needs.label.text).lower())
            )

    def chosen(self) -> tuple[AudienceKind, str]:
        """The audience and its key, as ``VersionShare`` stores them."""
        kind = AudienceKind(self.audience.data)
        key = {
            AudienceKind.TEAM: f"{self.country.data}:{self.network.data}",
            AudienceKind.ORGANISATION: self.organisation.data or "",
            AudienceKind.COORDINATORS: self.scope.data or "",
        }.get(kind, "")
        return kind, key
