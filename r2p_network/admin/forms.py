"""Forms for deciding access requests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from r2p_network.core.forms import (
    FilterForm,
    PrefixedForm,
    any_choice,
    country_choices,
)
from r2p_network.core.i18n import LANGUAGE_NAMES, TRANSLATED_LANGUAGES, Translations, text_direction
from r2p_network.core.labels import choices
from r2p_network.core.labels import label as label_of
from r2p_network.models import SeatKind


class ApproveRequestForm(PrefixedForm):
    """Approval confirms (or corrects) the country and network the requester gave."""

    country = SelectField(_l("Country"), validators=[InputRequired()])
    network = RadioField(_l("Network"), validators=[InputRequired()])
    seat = SelectField(
        _l("Seat"),
        validators=[Optional()],
        description=_l("A regional organisation's or the UN office's focal point takes that seat instead."),
    )

    def __init__(
        self,
        *args: Any,
        countries: list[SelectChoice] | None = None,
        organisations: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = countries if countries is not None else country_choices()
        self.network.choices = choices("network")
        self.seat.choices = [
            SelectChoice("", _l("The country's network above")),
            *(SelectChoice(f"organisation:{slug}", acronym) for slug, acronym in organisations),
            SelectChoice(SeatKind.UN_OFFICE.value, label_of(SeatKind.UN_OFFICE)),
        ]

    def organisation(self) -> tuple[SeatKind, str | None]:
        """The seat chosen: a country's network, an organisation (with its slug) or the UN office."""
        kind, _sep, slug = (self.seat.data or "country").partition(":")
        return SeatKind(kind), slug or None


class RejectRequestForm(PrefixedForm):
    reason = TextAreaField(
        _l("Reason, sent to the requester"), validators=[InputRequired(), Length(min=5, max=1000)]
    )


class MemberFilterForm(FilterForm):
    q = SearchField(_l("Search names and email addresses"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [any_choice(), *choices("role")]
        self.status.choices = [any_choice(), *choices("account")]


class RoleForm(PrefixedForm):
    role = SelectField(_l("Role"), validators=[InputRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = choices("role")


class AuditFilterForm(FilterForm):
    actor = SearchField(_l("Who (name or email)"), validators=[Optional(), Length(max=100)])
    action = SearchField(
        _l("Action (or its beginning, e.g. login.)"), validators=[Optional(), Length(max=60)]
    )
    object_type = SearchField(_l("Object type"), validators=[Optional(), Length(max=40)])
    object_id = SearchField(_l("Object id"), validators=[Optional(), Length(max=40)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1)])


class TemplateForm(FlaskForm):
    definition = TextAreaField(
        _l("Template definition (JSON)"),
        validators=[InputRequired(), Length(max=500_000)],
        description=_l(
            "Sections with their element (1-4) and questions; checked before anything is published."
        ),
    )


class MembershipForm(FlaskForm):
    country = SelectField(_l("Country"), validators=[InputRequired()])
    status = SelectField(_l("Status"), validators=[InputRequired()])
    as_of = DateField(_l("As of"), validators=[InputRequired()])
    source = StringField(_l("Source"), validators=[InputRequired(), Length(min=3, max=500)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices("membership")


class TranslationsMixin:
    """Optional translations of a reference row's texts, one field per text and language.

    A form lists its translated texts in ``translated``; the fields are named ``<text>_<lang>``
    and added by ``with_translations``."""

    translated: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Any:  # provided by FlaskForm, which comes after in the MRO
        return super().__getitem__(name)  # type: ignore[misc]

    def translation_fields(self) -> list[tuple[str, list[Any]]]:
        """(language, its fields) for the editor, in the language menu's order."""
        return [(lang, [self[f"{text}_{lang}"] for text in self.translated]) for lang in TRANSLATED_LANGUAGES]

    def set_translations(self, translations: Translations) -> None:
        for lang in TRANSLATED_LANGUAGES:
            for text in self.translated:
                self[f"{text}_{lang}"].data = (translations.get(lang) or {}).get(text, "")

    def translations(self) -> dict[str, dict[str, str | None]]:
        return {
            lang: {text: self[f"{text}_{lang}"].data for text in self.translated}
            for lang in TRANSLATED_LANGUAGES
        }


def with_translations(form_class: type[TranslationsMixin], **texts: tuple[Any, type, int]) -> None:
    """Add an optional field for each text (label, field class, maximum length) in each language."""
    for lang in TRANSLATED_LANGUAGES:
        for text, (label, field_class, length) in texts.items():
            field = field_class(
                _l("%(text)s in %(language)s", text=label, language=LANGUAGE_NAMES[lang]),
                validators=[Optional(), Length(max=length)],
                render_kw={"lang": lang, "dir": text_direction(lang)},
            )
            setattr(form_class, f"{text}_{lang}", field)
    form_class.translated = tuple(texts)


class CategoryForm(TranslationsMixin, FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=160)])
    definition = TextAreaField(_l("Definition"), validators=[InputRequired(), Length(max=2000)])
    active = BooleanField(_l("Offered in new capacity maps"), default=True)


with_translations(
    CategoryForm, name=(_l("Name"), StringField, 300), definition=(_l("Definition"), TextAreaField, 4000)
)


class ThemeForm(TranslationsMixin, FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=160)])
    active = BooleanField(_l("Authors can choose it for new lessons"), default=True)


with_translations(ThemeForm, name=(_l("Name"), StringField, 300))


class BodyNamesForm(TranslationsMixin, FlaskForm):
    """The name of a UN regional group or organisation in the other five languages."""


with_translations(BodyNamesForm, name=(_l("Name"), StringField, 300))


class CoordinatorForm(FlaskForm):
    """Make a member the coordinator of one region, group or organisation."""

    email = StringField(_l("Member's email address"), validators=[InputRequired(), Length(max=254)])
    scope = SelectField(_l("Region, group or organisation"), validators=[InputRequired()])

    def __init__(self, *args: Any, scopes: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope.choices = [SelectChoice(value, name) for value, name in scopes.items()]
