"""The figures of the reporting page: one SQL aggregate per table, each limited to the countries
of the scopes where the reader holds ``VIEW_REPORTS`` (the whole network for administrators).

Anything derived from assessments is suppressed where fewer than ``K_ANONYMITY`` countries
contribute, as on the regional views.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, distinct, exists, func, literal, or_, select, union_all

from r2p_network.core.geography import region_name
from r2p_network.core.i18n import current_lang, translated_column
from r2p_network.core.labels import label
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    AssistanceRequest,
    CapacitySubmission,
    Country,
    FocalPointProfile,
    Instrument,
    Lesson,
    LessonStatus,
    LessonTag,
    Region,
    SubmissionStatus,
    TagKind,
    TreatyStatusChange,
    User,
)
from r2p_network.permissions import NETWORK, Capability, holds, scope_condition
from r2p_network.regions.queries import K_ANONYMITY, SHARED
from r2p_network.reports.periods import Period, period_ends, period_of

TABLES = ("coverage", "strategies", "capacity", "assistance", "lessons", "treaties")


@dataclass
class Table:
    """One table of the report, its chart's series (per period), and its download's cells."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    series: dict[str, list[int | None]] = field(
        default_factory=dict
    )  # name -> value per period; None: suppressed
    note: str = ""


class Report:
    """The report for one reader over some periods; each method runs one query."""

    def __init__(self, user: Any, chosen: list[Period], grain: str) -> None:
        self.user = user
        self.chosen = chosen
        self.grain = grain
        self.index = {p.key: i for i, p in enumerate(chosen)}
        self.labels = {p.key: p.label for p in chosen}

    def within(self, iso3: Any) -> ColumnElement[bool]:
        """SQL: the country in column *iso3* is one the reader reports on."""
        return scope_condition(self.user, Capability.VIEW_REPORTS, iso3=iso3)

    def _in_window(self, column: Any) -> ColumnElement[bool]:
        return period_of(column, self.grain).between(self.chosen[0].key, self.chosen[-1].key)

    def _series(self, table: Table, name: str, key: int, value: int | None) -> None:
        table.series.setdefault(name, [0] * len(self.chosen))[self.index[key]] = value

    def table(self, key: str) -> Table:
        return getattr(self, key)()

    def coverage(self) -> Table:
        """Countries with a focal point in post at each period's end, by region and network."""
        ends = period_ends(self.chosen)
        rows = db.session.execute(
            select(
                ends.c.period,
                Region.code,
                Region.name,
                FocalPointProfile.network,
                func.count(distinct(FocalPointProfile.country_iso3)),
            )
            .select_from(ends)
            .join(User, and_(User.approved_at.is_not(None), User.approved_at < ends.c.end))
            .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
            .join(Country, Country.iso3 == FocalPointProfile.country_iso3)
            .join(Region, Region.code == Country.region_code)
            .where(
                or_(FocalPointProfile.left_post_at.is_(None), FocalPointProfile.left_post_at >= ends.c.end),
                self.within(FocalPointProfile.country_iso3),
            )
            .group_by(ends.c.period, Region.code, Region.name, FocalPointProfile.network)
            .order_by(ends.c.period, Region.code, FocalPointProfile.network)
        )
        table = Table(
            "coverage",
            _("Coverage by network and region"),
            [_("Period"), _("Region"), _("Network"), _("Countries with a focal point")],
            note=_("Focal points approved by the end of the period and not recorded as having left by then."),
        )
        lang = current_lang()
        for period, code, name, network, countries in rows:
            table.rows.append([self.labels[period], region_name(code, name, lang), label(network), countries])
            series = table.series.setdefault(label(network), [0] * len(self.chosen))
            series[self.index[period]] = (series[self.index[period]] or 0) + countries
        return table

    def strategies(self) -> Table:
        """Strategies started and versions shared per period; fewer than k countries: suppressed."""
        started = select(
            literal("started").label("kind"),
            period_of(Assessment.created_at, self.grain).label("period"),
            Assessment.id.label("assessment"),
            Assessment.country_iso3.label("iso3"),
        ).where(self._in_window(Assessment.created_at), self.within(Assessment.country_iso3))
        shared = (
            select(
                literal("shared"),
                period_of(AssessmentVersion.submitted_at, self.grain),
                Assessment.id,
                Assessment.country_iso3,
            )
            .join(Assessment, Assessment.id == AssessmentVersion.assessment_id)
            .where(
                AssessmentVersion.visibility.in_(SHARED),
                self._in_window(AssessmentVersion.submitted_at),
                self.within(Assessment.country_iso3),
            )
        )
        both = union_all(started, shared).subquery()
        rows = db.session.execute(
            select(
                both.c.kind,
                both.c.period,
                func.count(distinct(both.c.assessment)),
                func.count(distinct(both.c.iso3)),
            ).group_by(both.c.kind, both.c.period)
        )
        names = {"started": _("Strategies started"), "shared": _("Strategies shared")}
        table = Table(
            "strategies",
            _("Strategies started and shared"),
            [_("Period"), names["started"], names["shared"]],
            note=_("Counts from fewer than %(k)d countries are not shown.", k=K_ANONYMITY),
        )
        found: dict[tuple[str, int], int | None] = {}
        for kind, period, assessments, countries in rows:
            found[(kind, period)] = assessments if countries >= K_ANONYMITY else None
        hidden = _("fewer than %(k)d countries", k=K_ANONYMITY)
        for p in self.chosen:
            cells = []
            for kind, name in names.items():
                value = found.get((kind, p.key), 0)
                self._series(table, name, p.key, value)
                cells.append(hidden if value is None else value)
            table.rows.append([p.label, *cells])
        return table

    def capacity(self) -> Table:
        """Capacity maps (and revisions) verified per period, by network."""
        period = period_of(CapacitySubmission.decided_at, self.grain)
        rows = db.session.execute(
            select(period, CapacitySubmission.network, func.count())
            .where(
                CapacitySubmission.status == SubmissionStatus.VERIFIED,
                CapacitySubmission.decided_at.is_not(None),
                self._in_window(CapacitySubmission.decided_at),
                self.within(CapacitySubmission.country_iso3),
            )
            .group_by(period, CapacitySubmission.network)
            .order_by(period, CapacitySubmission.network)
        )
        table = Table(
            "capacity", _("Capacity maps verified"), [_("Period"), _("Network"), _("Maps verified")]
        )
        for key, network, count in rows:
            table.rows.append([self.labels[key], label(network), count])
            self._series(table, label(network), key, count)
        return table

    def assistance(self) -> Table:
        """Assistance requests made in each period, by the state they are in now."""
        period = period_of(AssistanceRequest.created_at, self.grain)
        rows = db.session.execute(
            select(period, AssistanceRequest.status, func.count())
            .where(
                self._in_window(AssistanceRequest.created_at),
                or_(
                    self.within(AssistanceRequest.requester_iso3),
                    self.within(AssistanceRequest.provider_iso3),
                ),
            )
            .group_by(period, AssistanceRequest.status)
            .order_by(period, AssistanceRequest.status)
        )
        table = Table(
            "assistance",
            _("Assistance requests by state"),
            [_("Period"), _("State"), _("Requests")],
            note=_("Counted in the period the request was made, in the state it is in now."),
        )
        for key, status, count in rows:
            table.rows.append([self.labels[key], label(status), count])
            self._series(table, label(status), key, count)
        return table

    def lessons(self) -> Table:
        """Lessons published per period (and still shown)."""
        period = period_of(Lesson.published_at, self.grain)
        stmt = select(period, func.count()).where(
            Lesson.status == LessonStatus.PUBLISHED,
            Lesson.hidden_at.is_(None),
            Lesson.published_at.is_not(None),
            self._in_window(Lesson.published_at),
        )
        if not holds(self.user, Capability.VIEW_REPORTS, NETWORK):
            # Within a scope: lessons about one of its countries.
            stmt = stmt.where(
                exists().where(
                    LessonTag.lesson_id == Lesson.id,
                    LessonTag.kind == TagKind.COUNTRY,
                    self.within(LessonTag.value),
                )
            )
        table = Table("lessons", _("Lessons published"), [_("Period"), _("Lessons published")])
        found = dict(db.session.execute(stmt.group_by(period)).all())
        name = _("Lessons published")
        for p in self.chosen:
            table.rows.append([p.label, found.get(p.key, 0)])
            self._series(table, name, p.key, found.get(p.key, 0))
        return table

    def treaties(self) -> Table:
        """Changes in treaty participation recorded per period, by instrument and new status."""
        period = period_of(TreatyStatusChange.as_of, self.grain)
        instrument = translated_column(
            Instrument.short_name, Instrument.translations, "short_name", current_lang()
        )
        rows = db.session.execute(
            select(
                period,
                Instrument.slug,
                instrument,
                TreatyStatusChange.new_status,
                func.count(distinct(TreatyStatusChange.country_iso3)),
            )
            .join(Instrument, Instrument.slug == TreatyStatusChange.instrument_slug)
            .where(self._in_window(TreatyStatusChange.as_of), self.within(TreatyStatusChange.country_iso3))
            .group_by(period, Instrument.slug, instrument, Instrument.position, TreatyStatusChange.new_status)
            .order_by(period, Instrument.position, TreatyStatusChange.new_status)
        )
        table = Table(
            "treaties",
            _("Treaty participation"),
            [_("Period"), _("Instrument"), _("New status"), _("Countries")],
            note=_("Changes recorded in the treaty records, dated by their source."),
        )
        totals: dict[tuple[str, int], int] = defaultdict(int)
        for key, _slug, name, status, countries in rows:
            table.rows.append([self.labels[key], name, label(status), countries])
            totals[(label(status), key)] += countries
        for (name, key), count in totals.items():
            self._series(table, name, key, count)
        return table
