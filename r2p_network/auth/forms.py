"""Forms for requesting access, signing in and resetting a password."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from r2p_network.auth.passwords import password_problems
from r2p_network.core.forms import PreferencesMixin, country_choices
from r2p_network.core.labels import choices


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])


class _NewPasswordMixin:
    """A new password with confirmation, checked against the policy."""

    password = PasswordField(
        _l("Password"),
        validators=[InputRequired()],
        description=_l("At least 12 characters. Long passphrases and any alphabet are welcome."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )

    def password_context(self) -> dict[str, str]:
        return {}

    def validate_password(self, field: PasswordField) -> None:
        problems = password_problems(field.data or "", **self.password_context())
        if problems:
            raise ValidationError(" ".join(problems))


class RegisterForm(_NewPasswordMixin, PreferencesMixin, FlaskForm):
    name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=120)])
    email = EmailField(
        _l("Work email address"),
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    country = SelectField(_l("Country"), validators=[InputRequired()])
    network = RadioField(_l("Network"), validators=[InputRequired()])
    title = StringField(_l("Title or position"), validators=[InputRequired(), Length(max=160)])
    institution = StringField(_l("Ministry or organisation"), validators=[InputRequired(), Length(max=200)])
    justification = TextAreaField(
        _l("Why you are asking to join"),
        validators=[InputRequired(), Length(min=20, max=2000)],
        description=_l("Your mandate as a focal point, or who nominated you (20 to 2,000 characters)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", str(_l("Choose a country"))), *country_choices()]
        self.network.choices = choices("network")

    def password_context(self) -> dict[str, str]:
        return {"email": self.email.data or "", "name": self.name.data or ""}


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class NewPasswordForm(_NewPasswordMixin, FlaskForm):
    """A new password; the owner's name and address may not be used as the password."""

    def __init__(self, *args: Any, email: str = "", name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._owner = {"email": email, "name": name}

    def password_context(self) -> dict[str, str]:
        return self._owner


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[InputRequired(), Length(max=20)],
        description=_l("Six digits, or a recovery code such as 1a2b3-c4d5e."),
    )


class ReauthForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"), validators=[Length(max=20)]
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New email address"),
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class EnableTwoFactorForm(FlaskForm):
    code = StringField(
        _l("Code shown by your authenticator app"), validators=[InputRequired(), Length(min=6, max=8)]
    )


class PreferencesForm(PreferencesMixin, FlaskForm):
    """The member's language and time zone on their own (administrators have no profile)."""
