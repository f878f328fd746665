"""Reads for profiles and the directory: a fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, exists, or_, select

from r2p_network.core.geography import (
    country_name_column,
    country_sort_column,
    escape_like,
    in_body,
    in_region,
)
from r2p_network.core.membership import holds_seat
from r2p_network.core.pagination import page_count, paginate
from r2p_network.extensions import db
from r2p_network.models import (
    AccountStatus,
    ContactVisibility,
    Country,
    FocalPointProfile,
    Network,
    ProfileExpertise,
    ProfileLanguage,
    RegionalBody,
    SeatKind,
    User,
)
from r2p_network.profiles.vocabulary import EXPERTISE

PER_PAGE = 25
# The directory's "network" filter also offers the seats of organisations and of the UN office.
ORGANISATIONS = "organisations"


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    region: str = ""
    group: str = ""
    org: str = ""
    network: str = ""
    language: str = ""
    expertise: str = ""

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [holds_seat()]
        if self.region:
            conditions.append(in_region(self.region))
        if self.group:
            conditions.append(in_body(self.group))
        if self.org:  # its member countries' focal points and the organisation's own
            conditions.append(or_(in_body(self.org), FocalPointProfile.organisation_slug == self.org))
        if self.network == ORGANISATIONS:
            conditions.append(FocalPointProfile.seat != SeatKind.COUNTRY)
        elif self.network:
            conditions.append(FocalPointProfile.network == Network(self.network))
        if self.language:
            conditions.append(
                exists().where(ProfileLanguage.user_id == User.id, ProfileLanguage.code == self.language)
            )
        if self.expertise:
            conditions.append(
                exists().where(ProfileExpertise.user_id == User.id, ProfileExpertise.area == self.expertise)
            )
        if self.q:
            conditions.append(_text_match(self.q))
        return conditions


def _text_match(q: str) -> ColumnElement[bool]:
    """Name, title or institution contains *q*, or an expertise label does."""
    pattern = f"%{escape_like(q.strip())}%"
    needle = q.strip().casefold()
    areas = [code for code, label in EXPERTISE.items() if needle in str(label).casefold()]
    clauses: list[ColumnElement[bool]] = [
        User.name.ilike(pattern, escape="\\"),
        FocalPointProfile.title.ilike(pattern, escape="\\"),
        FocalPointProfile.institution.ilike(pattern, escape="\\"),
    ]
    if areas:
        clauses.append(exists().where(ProfileExpertise.user_id == User.id, ProfileExpertise.area.in_(areas)))
    return or_(*clauses)


@dataclass
class DirectoryEntry:
    user_id: int
    name: str
    title: str
    institution: str
    network: Network | None
    country_iso3: str | None
    country_name: str | None
    seat: SeatKind = SeatKind.COUNTRY
    organisation_acronym: str | None = None  # an organisation's seat: the organisation's acronym
    expertise: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DirectoryPage:
    entries: list[DirectoryEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def _directory_select(filters: DirectoryFilters) -> Select:
    name_column = country_name_column()
    return (
        select(
            User.id,
            User.name,
            FocalPointProfile.title,
            FocalPointProfile.institution,
            FocalPointProfile.network,
            Country.iso3,
            name_column,
            FocalPointProfile.seat,
            RegionalBody.acronym,
        )
        .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .outerjoin(Country, Country.iso3 == FocalPointProfile.country_iso3)
        .outerjoin(RegionalBody, RegionalBody.slug == FocalPointProfile.organisation_slug)
        .where(*filters.conditions())
        # Countries' seats by country, then organisations' by acronym, then the UN office.
        .order_by(
            FocalPointProfile.seat,
            country_sort_column(),
            name_column,
            RegionalBody.acronym,
            User.name,
            User.id,
        )
    )


def directory(filters: DirectoryFilters, page: int) -> DirectoryPage:
    """One page of the directory: a count, the rows, then their expertise and languages."""
    rows, total, page = paginate(_directory_select(filters), page, PER_PAGE)
    entries = [DirectoryEntry(*row) for row in rows]
    attach_tags(entries)
    return DirectoryPage(entries=entries, total=total, page=page, per_page=PER_PAGE)


def attach_tags(entries: list[DirectoryEntry]) -> None:
    """Fill in expertise and languages for a list of entries, in two queries."""
    ids = [entry.user_id for entry in entries]
    if not ids:
        return
    expertise: dict[int, list[str]] = defaultdict(list)
    languages: dict[int, list[str]] = defaultdict(list)
    for user_id, area in db.session.execute(
        select(ProfileExpertise.user_id, ProfileExpertise.area).where(ProfileExpertise.user_id.in_(ids))
    ):
        expertise[user_id].append(area)
    for user_id, code in db.session.execute(
        select(ProfileLanguage.user_id, ProfileLanguage.code).where(ProfileLanguage.user_id.in_(ids))
    ):
        languages[user_id].append(code)
    order = {code: n for n, code in enumerate(EXPERTISE)}
    for entry in entries:
        entry.expertise = sorted(expertise[entry.user_id], key=lambda code: order.get(code, len(order)))
        entry.languages = sorted(languages[entry.user_id])


def directory_export_rows(filters: DirectoryFilters) -> Iterator[tuple]:
    """Every matching focal point with contact details, streamed for the administrators' CSV."""
    stmt = (
        _directory_select(filters)
        .add_columns(User.email, FocalPointProfile.contact_email, FocalPointProfile.phone)
        .execution_options(yield_per=500)
    )
    for row in db.session.execute(stmt):
        (
            _user_id,
            name,
            title,
            institution,
            network,
            iso3,
            country,
            seat,
            acronym,
            email,
            contact_email,
            phone,
        ) = row
        where = network.value if network is not None else seat.value
        yield (
            iso3 or "",
            country or acronym or "",
            where,
            name,
            title,
            institution,
            contact_email or email,
            phone,
        )


