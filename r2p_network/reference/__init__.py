"""Reference data: loading it, and naming countries and regions in the user's language."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from r2p_network.assessments.localize import shipped as shipped_template_translations
from r2p_network.assessments.localize import texts as template_texts
from r2p_network.core.geography import official_names
from r2p_network.core.i18n import LANGUAGES, TRANSLATED_LANGUAGES, missing_translations
from r2p_network.models import (
    BodyKind,
    CapacityCategory,
    Country,
    Instrument,
    LessonTheme,
    Membership,
    MembershipStatus,
    Region,
    RegionalBody,
    RegionLevel,
    StrategyTemplate,
    TemplateVersion,
    TreatyStatus,
    UNStatus,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_CSV = DATA_DIR / "countries-territories-taxonomy.csv"
BODIES_JSON = DATA_DIR / "regional_bodies.json"
INSTRUMENTS_JSON = DATA_DIR / "instruments.json"
CAPACITY_JSON = DATA_DIR / "capacity_categories.json"
THEMES_JSON = DATA_DIR / "lesson_themes.json"
OBSERVER_STATES = ("VAT", "PSE")
_CSV_LANG = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "zh": "Chinese",
    "ar": "Arabic",
}


def _m49(code: str) -> str:
    return code.zfill(3)


def read_countries() -> tuple[dict[str, dict], list[dict]]:
    """Parse the taxonomy into regions (by code) and the 195 Member and observer States."""
    regions: dict[str, dict] = {}
    countries: list[dict] = []
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            iso3 = row["ISO 3166-1 Alpha 3-Codes"]
            if row["Appears in DGACM list"] == "Y":
                status = UNStatus.MEMBER
            elif iso3 in OBSERVER_STATES:
                status = UNStatus.OBSERVER
            else:
                continue
            region = _m49(row["Region Code"])
            subregion = _m49(row["Sub-region Code"])
            intermediate = _m49(row["Intermediate Region Code"]) if row["Intermediate Region Code"] else None
            regions.setdefault(
                region, {"level": RegionLevel.REGION, "name": row["Region Name"], "parent": None}
            )
            regions.setdefault(
                subregion, {"level": RegionLevel.SUBREGION, "name": row["Sub-region Name"], "parent": region}
            )
            if intermediate:
                regions.setdefault(
                    intermediate,
                    {
                        "level": RegionLevel.INTERMEDIATE,
                        "name": row["Intermediate Region Name"],
                        "parent": subregion,
                    },
                )
            fixed = official_names()["country_names"].get(iso3, {})
            names = {
                f"name_{lang}": fixed.get(lang)
                or row[f"{label} Short"]
                or row[f"M49 {label}"]
                or row["Preferred Term"]
                for lang, label in _CSV_LANG.items()
            }
            countries.append(
                {
                    "iso3": iso3,
                    "iso2": row["ISO 3166-1 Alpha 2-Codes"],
                    "m49": _m49(row["m49 numerical code"]),
                    "un_status": status,
                    "formal_name_en": row["English Formal"] or None,
                    "region_code": region,
                    "subregion_code": subregion,
                    "intermediate_code": intermediate,
                    "latitude": float(row["Latitude"]),
                    "longitude": float(row["Longitude"]),
                    **names,
                }
            )
    return regions, countries


def read_bodies() -> list[dict]:
    """The curated UN regional groups and regional organisations."""
    with BODIES_JSON.open(encoding="utf-8") as handle:
        return json.load(handle)["bodies"]


def load_reference_data(session: Session | scoped_session[Any]) -> dict[str, int]:
    """Add any missing regions, countries, bodies and memberships; never overwrite.

    Idempotent: running it twice adds nothing the second time, and rows that an
    administrator edited keep their edits. Returns how many rows of each kind it added.
    """
    added = {
        "regions": 0,
        "countries": 0,
        "bodies": 0,
        "memberships": 0,
        "instruments": 0,
        "capacity categories": 0,
        "lesson themes": 0,
        "templates": 0,
    }
    regions, countries = read_countries()

    known_regions = set(session.scalars(select(Region.code)))
    # Parents first, so the self-referencing foreign key is always satisfied.
    for level in (RegionLevel.REGION, RegionLevel.SUBREGION, RegionLevel.INTERMEDIATE):
        for code, info in sorted(regions.items()):
            if info["level"] == level and code not in known_regions:
                session.add(Region(code=code, level=level, name=info["name"], parent_code=info["parent"]))
                added["regions"] += 1
        session.flush()

    known_countries = set(session.scalars(select(Country.iso3)))
    for info in countries:
        if info["iso3"] not in known_countries:
            session.add(Country(**info))
            added["countries"] += 1
    session.flush()

    known_bodies = set(session.scalars(select(RegionalBody.slug)))
    known_memberships = {
        tuple(row) for row in session.execute(select(Membership.body_slug, Membership.country_iso3))
    }
    for body in read_bodies():
        as_of = date.fromisoformat(body["as_of"])
        if body["slug"] not in known_bodies:
            session.add(
                RegionalBody(
                    slug=body["slug"],
                    kind=BodyKind(body["kind"]),
                    acronym=body["acronym"],
                    name=body["name"],
                    source=body["source"],
                    as_of=as_of,
                    note=body.get("note"),
                    translations=body.get("translations", {}),
                )
            )
            added["bodies"] += 1
            session.flush()
        for entry in body["members"]:
            if (body["slug"], entry["country"]) in known_memberships:
                continue
            # A membership that a decision changed names its own source (and, if it differs, date).
            session.add(
                Membership(
                    body_slug=body["slug"],
                    country_iso3=entry["country"],
                    status=MembershipStatus(entry["status"]),
                    as_of=date.fromisoformat(entry["as_of"]) if "as_of" in entry else as_of,
                    source=entry.get("source", body["source"]),
                    note=entry.get("note"),
                )
            )
            added["memberships"] += 1
    session.flush()

    known_instruments = set(session.scalars(select(Instrument.slug)))
    with INSTRUMENTS_JSON.open(encoding="utf-8") as handle:
        instruments = json.load(handle)["instruments"]
    for position, item in enumerate(instruments, start=1):
        if item["slug"] not in known_instruments:
            session.add(
                Instrument(
                    slug=item["slug"],
                    position=position,
                    name=item["name"],
                    short_name=item["short_name"],
                    body_slug=item.get("body"),
                    translations=item.get("translations", {}),
                )
            )
            added["instruments"] += 1
    session.flush()

    added["capacity categories"] = _add_catalogue(session, CapacityCategory, CAPACITY_JSON, "categories")
    added["lesson themes"] = _add_catalogue(session, LessonTheme, THEMES_JSON, "themes")

    from r2p_network.assessments.services import (
        install_default_template,  # imported here: avoids an import cycle
    )

    added["templates"] = int(install_default_template(session))
    return added


def _add_catalogue(
    session: Session | scoped_session[Any], model: type[CapacityCategory | LessonTheme], path: Path, key: str
) -> int:
    """Add the entries of a slug-keyed catalogue that are missing, in the file's order."""
    known = set(session.scalars(select(model.slug)))
    with path.open(encoding="utf-8") as handle:
        items = json.load(handle)[key]
    added = 0
    for position, item in enumerate(items, start=1):
        if item["slug"] not in known:
            session.add(model(position=position, **item))
            added += 1
    session.flush()
    return added


