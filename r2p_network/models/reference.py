"""Reference data: countries, UN M49 regions, UN regional groups and regional organisations."""

from __future__ import annotations

import enum
from datetime import date
from typing import ClassVar

from sqlalchemy import JSON, Date, Float, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2p_network.models.base import Base, enum_column
from r2p_network.models.collation import SORTED_LANGUAGES, sort_key


class UNStatus(enum.StrEnum):
    MEMBER = "member"
    OBSERVER = "observer"


class RegionLevel(enum.StrEnum):
    REGION = "region"
    SUBREGION = "subregion"
    INTERMEDIATE = "intermediate"


class BodyKind(enum.StrEnum):
    UN_GROUP = "un_group"
    ORGANISATION = "organisation"


class MembershipStatus(enum.StrEnum):
    MEMBER = "member"
    SUSPENDED = "suspended"
    ASSOCIATE = "associate"
    OBSERVER = "observer"
    # Takes part in a UN regional group's work without being counted in it
    # for elections (e.g. Türkiye in the Asia-Pacific Group).
    PARTICIPANT = "participant"


class Region(Base):
    """A UN M49 region, sub-region or intermediate region."""

    __tablename__ = "region"
    renews_data: ClassVar[bool] = True

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    level: Mapped[RegionLevel] = mapped_column(enum_column(RegionLevel, "region_level"), nullable=False)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), nullable=True)


# Sort keys are ASCII compared byte by byte: on PostgreSQL the "C" collation guarantees that
# whatever the database's default collation is (SQLite compares bytes already).
SORT_KEY = Text().with_variant(Text(collation="C"), "postgresql")


class Country(Base):
    """A UN Member State or observer State."""

    __tablename__ = "country"
    renews_data: ClassVar[bool] = True

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str] = mapped_column(String(2), unique=True, nullable=False)
    m49: Mapped[str] = mapped_column(String(3), unique=True, nullable=False)
    un_status: Mapped[UNStatus] = mapped_column(enum_column(UNStatus, "un_status"), nullable=False)
    name_en: Mapped[str] = mapped_column(String(120), nullable=False)
    name_fr: Mapped[str] = mapped_column(String(120), nullable=False)
    name_es: Mapped[str] = mapped_column(String(120), nullable=False)
    name_ru: Mapped[str] = mapped_column(String(120), nullable=False)
    name_zh: Mapped[str] = mapped_column(String(120), nullable=False)
    name_ar: Mapped[str] = mapped_column(String(120), nullable=False)
    # Collation keys of the names (see models/collation.py), kept up to date on every write;
    # lists sorted by country name order by these so each language sorts its own way.
    sort_en: Mapped[str] = mapped_column(SORT_KEY, nullable=False, default="")
    sort_fr: Mapped[str] = mapped_column(SORT_KEY, nullable=False, default="")
    sort_es: Mapped[str] = mapped_column(SORT_KEY, nullable=False, default="")
    sort_ru: Mapped[str] = mapped_column(SORT_KEY, nullable=False, default="")
    sort_zh: Mapped[str] = mapped_column(SORT_KEY, nullable=False, default="")
    sort_ar: Mapped[str] = mapped_column(SORT_KEY, nullable=False, default="")
    formal_name_en: Mapped[str | None] = mapped_column(String(200), nullable=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), nullable=False, index=True)
    subregion_code: Mapped[str] = mapped_column(ForeignKey("region.code"), nullable=False, index=True)
    intermediate_code: Mapped[str | None] = mapped_column(
        ForeignKey("region.code"), nullable=True, index=True
    )
    latitude: Mapped[float] = mapped_column(Float, nullable=False)
    longitude: Mapped[float] = mapped_column(Float, nullable=False)

    region: Mapped[Region] = relationship(foreign_keys=[region_code], lazy="raise")
    subregion: Mapped[Region] = relationship(foreign_keys=[subregion_code], lazy="raise")

    def name(self, lang: str) -> str:
        """The short name in one of the six UN languages (English otherwise)."""
        return getattr(self, f"name_{lang}", None) or self.name_en

    def refresh_sort_keys(self) -> None:
        """Recompute the collation key of the name in each language."""
        for lang in SORTED_LANGUAGES:
            setattr(self, f"sort_{lang}", sort_key(self.name(lang), lang))


@event.listens_for(Country, "before_insert")
@event.listens_for(Country, "before_update")
def _refresh_sort_keys(_mapper: object, _connection: object, country: Country) -> None:
    country.refresh_sort_keys()


class RegionalBody(Base):
    """A UN regional group or a regional / subregional organisation."""

    __tablename__ = "regional_body"
    renews_data: ClassVar[bool] = True

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[BodyKind] = mapped_column(enum_column(BodyKind, "body_kind"), nullable=False)
    acronym: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # {"fr": {"name": "...", ...}, ...}: the other five UN languages; English is in the columns above.
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSON, nullable=False, default=dict, server_default="{}"
    )


class Membership(Base):
    """A country's place in a regional body, with its status and provenance."""

    __tablename__ = "membership"
    renews_data: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("body_slug", "country_iso3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_slug: Mapped[str] = mapped_column(
        ForeignKey("regional_body.slug", ondelete="CASCADE"), nullable=False
    )
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), nullable=False, index=True)
    status: Mapped[MembershipStatus] = mapped_column(
        enum_column(MembershipStatus, "membership_status"), nullable=False
    )
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