@dataclass
class ProfileView:
    user_id: int
    name: str
    email: str
    status: AccountStatus
    approved_at: datetime | None
    profile: FocalPointProfile
    country_name: str | None
    organisation: tuple[str, str] | None  # (acronym, name) of an organisation's seat
    expertise: list[str]
    languages: list[str]

    def contacts(self) -> list[tuple[str, str, ContactVisibility]]:
        """(field, value, visibility) for each filled-in contact field."""
        p = self.profile
        fields = [
            ("contact_email", p.contact_email, p.contact_email_visibility),
            ("phone", p.phone, p.phone_visibility),
            ("messaging", p.messaging, p.messaging_visibility),
        ]
        return [item for item in fields if item[1]]


def profile_view(user_id: int) -> ProfileView | None:
    """An approved member's profile, or None (pending, rejected or unknown accounts are not shown)."""
    row = db.session.execute(
        select(
            User.id,
            User.name,
            User.email,
            User.status,
            User.approved_at,
            FocalPointProfile,
            country_name_column(),
            RegionalBody.acronym,
            RegionalBody.name,
        )
        .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .outerjoin(Country, Country.iso3 == FocalPointProfile.country_iso3)
        .outerjoin(RegionalBody, RegionalBody.slug == FocalPointProfile.organisation_slug)
        .where(User.id == user_id, User.status.in_([AccountStatus.ACTIVE, AccountStatus.DEACTIVATED]))
    ).first()
    if row is None:
        return None
    entry = DirectoryEntry(row.id, row.name, "", "", row.FocalPointProfile.network, "", "")
    attach_tags([entry])
    return ProfileView(
        user_id=row.id,
        name=row.name,
        email=row.email,
        status=row.status,
        approved_at=row.approved_at,
        profile=row.FocalPointProfile,
        country_name=row[6],
        organisation=(row[7], row[8]) if row[7] else None,
        expertise=entry.expertise,
        languages=entry.languages,
    )
