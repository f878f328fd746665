"""Reads for lessons: a fixed number of queries per page, whatever the number of lessons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import ColumnElement, Row, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from r2p_network.core import richtext
from r2p_network.core.geography import country_name_column, name_sort_key, region_name, region_rows
from r2p_network.core.i18n import Localized, current_lang, localized
from r2p_network.core.pagination import paginate
from r2p_network.core.search import lesson_matches
from r2p_network.extensions import db
from r2p_network.lessons.content import LessonData
from r2p_network.lessons.labels import CRIME_LABELS, KIND_LABELS, PILLAR_LABELS, SECTION_LABELS
from r2p_network.models import (
    Country,
    Flag,
    FlagTarget,
    Lesson,
    LessonComment,
    LessonKind,
    LessonStatus,
    LessonTag,
    LessonTheme,
    LessonThemeCount,
    LessonTranslation,
    Region,
    RegionLevel,
    RevisionStatus,
    TagKind,
    TranslationStatus,
    User,
    Visibility,
)
from r2p_network.permissions import Capability, is_member, published_lessons, scope_condition

PER_PAGE = 20


def themes(include_inactive: bool = False) -> list[tuple[str, Localized]]:
    """(slug, name in the reader's language) of the themes and tools, in catalogue order."""
    stmt = select(LessonTheme.slug, LessonTheme.name, LessonTheme.translations).order_by(LessonTheme.position)
    if not include_inactive:
        stmt = stmt.where(LessonTheme.active.is_(True))
    lang = current_lang()
    return [
        (slug, localized(translations, "name", name, lang))
        for slug, name, translations in db.session.execute(stmt)
    ]


def tagged(kind: TagKind, value: str) -> ColumnElement[bool]:
    """Lessons carrying one tag."""
    return Lesson.id.in_(select(LessonTag.lesson_id).where(LessonTag.kind == kind, LessonTag.value == value))


@dataclass(frozen=True)
class LessonFilters:
    q: str = ""
    region: str = ""
    country: str = ""
    pillar: str = ""
    crime: str = ""
    theme: str = ""
    kind: str = ""
    cross: bool = False
    year_from: int | None = None
    year_to: int | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        for kind, value in (
            (TagKind.AREA, self.region),
            (TagKind.COUNTRY, self.country),
            (TagKind.PILLAR, self.pillar),
            (TagKind.CRIME, self.crime),
            (TagKind.THEME, self.theme),
        ):
            if value:
                found.append(tagged(kind, value))
        if self.kind:
            found.append(Lesson.kind == LessonKind(self.kind))
        if self.cross:
            found.append(Lesson.cross_regional.is_(True))
        if self.year_from:
            found.append(func.coalesce(Lesson.period_end, Lesson.period_start) >= self.year_from)
        if self.year_to:
            found.append(Lesson.period_start <= self.year_to)
        return found

    def as_query(self) -> dict[str, Any]:
        return {
            f.name: ("1" if f.name == "cross" else getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name)
        }


def lesson_page(user: Any, filters: LessonFilters, page: int) -> tuple[Sequence[Row], int, int]:
    """One page of the lessons published for *user*: best matches first when searching, else newest."""
    author = aliased(User)
    stmt = (
        select(
            Lesson.id,
            Lesson.title,
            Lesson.summary,
            Lesson.kind,
            Lesson.language,
            Lesson.visibility,
            Lesson.period_start,
            Lesson.period_end,
            Lesson.cross_regional,
            Lesson.published_at,
            author.name.label("author_name"),
        )
        .outerjoin(author, author.id == Lesson.author_id)
        .where(published_lessons(user), *filters.conditions())
    )
    matches = lesson_matches(filters.q) if filters.q else None
    if matches is not None:
        # Only a search shows an excerpt of the body.
        stmt = (
            stmt.add_columns(Lesson.body_html)
            .join(matches, matches.c.lesson_id == Lesson.id)
            .order_by(matches.c.rank, Lesson.published_at.desc(), Lesson.id.desc())
        )
    else:
        stmt = stmt.order_by(Lesson.published_at.desc(), Lesson.id.desc())
    return paginate(stmt, page, PER_PAGE)


def tags_of(lesson_ids: list[int]) -> dict[int, dict[TagKind, list[str]]]:
    """Every tag of the given lessons except the derived areas, in one query."""
    found: dict[int, dict[TagKind, list[str]]] = defaultdict(lambda: defaultdict(list))
    if lesson_ids:
        for lesson_id, kind, value in db.session.execute(
            select(LessonTag.lesson_id, LessonTag.kind, LessonTag.value)
            .where(LessonTag.lesson_id.in_(lesson_ids), LessonTag.kind != TagKind.AREA)
            .order_by(LessonTag.lesson_id, LessonTag.kind, LessonTag.value)
        ):
            found[lesson_id][kind].append(value)
    return found


def lesson(lesson_id: int) -> Lesson | None:
    return db.session.get(Lesson, lesson_id)


def comments(lesson_id: int) -> Sequence[Row]:
    """The lesson's comments, oldest first, with their authors' names."""
    return db.session.execute(
        select(LessonComment, User.name.label("author_name"))
        .outerjoin(User, User.id == LessonComment.author_id)
        .where(LessonComment.lesson_id == lesson_id)
        .order_by(LessonComment.created_at, LessonComment.id)
    ).all()


def my_lessons(user_id: int) -> list[Lesson]:
    return list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.author_id == user_id)
            .order_by(Lesson.updated_at.desc(), Lesson.id.desc())
        )
    )


