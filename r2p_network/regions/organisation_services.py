"""Saving an organisation's profile of its prevention mechanisms. Flushes; the route commits."""

from __future__ import annotations

from r2p_network.core import audit
from r2p_network.extensions import db
from r2p_network.models import OrganisationProfile, User
from r2p_network.regions.organisations import MECHANISMS


def save_organisation_profile(slug: str, texts: dict[str, str], editor: User) -> OrganisationProfile:
    """Write the profile's texts (audited: which fields changed, never their text)."""
    profile = db.session.get(OrganisationProfile, slug) or OrganisationProfile(slug=slug)
    changed = [name for name in MECHANISMS if (getattr(profile, name) or "") != texts.get(name, "").strip()]
    for name in MECHANISMS:
        setattr(profile, name, texts.get(name, "").strip())
    profile.updated_by_id = editor.id
    db.session.add(profile)
    db.session.flush()
    audit.record(
        "organisation.profile_saved",
        actor_id=editor.id,
        object_type="organisation",
        object_id=slug,
        fields=changed,
    )
    return profile
