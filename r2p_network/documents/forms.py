"""Forms for uploading documents and filtering the library."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SearchField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from r2p_network.core.forms import FilterForm, any_choice, country_choices
from r2p_network.core.geography import region_tree
from r2p_network.core.i18n import LANGUAGE_NAMES, current_lang
from r2p_network.core.labels import choices
from r2p_network.documents.services import DocumentData
from r2p_network.models import DocumentKind, Visibility

RegionRow = tuple[str, str, str | None]


def _regions(regions: list[RegionRow]) -> list[SelectChoice]:
    return [
        SelectChoice(code, "— " * depth + name) for code, name, depth in region_tree(regions, current_lang())
    ]


def _languages() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


class DocumentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(min=3, max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    kind = SelectField(_l("Kind of document"), validators=[InputRequired()])
    language = SelectField(_l("Language of the document"), validators=[InputRequired()], default=current_lang)
    countries = SelectMultipleField(
        _l("Countries concerned"),
        validators=[Optional()],
        description=_l("Choose one or more (hold Ctrl or Cmd to choose several)."),
    )
    region = SelectField(_l("Region concerned"), validators=[Optional()])
    visibility = RadioField(_l("Who can read it"), default=Visibility.NETWORK.value)

    def __init__(self, *args: Any, regions: list[RegionRow], visibilities: list[Visibility], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices("document_kind")
        self.language.choices = _languages()
        self.countries.choices = country_choices()
        self.region.choices = [SelectChoice("", str(_l("None"))), *_regions(regions)]
        self.visibility.choices = [c for c in choices("document_visibility") if c.value in visibilities]

    def to_data(self) -> DocumentData:
        return DocumentData(
            title=self.title.data,
            description=self.description.data or "",
            kind=DocumentKind(self.kind.data),
            language=self.language.data,
            # Without the field (an attachment of a lesson or version) the parent decides.
            visibility=Visibility(self.visibility.data) if self.visibility else Visibility.NETWORK,
            countries=list(self.countries.data or []),
            region=self.region.data or None,
        )


class LibraryFilterForm(FilterForm):
    q = SearchField(_l("Search titles, descriptions and text"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    event = SelectField(_l("Meeting"), validators=[Optional()])

    def __init__(self, *args: Any, regions: list[RegionRow], events: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        anything = any_choice()
        self.kind.choices = [anything, *choices("document_kind")]
        self.language.choices = [anything, *_languages()]
        self.region.choices = [anything, *_regions(regions)]
        self.country.choices = [anything, *country_choices()]
        self.event.choices = [anything, *(SelectChoice(str(i), title) for i, title in events)]
