"""An organisation's own part of its regional page: its focal points and the profile of its
prevention mechanisms (reads here; the one write is in ``regions.organisation_services``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from r2p_network.core.membership import holds_seat
from r2p_network.extensions import db
from r2p_network.models import FocalPointProfile, OrganisationProfile, SeatKind, User

# The mechanisms a profile describes, in the order the page shows them.
MECHANISMS = {
    "early_warning": _l("Early-warning system"),
    "mediation": _l("Panel of the wise or mediation body"),
    "human_rights": _l("Human-rights commission or court"),
    "standby": _l("Standby capacity"),
}


@dataclass(frozen=True)
class OrganisationFocalPoint:
    user_id: int
    name: str
    title: str
    institution: str


def organisation_focal_points(slug: str) -> list[OrganisationFocalPoint]:
    """The organisation's focal points in post, by name, in one query."""
    rows = db.session.execute(
        select(User.id, User.name, FocalPointProfile.title, FocalPointProfile.institution)
        .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
        .where(
            FocalPointProfile.seat == SeatKind.ORGANISATION,
            FocalPointProfile.organisation_slug == slug,
            holds_seat(),
        )
        .order_by(User.name, User.id)
    )
    return [OrganisationFocalPoint(*row) for row in rows]


def organisation_profile(slug: str) -> OrganisationProfile | None:
    return db.session.get(OrganisationProfile, slug)
