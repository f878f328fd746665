"""Forms for writing, finding, discussing and moderating lessons.

The lesson form has no field for author, status, moderation or hiding: services take only
the fields declared here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from r2p_network.core.forms import CheckboxListField, FilterForm, PrefixedForm, any_choice, country_choices
from r2p_network.core.geography import region_tree
from r2p_network.core.i18n import LANGUAGE_NAMES, current_lang
from r2p_network.core.labels import choices
from r2p_network.lessons.content import Decision, LessonData
from r2p_network.lessons.labels import (
    CRIME_LABELS,
    DECISION_LABELS,
    KIND_HELP,
    KIND_LABELS,
    PILLAR_LABELS,
    SECTION_LABELS,
)
from r2p_network.lessons.translation_services import TranslationData
from r2p_network.models import LessonKind, LessonTranslation, Visibility, utcnow

FIRST_YEAR = 1945
RegionRow = tuple[str, str, str | None]
MARKDOWN_HELP = _l(
    "Markdown: **bold**, *italic*, lists with -, links as [text](https://…). HTML is shown as text."
)


def _choices(labels: dict[Any, Any]) -> list[SelectChoice]:
    return [SelectChoice(str(key), str(label)) for key, label in labels.items()]


def region_choices(regions: list[RegionRow]) -> list[SelectChoice]:
    return [
        SelectChoice(code, "— " * depth + label)
        for code, label, depth in region_tree(regions, current_lang())
    ]


def _check_years(start: Any, end: Any) -> None:
    if start.data and end.data and end.data < start.data:
        raise ValidationError(_l("The end year cannot be before the start year."))


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(min=5, max=200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[InputRequired(), Length(min=20, max=1500)],
        description=_l("One paragraph that tells a busy reader what the lesson is."),
    )
    kind = RadioField(
        _l("Kind of lesson"),
        # A post without it (an older form still open in a browser) keeps the neutral default.
        validators=[Optional()],
        default=LessonKind.CASE_STUDY.value,
        description=KIND_HELP,
    )
    language = SelectField(
        _l("Language of the lesson"),
        # A post without it (an older form still open in a browser) takes the page's language.
        validators=[Optional()],
        default=current_lang,
        description=_l("The language you write in. Readers see it, and search finds its word forms."),
    )
    countries = SelectMultipleField(
        _l("Countries concerned"),
        validators=[Optional()],
        description=_l("Choose one or more (hold Ctrl or Cmd to choose several)."),
    )
    region = SelectField(_l("Region concerned"), validators=[Optional()])
    cross_regional = BooleanField(_l("Cross-regional: the lesson draws on several regions"))
    period_start = IntegerField(_l("From (year)"), validators=[InputRequired(), NumberRange(min=FIRST_YEAR)])
    period_end = IntegerField(_l("To (year)"), validators=[Optional(), NumberRange(min=FIRST_YEAR)])
    pillars = CheckboxListField(_l("Pillars"), validators=[Optional()])
    crimes = CheckboxListField(_l("Crimes concerned"), validators=[Optional()])
    themes = CheckboxListField(_l("Themes and tools"))
    visibility = RadioField(_l("Who can read it once published"), default=Visibility.NETWORK.value)
    what_happened = TextAreaField(
        SECTION_LABELS["what_happened"],
        validators=[InputRequired(), Length(max=20000)],
        description=MARKDOWN_HELP,
    )
    what_worked = TextAreaField(SECTION_LABELS["what_worked"], validators=[Optional(), Length(max=20000)])
    what_did_not = TextAreaField(SECTION_LABELS["what_did_not"], validators=[Optional(), Length(max=20000)])
    recommendations = TextAreaField(
        SECTION_LABELS["recommendations"], validators=[InputRequired(), Length(max=20000)]
    )

    def __init__(
        self,
        *args: Any,
        regions: list[tuple[str, str, str | None]],
        themes: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.countries.choices = country_choices()
        self.region.choices = [SelectChoice("", str(_l("None"))), *region_choices(regions)]
        self.kind.choices = _choices(KIND_LABELS)
        self.language.choices = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
        self.pillars.choices = _choices(PILLAR_LABELS)
        self.crimes.choices = _choices(CRIME_LABELS)
        self.themes.choices = [SelectChoice(slug, name) for slug, name in themes]
        self.visibility.choices = choices("lesson_visibility")

    def validate_period_end(self, field: IntegerField) -> None:
        _check_years(self.period_start, field)
        if field.data and field.data > utcnow().year + 1:
            raise ValidationError(_l("The period cannot end more than a year from now."))

    def validate_period_start(self, field: IntegerField) -> None:
        if field.data and field.data > utcnow().year:
            raise ValidationError(_l("The period cannot start in the future."))

    def validate_themes(self, field: CheckboxListField) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one theme or tool."))

    def validate_cross_regional(self, field: BooleanField) -> None:
        if not (field.data or self.countries.data or self.region.data):
            raise ValidationError(
                _l("Say where: choose countries, a region, or mark the lesson cross-regional.")
            )

    def to_data(self) -> LessonData:
        return LessonData(
            title=self.title.data,
            summary=self.summary.data,
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            kind=self.kind.data or LessonKind.CASE_STUDY.value,
            language=self.language.data,
            countries=list(self.countries.data or []),
            region=self.region.data or None,
            cross_regional=bool(self.cross_regional.data),
            pillars=list(self.pillars.data or []),
            crimes=list(self.crimes.data or []),
            themes=list(self.themes.data or []),
            visibility=self.visibility.data,
            body={key: self[key].data or "" for key in SECTION_LABELS},
        )

    def fill(self, data: LessonData) -> None:
        for name in (
            "title",
            "summary",
            "kind",
            "language",
            "period_start",
            "period_end",
            "region",
            "cross_regional",
        ):
            self[name].data = getattr(data, name)
        for name in ("countries", "pillars", "crimes", "themes"):
            self[name].data = list(getattr(data, name))
        self.visibility.data = data.visibility
        for key in SECTION_LABELS:
            self[key].data = data.body.get(key, "")


class LessonFilterForm(FilterForm):
    """Filters and search read from the query string (GET: no CSRF token needed)."""

    q = SearchField(_l("Search lessons"), validators=[Optional(), Length(max=200)])
    region = SelectField(_l("Region"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    pillar = SelectField(_l("Pillar"), validators=[Optional()])
    crime = SelectField(_l("Crime"), validators=[Optional()])
    theme = SelectField(_l("Theme or tool"), validators=[Optional()])
    kind = SelectField(_l("Kind of lesson"), validators=[Optional()])
    cross = BooleanField(_l("Cross-regional lessons only"))
    year_from = IntegerField(_l("From (year)"), validators=[Optional(), NumberRange(FIRST_YEAR, 2100)])
    year_to = IntegerField(_l("To (year)"), validators=[Optional(), NumberRange(FIRST_YEAR, 2100)])
    page = IntegerField(validators=[Optional(), NumberRange(min=1)])

    def __init__(
        self,
        *args: Any,
        regions: list[tuple[str, str, str | None]],
        themes: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        anything = any_choice()
        self.region.choices = [anything, *region_choices(regions)]
        self.country.choices = [anything, *country_choices()]
        self.pillar.choices = [anything, *_choices(PILLAR_LABELS)]
        self.crime.choices = [anything, *_choices(CRIME_LABELS)]
        # A menu option cannot hold markup: an untranslated theme shows its English name plainly there.
        self.theme.choices = [anything, *(SelectChoice(slug, str(name)) for slug, name in themes)]
        self.kind.choices = [anything, *_choices(KIND_LABELS)]

    def validate_year_to(self, field: IntegerField) -> None:
        _check_years(self.year_from, field)


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"), validators=[InputRequired(), Length(min=2, max=5000)], description=MARKDOWN_HELP
    )


class FlagForm(PrefixedForm):
    reason = TextAreaField(
        _l("Why should a moderator look at this?"), validators=[InputRequired(), Length(min=5, max=1000)]
    )


class ReasonForm(PrefixedForm):
    """Hiding content, or showing it again: the reason is required to hide."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])


