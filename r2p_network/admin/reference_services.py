"""Changes to reference data by administrators. Services add and flush; the route commits once."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from r2p_network.core import audit
from r2p_network.core.i18n import clean_translations
from r2p_network.extensions import db
from r2p_network.models import (
    CapacityCategory,
    LessonTheme,
    Membership,
    MembershipStatus,
    RegionalBody,
    StrategyTemplate,
    TemplateVersion,
    User,
)


def publish_template_version(
    template: StrategyTemplate,
    definition: dict[str, Any],
    admin: User | None,
    session: Session | scoped_session[Any] | None = None,
) -> TemplateVersion:
    """Add the next version of a template; older versions and their assessments stay as they are.

    *admin* is None when ``flask reference load`` publishes a template shipped with the
    platform, in the loader's *session*; the audit trail records what administrators publish."""
    session = session or db.session
    latest = select(func.max(TemplateVersion.number)).where(TemplateVersion.template_id == template.id)
    number = (session.scalar(latest) or 0) + 1
    version = TemplateVersion(
        template_id=template.id,
        number=number,
        definition=definition,
        published_by_id=admin.id if admin else None,
    )
    session.add(version)
    session.flush()
    if admin is not None:
        audit.record(
            "template.published",
            actor_id=admin.id,
            object_type="template",
            object_id=template.slug,
            version=number,
        )
    return version


def save_membership(
    body: RegionalBody,
    iso3: str,
    status: MembershipStatus,
    as_of: date,
    source: str,
    note: str | None,
    admin: User,
) -> Membership:
    """Add a country to a regional body, or update its status, date, source and note."""
    membership = db.session.scalar(
        select(Membership).where(Membership.body_slug == body.slug, Membership.country_iso3 == iso3)
    )
    before = membership.status.value if membership else None
    if membership is None:
        membership = Membership(body_slug=body.slug, country_iso3=iso3)
        db.session.add(membership)
    membership.status = status
    membership.as_of = as_of
    membership.source = source.strip()
    membership.note = note.strip() if note else None
    db.session.flush()
    audit.record(
        "reference.membership_saved",
        actor_id=admin.id,
        object_type="regional_body",
        object_id=body.slug,
        country=iso3,
        before=before,
        after=status.value,
    )
    return membership


def remove_membership(membership: Membership, admin: User) -> None:
    audit.record(
        "reference.membership_removed",
        actor_id=admin.id,
        object_type="regional_body",
        object_id=membership.body_slug,
        country=membership.country_iso3,
    )
    db.session.delete(membership)
    db.session.flush()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "category"


def save_catalogue_item(
    model: type[CapacityCategory | LessonTheme],
    item: CapacityCategory | LessonTheme | None,
    admin: User,
    *,
    name: str,
    active: bool,
    translations: dict[str, dict[str, str | None]] | None = None,
    **texts: str,
) -> None:
    """Create a capacity category or lesson theme at the end of its catalogue, or edit one.

    Its slug never changes, so what was filed under it stays filed there.
    """
    if item is None:
        slug, n = _slug(name), 1
        while db.session.scalar(select(model.id).where(model.slug == slug)):
            n += 1
            slug = f"{_slug(name)[:56]}-{n}"
        position = (db.session.scalar(select(func.max(model.position))) or 0) + 1
        item = model(slug=slug, position=position)
        db.session.add(item)
    item.name = name.strip()
    item.active = active
    for column, value in texts.items():
        setattr(item, column, value.strip())
    if translations is not None:
        item.translations = clean_translations(translations)
    db.session.flush()
    audit.record(
        f"reference.{model.__tablename__}_saved",
        actor_id=admin.id,
        object_type=model.__tablename__,
        object_id=item.slug,
    )


def save_body_names(body: RegionalBody, translations: dict[str, dict[str, str | None]], admin: User) -> None:
    """Replace the translations of a regional group's or organisation's name (blanks fall back to English)."""
    body.translations = clean_translations(translations)
    db.session.flush()
    audit.record(
        "reference.regional_body_names_saved",
        actor_id=admin.id,
        object_type="regional_body",
        object_id=body.slug,
        languages=sorted(body.translations),
    )
