"""The profile editor and the directory filters.

The profile form has no field for country, network, role, status or owner: those
are set at approval by an administrator, and extra posted fields are ignored.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from r2p_network.core.forms import (
    CheckboxListField,
    FilterForm,
    PreferencesMixin,
    any_choice,
    set_place_choices,
)
from r2p_network.core.i18n import current_lang
from r2p_network.core.labels import choices
from r2p_network.models import ContactVisibility
from r2p_network.profiles.queries import ORGANISATIONS
from r2p_network.profiles.vocabulary import EXPERTISE, LANGUAGES, language_name


def visibility_choices() -> list[SelectChoice]:
    return [
        SelectChoice(ContactVisibility.NETWORK.value, str(_l("Network members"))),
        SelectChoice(ContactVisibility.ADMINS.value, str(_l("Administrators only"))),
    ]


def language_choices() -> list[SelectChoice]:
    lang = current_lang()
    return [SelectChoice(code, language_name(code, lang)) for code in LANGUAGES]


def expertise_choices() -> list[SelectChoice]:
    return [SelectChoice(code, str(label)) for code, label in EXPERTISE.items()]


class ProfileForm(PreferencesMixin, FlaskForm):
    name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=120)])
    title = StringField(_l("Title or position"), validators=[InputRequired(), Length(max=160)])
    institution = StringField(_l("Ministry or organisation"), validators=[InputRequired(), Length(max=200)])
    languages = CheckboxListField(_l("Working languages"))
    expertise = CheckboxListField(_l("Areas of expertise"))
    bio = TextAreaField(
        _l("Short biography"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Your mandate and experience, in up to 2,000 characters."),
    )
    contact_email = EmailField(
        _l("Contact email"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
        description=_l("Leave empty to use your sign-in address."),
    )
    contact_email_visibility = RadioField(_l("Who sees the contact email"), validators=[InputRequired()])
    phone = StringField(_l("Telephone"), validators=[Optional(), Length(max=40)])
    phone_visibility = RadioField(_l("Who sees the telephone number"), validators=[InputRequired()])
    messaging = StringField(
        _l("Secure messaging"),
        validators=[Optional(), Length(max=120)],
        description=_l("For example: Signal +41 22 000 00 00"),
    )
    messaging_visibility = RadioField(_l("Who sees the messaging contact"), validators=[InputRequired()])
    in_post = BooleanField(
        _l("I currently hold this post"),
        description=_l("Untick when you leave the post: your country's seat then shows as vacant."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages.choices = language_choices()
        self.expertise.choices = expertise_choices()
        for name in ("contact_email_visibility", "phone_visibility", "messaging_visibility"):
            self[name].choices = visibility_choices()


class DirectoryFilterForm(FilterForm):
    """Filters read from the query string (GET: no CSRF token needed)."""

    q = SearchField(_l("Search names, institutions and expertise"), validators=[Optional(), Length(max=100)])
    region = SelectField(_l("Region"), validators=[Optional()])
    group = SelectField(_l("UN regional group"), validators=[Optional()])
    org = SelectField(_l("Regional organisation"), validators=[Optional()])
    network = SelectField(_l("Network"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    expertise = SelectField(_l("Expertise"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1)])

    def __init__(self, *args: Any, options: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_place_choices(self, options)
        anything = any_choice()
        self.network.choices = [
            anything,
            *choices("network"),
            SelectChoice(ORGANISATIONS, _l("Regional organisations and the UN office")),
        ]
        self.language.choices = [anything, *language_choices()]
        self.expertise.choices = [anything, *expertise_choices()]