def waiting_for_moderation() -> ColumnElement[bool]:
    """New lessons, and edits of published ones, that wait for a moderator."""
    return and_(
        Lesson.hidden_at.is_(None),
        or_(
            Lesson.status == LessonStatus.SUBMITTED,
            and_(Lesson.status == LessonStatus.PUBLISHED, Lesson.revision_status == RevisionStatus.SUBMITTED),
        ),
    )


def moderated_by(user: User | Any) -> ColumnElement[bool]:
    """SQL: lessons within the scopes where *user* moderates (cross-regional ones: the whole network)."""
    tagged = select(LessonTag.lesson_id).where(
        LessonTag.kind.in_([TagKind.COUNTRY, TagKind.AREA]),
        scope_condition(
            user,
            Capability.MODERATE_LESSONS,
            iso3=case((LessonTag.kind == TagKind.COUNTRY, LessonTag.value)),
            m49=case((LessonTag.kind == TagKind.AREA, LessonTag.value)),
        ),
    )
    untagged = ~exists().where(
        LessonTag.lesson_id == Lesson.id, LessonTag.kind.in_([TagKind.COUNTRY, TagKind.AREA])
    )
    return or_(Lesson.id.in_(tagged), and_(untagged, scope_condition(user, Capability.MODERATE_LESSONS)))


def waiting_lessons(user: User | Any) -> list[Lesson]:
    """Lessons and edits waiting for a moderator within *user*'s scopes, oldest first."""
    return list(
        db.session.scalars(
            select(Lesson)
            .where(waiting_for_moderation(), moderated_by(user))
            .order_by(Lesson.submitted_at, Lesson.id)
        )
    )


@dataclass(frozen=True)
class FlagItem:
    flag: Flag
    reporter: str
    lesson: Lesson
    comment: LessonComment | None
    comment_author: str | None


def open_flags(user: User | Any) -> list[FlagItem]:
    """Unresolved flags within *user*'s scopes, oldest first, with what they point at (three queries)."""
    rows = db.session.execute(
        select(Flag, User.name)
        .join(User, User.id == Flag.reporter_id)
        .join(Lesson, Lesson.id == Flag.lesson_id)
        .where(Flag.resolved_at.is_(None), moderated_by(user))
        .order_by(Flag.created_at, Flag.id)
    ).all()
    lessons = {
        item.id: item
        for item in db.session.scalars(select(Lesson).where(Lesson.id.in_({f.lesson_id for f, _n in rows})))
    }
    comment_ids = {f.target_id for f, _n in rows if f.target_type == FlagTarget.COMMENT}
    comment_rows = (
        {
            c.id: (c, name)
            for c, name in db.session.execute(
                select(LessonComment, User.name)
                .outerjoin(User, User.id == LessonComment.author_id)
                .where(LessonComment.id.in_(comment_ids))
            )
        }
        if comment_ids
        else {}
    )
    items = []
    for item, reporter in rows:
        comment, author = (
            comment_rows.get(item.target_id, (None, None))
            if item.target_type == FlagTarget.COMMENT
            else (None, None)
        )
        items.append(FlagItem(item, reporter, lessons[item.lesson_id], comment, author))
    return items