@dataclass(frozen=True)
class StaleRecord:
    """A membership or treaty record whose as-of date is older than the freshness window."""

    kind: str  # "membership" or "treaty"
    what: str  # e.g. "AU: GIN" or "Rome Statute: PHL"
    status: str
    as_of: date
    source: str


def twelve_months_before(today: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def stale_records(session: Session | scoped_session[Any], cutoff: date) -> list[StaleRecord]:
    """Every membership and treaty record last checked before *cutoff*, oldest first (two queries)."""
    found = [
        StaleRecord("membership", f"{acronym}: {iso3}", status.value, as_of, source)
        for acronym, iso3, status, as_of, source in session.execute(
            select(
                RegionalBody.acronym,
                Membership.country_iso3,
                Membership.status,
                Membership.as_of,
                Membership.source,
            )
            .join(RegionalBody, RegionalBody.slug == Membership.body_slug)
            .where(Membership.as_of < cutoff)
        )
    ]
    found += [
        StaleRecord("treaty", f"{short_name}: {iso3}", status.value, as_of, source)
        for short_name, iso3, status, as_of, source in session.execute(
            select(
                Instrument.short_name,
                TreatyStatus.country_iso3,
                TreatyStatus.status,
                TreatyStatus.as_of,
                TreatyStatus.source,
            )
            .join(Instrument, Instrument.slug == TreatyStatus.instrument_slug)
            .where(TreatyStatus.as_of < cutoff)
        )
    ]
    return sorted(found, key=lambda r: (r.as_of, r.kind, r.what))


# What each kind of reference row shows readers, and so must have in every language.
TRANSLATED_TEXTS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("capacity category", CapacityCategory, ("name", "definition")),
    ("lesson theme", LessonTheme, ("name",)),
    ("regional body", RegionalBody, ("name",)),
    ("instrument", Instrument, ("name", "short_name")),
)


def missing_translations_by_language(session: Session | scoped_session[Any]) -> dict[str, list[str]]:
    """For each language, the reference rows ("lesson theme: sanctions") lacking a translated text.

    One query per kind of row; languages with nothing missing are left out."""
    missing: dict[str, list[str]] = {}
    for kind, model, texts in TRANSLATED_TEXTS:
        for slug, translations in session.execute(
            select(model.slug, model.translations).order_by(model.slug)
        ):
            for lang in missing_translations(translations, texts):
                missing.setdefault(lang, []).append(f"{kind}: {slug}")
    for slug, definition in _latest_template_definitions(session):
        own = definition.get("translations") or {}
        for lang in TRANSLATED_LANGUAGES:
            known = {**shipped_template_translations(lang), **(own.get(lang) or {})}
            untranslated = [text for text in template_texts(definition) if not known.get(text)]
            if untranslated:
                missing.setdefault(lang, []).append(f"template: {slug} ({len(untranslated)} texts)")
    return {lang: missing[lang] for lang in LANGUAGES if lang in missing}


def _latest_template_definitions(session: Session | scoped_session[Any]) -> list[tuple[str, dict]]:
    """(slug, definition) of each template's latest version, in one query."""
    latest = (
        select(TemplateVersion.template_id, func.max(TemplateVersion.number).label("number"))
        .group_by(TemplateVersion.template_id)
        .subquery()
    )
    rows = session.execute(
        select(StrategyTemplate.slug, TemplateVersion.definition)
        .join(latest, latest.c.template_id == StrategyTemplate.id)
        .join(
            TemplateVersion,
            (TemplateVersion.template_id == latest.c.template_id)
            & (TemplateVersion.number == latest.c.number),
        )
        .order_by(StrategyTemplate.slug)
    )
    return [(slug, definition) for slug, definition in rows]
