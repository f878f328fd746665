"""Forms for organising events, answering invitations, summaries and action points."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from r2p_network.core.forms import CheckboxListField, country_choices
from r2p_network.core.geography import FilterOptions, region_tree
from r2p_network.core.i18n import LANGUAGE_NAMES, current_lang, time_zones
from r2p_network.core.labels import VOCABULARIES, choices
from r2p_network.events.services import Audience, EventData, at_place
from r2p_network.models import (
    ActionPointStatus,
    Event,
    EventAudienceKind,
    EventKind,
    Network,
    SeatKind,
    team_key,
)

MARKDOWN_HELP = _l(
    "Markdown: **bold**, *italic*, lists with -, links as [text](https://…). HTML is shown as text."
)
TIME_FORMAT = "%Y-%m-%dT%H:%M"


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind of event"), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(min=3, max=200)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=20000)], description=MARKDOWN_HELP
    )
    starts = DateTimeLocalField(_l("Starts"), format=TIME_FORMAT, validators=[InputRequired()])
    ends = DateTimeLocalField(_l("Ends"), format=TIME_FORMAT, validators=[InputRequired()])
    time_zone = SelectField(
        _l("Time zone of the place"),
        validators=[InputRequired()],
        description=_l("Start and end are the local times there; members see them in their own zone."),
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    online_url = URLField(_l("Online link"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
    languages = CheckboxListField(_l("Languages"), validators=[Optional()])
    scope = SelectField(_l("Organised for"), validators=[InputRequired()])
    audience_public = BooleanField(_l("Public: anyone, without signing in"))
    audience_network = BooleanField(_l("The whole network"))
    audience_networks = CheckboxListField(_l("Whole networks"), validators=[Optional()])
    audience_regions = SelectMultipleField(_l("Regions"), validators=[Optional()])
    audience_groups = SelectMultipleField(_l("UN regional groups"), validators=[Optional()])
    audience_orgs = SelectMultipleField(_l("Regional organisations"), validators=[Optional()])
    audience_org_seats = SelectMultipleField(
        _l("Focal points of organisations"),
        validators=[Optional()],
        description=_l("The organisation's own focal points, not the teams of its member States."),
    )
    audience_un_office = BooleanField(VOCABULARIES["seat"][SeatKind.UN_OFFICE])
    team_countries = SelectMultipleField(
        _l("Named teams: countries"),
        validators=[Optional()],
        description=_l("With the networks below: each country's team in each network chosen."),
    )
    team_networks = CheckboxListField(_l("Named teams: networks"), validators=[Optional()])
    registration_open = BooleanField(_l("Registration is open"))
    capacity = IntegerField(
        _l("Places (leave empty for no limit)"), validators=[Optional(), NumberRange(min=1)]
    )
    deadline = DateTimeLocalField(
        _l("Registration deadline (local time at the place)"), format=TIME_FORMAT, validators=[Optional()]
    )

    def __init__(self, *args: Any, options: FilterOptions, scopes: list[tuple[str, str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices("event_kind")
        self.time_zone.choices = [SelectChoice(z, z.replace("_", " ")) for z in time_zones()]
        self.languages.choices = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
        self.scope.choices = [SelectChoice(f"{kind}:{key}", name) for kind, key, name in scopes]
        self.audience_networks.choices = choices("network")
        self.team_networks.choices = choices("network")
        self.audience_regions.choices = [
            SelectChoice(code, "— " * depth + name)
            for code, name, depth in region_tree(options.regions, current_lang())
        ]
        self.audience_groups.choices = [SelectChoice(slug, name) for slug, name in options.groups]
        self.audience_orgs.choices = [SelectChoice(slug, name) for slug, name in options.organisations]
        self.audience_org_seats.choices = self.audience_orgs.choices
        self.team_countries.choices = country_choices()

    def audiences(self) -> list[Audience]:
        found: list[Audience] = []
        if self.audience_public.data:
            found.append((EventAudienceKind.PUBLIC, ""))
        if self.audience_network.data:
            found.append((EventAudienceKind.NETWORK, ""))
        found += [(EventAudienceKind.NETWORK_KIND, v) for v in self.audience_networks.data or []]
        found += [(EventAudienceKind.M49, v) for v in self.audience_regions.data or []]
        found += [(EventAudienceKind.GROUP, v) for v in self.audience_groups.data or []]
        found += [(EventAudienceKind.ORG, v) for v in self.audience_orgs.data or []]
        found += [(EventAudienceKind.ORG_SEAT, v) for v in self.audience_org_seats.data or []]
        if self.audience_un_office.data:
            found.append((EventAudienceKind.UN_OFFICE, ""))
        found += [
            (EventAudienceKind.TEAM, team_key(iso3, network))
            for iso3 in self.team_countries.data or []
            for network in self.team_networks.data or []
        ]
        return found

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.starts.data and self.ends.data and self.ends.data < self.starts.data:
            self.ends.errors = [*self.ends.errors, _l("The end cannot be before the start.")]
            ok = False
        if self.deadline.data and self.starts.data and self.deadline.data > self.starts.data:
            self.deadline.errors = [*self.deadline.errors, _l("The deadline cannot be after the start.")]
            ok = False
        if bool(self.team_countries.data) != bool(self.team_networks.data):
            self.team_networks.errors = [
                *self.team_networks.errors,
                _l("Named teams need both their countries and their networks."),
            ]
            ok = False
        if ok and not self.audiences():
            self.audience_network.errors = [
                *self.audience_network.errors,
                _l("Choose at least one audience."),
            ]
            ok = False
        return ok

    def to_data(self) -> EventData:
        kind, key = self.scope.data.split(":", 1)
        return EventData(
            kind=EventKind(self.kind.data),
            title=self.title.data,
            description=self.description.data or "",
            starts=self.starts.data,
            ends=self.ends.data,
            time_zone=self.time_zone.data,
            audiences=self.audiences(),
            scope=(kind, key),
            place=self.place.data or "",
            online_url=self.online_url.data or "",
            languages=list(self.languages.data or []),
            registration_open=bool(self.registration_open.data),
            capacity=self.capacity.data,
            deadline=self.deadline.data,
        )

    def fill(self, event: Event, audiences: list[tuple[str, str]]) -> None:
        for name in ("kind", "title", "description", "time_zone", "place", "online_url", "languages"):
            getattr(self, name).data = getattr(event, name)
        self.kind.data = event.kind.value
        self.starts.data = at_place(event.starts_at, event.time_zone)
        self.ends.data = at_place(event.ends_at, event.time_zone)
        self.scope.data = f"{event.scope_kind}:{event.scope_key}"
        self.registration_open.data = event.registration_open
        self.capacity.data = event.capacity
        if event.registration_deadline:
            self.deadline.data = at_place(event.registration_deadline, event.time_zone)
        by_kind: dict[str, list[str]] = {}
        for kind, key in audiences:
            by_kind.setdefault(kind, []).append(key)
        self.audience_public.data = EventAudienceKind.PUBLIC.value in by_kind
        self.audience_network.data = EventAudienceKind.NETWORK.value in by_kind
        self.audience_networks.data = by_kind.get(EventAudienceKind.NETWORK_KIND.value, [])
        self.audience_regions.data = by_kind.get(EventAudienceKind.M49.value, [])
        self.audience_groups.data = by_kind.get(EventAudienceKind.GROUP.value, [])
        self.audience_orgs.data = by_kind.get(EventAudienceKind.ORG.value, [])
        self.audience_org_seats.data = by_kind.get(EventAudienceKind.ORG_SEAT.value, [])
        self.audience_un_office.data = EventAudienceKind.UN_OFFICE.value in by_kind
        teams = [key.split(":", 1) for key in by_kind.get(EventAudienceKind.TEAM.value, [])]
        self.team_countries.data = sorted({iso3 for iso3, _ in teams})
        self.team_networks.data = sorted({network for _, network in teams})


class SummaryForm(FlaskForm):
    summary = TextAreaField(
        _l("Summary of the meeting"),
        validators=[InputRequired(), Length(max=50000)],
        description=MARKDOWN_HELP,
    )


OWNER_KINDS = {
    EventAudienceKind.TEAM: _l("A team (country and network below)"),
    EventAudienceKind.ORG_SEAT: _l("An organisation's focal points (organisation below)"),
    EventAudienceKind.UN_OFFICE: VOCABULARIES["seat"][SeatKind.UN_OFFICE],
}


class ActionPointForm(FlaskForm):
    text = TextAreaField(_l("What is to be done"), validators=[InputRequired(), Length(max=2000)])
    owner_kind = SelectField(_l("Owner"), default=EventAudienceKind.TEAM.value)
    country = SelectField(_l("Owner: country"), validators=[Optional()])
    network = SelectField(_l("Owner: network"), validators=[Optional()])
    organisation = SelectField(_l("Owner: organisation"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.owner_kind.choices = [SelectChoice(kind.value, text) for kind, text in OWNER_KINDS.items()]
        self.country.choices = [SelectChoice("", "—"), *country_choices()]
        self.network.choices = [SelectChoice("", "—"), *choices("network")]
        self.organisation.choices = [SelectChoice("", "—"), *(SelectChoice(s, n) for s, n in organisations)]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        kind = self.owner_kind.data
        if kind == EventAudienceKind.TEAM and not (self.country.data and self.network.data in set(Network)):
            self.network.errors = [*self.network.errors, _l("Choose the team's country and network.")]
            ok = False
        if kind == EventAudienceKind.ORG_SEAT and not self.organisation.data:
            self.organisation.errors = [*self.organisation.errors, _l("Choose the organisation.")]
            ok = False
        return ok

    def owner(self) -> Audience:
        kind = EventAudienceKind(self.owner_kind.data)
        if kind == EventAudienceKind.TEAM:
            return kind, team_key(self.country.data, Network(self.network.data))
        return kind, self.organisation.data if kind == EventAudienceKind.ORG_SEAT else ""


class ActionStatusForm(FlaskForm):
    status = SelectField(_l("Status"), validators=[InputRequired()])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.status.choices = choices("action_point_status")

    def value(self) -> ActionPointStatus:
        return ActionPointStatus(self.status.data)