def theme_region_counts(user: Any) -> tuple[list[tuple[str, str]], dict[tuple[str, str], int]]:
    """The M49 regions (code, name) and published lessons per (theme, region) for *user*, from the summary."""
    audiences = [Visibility.PUBLIC, Visibility.NETWORK] if is_member(user) else [Visibility.PUBLIC]
    counts = {
        (theme, area): int(n)
        for theme, area, n in db.session.execute(
            select(LessonThemeCount.theme, LessonThemeCount.area, func.sum(LessonThemeCount.lessons))
            .where(LessonThemeCount.visibility.in_(audiences))
            .group_by(LessonThemeCount.theme, LessonThemeCount.area)
        )
    }
    lang = current_lang()
    region_rows = db.session.execute(
        select(Region.code, Region.name).where(Region.level == RegionLevel.REGION)
    ).all()
    named = sorted(
        ((code, region_name(code, name, lang)) for code, name in region_rows),
        key=lambda r: name_sort_key(r[1]),
    )
    return named, counts


@dataclass(frozen=True)
class Vocabulary:
    """Names for the codes a lesson carries, in the reader's language (three queries)."""

    countries: dict[str, str]
    regions: dict[str, str]
    themes: dict[str, str]


def vocabulary() -> Vocabulary:
    lang = current_lang()
    name = country_name_column()
    return Vocabulary(
        countries=dict(db.session.execute(select(Country.iso3, name)).all()),
        regions={code: region_name(code, label, lang) for code, label, _parent in region_rows()},
        themes=dict(themes(include_inactive=True)),
    )


@dataclass(frozen=True)
class LessonView:
    """What a reader sees of a lesson's text: its own, or a pending edit shown as it would be published."""

    title: str
    summary: str
    kind: str
    period: str
    places: list[str]
    pillars: list[str]
    crimes: list[str]
    themes: list[str]
    visibility: Visibility
    sections: list[tuple[str, Markup]]
    language: str = "en"


def present(data: LessonData, names: Vocabulary, html: dict[str, str] | None = None) -> LessonView:
    """A LessonView of *data*; *html* is the stored rendering of its sections, if there is one."""
    places = sorted((names.countries.get(iso3, iso3) for iso3 in data.countries), key=name_sort_key)
    if data.region:
        places.append(names.regions.get(data.region, data.region))
    if data.cross_regional:
        places.append(str(_l("Cross-regional")))
    period = (
        str(data.period_start)
        if not data.period_end or data.period_end == data.period_start
        else (f"{data.period_start}–{data.period_end}")
    )
    sections = []
    for key, label in SECTION_LABELS.items():
        source = data.body.get(key) or ""
        if source.strip():
            fragment = html[key] if html and key in html else richtext.render(source)
            sections.append((str(label), richtext.as_html(fragment)))
    return LessonView(
        title=data.title,
        summary=data.summary,
        kind=str(KIND_LABELS.get(data.kind, data.kind)),
        period=period,
        places=places,
        pillars=[str(PILLAR_LABELS[p]) for p in sorted(data.pillars) if p in PILLAR_LABELS],
        crimes=[str(CRIME_LABELS[c]) for c in data.crimes if c in CRIME_LABELS],
        themes=[names.themes.get(slug, slug) for slug in data.themes],
        visibility=Visibility(data.visibility),
        sections=sections,
        language=data.language,
    )


def published_languages(lesson_ids: list[int]) -> dict[int, list[str]]:
    """The languages of the published translations of the given lessons, in one query."""
    found: dict[int, list[str]] = defaultdict(list)
    if lesson_ids:
        for lesson_id, language in db.session.execute(
            select(LessonTranslation.lesson_id, LessonTranslation.language)
            .where(
                LessonTranslation.lesson_id.in_(lesson_ids),
                LessonTranslation.status == TranslationStatus.PUBLISHED,
            )
            .order_by(LessonTranslation.lesson_id, LessonTranslation.language)
        ):
            found[lesson_id].append(language)
    return found


def translations_of(lesson_id: int) -> list[LessonTranslation]:
    """Every translation of a lesson, in any state (the route shows each reader what they may see)."""
    return list(
        db.session.scalars(
            select(LessonTranslation)
            .where(LessonTranslation.lesson_id == lesson_id)
            .order_by(LessonTranslation.language)
        )
    )


def waiting_translations(user: User | Any) -> Sequence[Row]:
    """(translation, lesson) of the translations waiting for a moderator within *user*'s scopes, oldest
    first; translations of lessons hidden meanwhile wait until the lesson is shown again."""
    return db.session.execute(
        select(LessonTranslation, Lesson)
        .join(Lesson, Lesson.id == LessonTranslation.lesson_id)
        .where(
            LessonTranslation.status == TranslationStatus.SUBMITTED,
            Lesson.status == LessonStatus.PUBLISHED,
            Lesson.hidden_at.is_(None),
            moderated_by(user),
        )
        .order_by(LessonTranslation.submitted_at, LessonTranslation.id)
    ).all()