def _note(label: Any) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=2000)],
        description=_l("Required when you ask for changes or reject."),
    )


class DecisionForm(PrefixedForm):
    decision = RadioField(_l("Decision"), validators=[InputRequired()], choices=_choices(DECISION_LABELS))
    reason = _note(_l("Note to the author"))
    short_note = _l("Write a note of at least 5 characters for the author.")

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data != Decision.APPROVE and len((field.data or "").strip()) < 5:
            raise ValidationError(self.short_note)


class TranslationDecisionForm(DecisionForm):
    """A moderator's decision on a translation: the note goes to the translator."""

    reason = _note(_l("Note to the translator"))
    short_note = _l("Write a note of at least 5 characters for the translator.")


class TranslationForm(FlaskForm):
    """A translation of a published lesson: the language, then the lesson's text in it."""

    language = SelectField(
        _l("Language of the translation"),
        validators=[InputRequired(message=_l("Choose the language you translate into."))],
        description=_l("One of the UN languages the lesson is not yet available in."),
    )
    title = StringField(_l("Title"), validators=[InputRequired(), Length(min=5, max=200)])
    summary = TextAreaField(_l("Summary"), validators=[InputRequired(), Length(min=20, max=1500)])
    what_happened = TextAreaField(
        SECTION_LABELS["what_happened"],
        validators=[InputRequired(), Length(max=20000)],
        description=MARKDOWN_HELP,
    )
    what_worked = TextAreaField(SECTION_LABELS["what_worked"], validators=[Optional(), Length(max=20000)])
    what_did_not = TextAreaField(SECTION_LABELS["what_did_not"], validators=[Optional(), Length(max=20000)])
    recommendations = TextAreaField(
        SECTION_LABELS["recommendations"], validators=[InputRequired(), Length(max=20000)]
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice(code, LANGUAGE_NAMES[code]) for code in languages]

    def to_data(self) -> TranslationData:
        return TranslationData(
            language=self.language.data,
            title=self.title.data,
            summary=self.summary.data,
            body={key: self[key].data or "" for key in SECTION_LABELS},
        )

    def fill(self, translation: LessonTranslation) -> None:
        self.language.data = translation.language
        self.title.data = translation.title
        self.summary.data = translation.summary
        for key in SECTION_LABELS:
            self[key].data = translation.body.get(key, "")
