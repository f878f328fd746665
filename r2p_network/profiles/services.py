"""Changes to profiles. Services add and flush; the route commits once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from r2p_network.core import audit
from r2p_network.extensions import db
from r2p_network.models import (
    ContactVisibility,
    FocalPointProfile,
    ProfileExpertise,
    ProfileLanguage,
    User,
    utcnow,
)


@dataclass(frozen=True)
class ProfileChanges:
    """What a member may change about themselves; nothing else reaches the model."""

    name: str
    title: str
    institution: str
    languages: frozenset[str]
    expertise: frozenset[str]
    bio: str
    contact_email: str
    contact_email_visibility: ContactVisibility
    phone: str
    phone_visibility: ContactVisibility
    messaging: str
    messaging_visibility: ContactVisibility
    in_post: bool


def _replace_tags(
    model: type[ProfileLanguage] | type[ProfileExpertise], column: str, user_id: int, wanted: frozenset[str]
) -> None:
    attr = getattr(model, column)
    current = set(db.session.scalars(select(attr).where(model.user_id == user_id)))
    if current - wanted:
        db.session.execute(delete(model).where(model.user_id == user_id, attr.in_(current - wanted)))
    db.session.add_all(model(user_id=user_id, **{column: value}) for value in sorted(wanted - current))


def update_profile(user: User, profile: FocalPointProfile, changes: ProfileChanges) -> None:
    """Save a member's own profile, recording when they leave or return to the post."""
    user.name = changes.name.strip()
    profile.title = changes.title.strip()
    profile.institution = changes.institution.strip()
    profile.bio = changes.bio.strip()
    profile.contact_email = changes.contact_email.strip().lower()
    profile.contact_email_visibility = changes.contact_email_visibility
    profile.phone = changes.phone.strip()
    profile.phone_visibility = changes.phone_visibility
    profile.messaging = changes.messaging.strip()
    profile.messaging_visibility = changes.messaging_visibility
    if profile.in_post and not changes.in_post:
        profile.left_post_at = utcnow()
        audit.record("profile.left_post", actor_id=user.id, object_type="user", object_id=user.id)
    elif changes.in_post and not profile.in_post:
        profile.left_post_at = None
        audit.record("profile.returned_to_post", actor_id=user.id, object_type="user", object_id=user.id)
    profile.in_post = changes.in_post
    _replace_tags(ProfileLanguage, "code", user.id, changes.languages)
    _replace_tags(ProfileExpertise, "area", user.id, changes.expertise)
    db.session.flush()
