"""An organisation's page: its regional view, its focal points and its prevention mechanisms."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from r2p_network.core.transaction import commit
from r2p_network.permissions import can_edit_organisation_profile, is_member
from r2p_network.regions import bp
from r2p_network.regions.forms import OrganisationProfileForm
from r2p_network.regions.organisation_services import save_organisation_profile
from r2p_network.regions.organisations import MECHANISMS, organisation_focal_points, organisation_profile
from r2p_network.regions.queries import Place, find_place


def organisation_page(place: Place, body: Markup) -> ResponseReturnValue:
    """The cached regional view, followed by what concerns the organisation itself."""
    member = is_member(current_user)
    return render_template(
        "regions/organisation.html",
        place=place,
        body=body,
        profile=organisation_profile(place.key),
        mechanisms=MECHANISMS,
        focal_points=organisation_focal_points(place.key) if member else [],
        member=member,
        can_edit=can_edit_organisation_profile(current_user, place.key),
    )


@bp.route("/orgs/<key>/mechanisms", methods=["GET", "POST"])
def edit_mechanisms(key: str) -> ResponseReturnValue:
    place = find_place("orgs", key)
    if place is None:
        abort(404)
    if not can_edit_organisation_profile(current_user, key):
        abort(403)
    profile = organisation_profile(key)
    form = OrganisationProfileForm(obj=profile)
    if form.validate_on_submit():
        save_organisation_profile(key, form.texts(), current_user)
        commit()
        flash(_("The profile of %(organisation)s is saved.", organisation=place.acronym), "success")
        return redirect(url_for("regions.detail", kind="orgs", key=key))
    return render_template(
        "regions/mechanisms_edit.html", place=place, form=form
    ), 400 if form.errors else 200
