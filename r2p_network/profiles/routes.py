"""My profile, the directory and member profiles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.account.services import set_preferences
from r2p_network.core import audit, ratelimit
from r2p_network.core.exports import csv_response
from r2p_network.core.forms import valid_values
from r2p_network.core.geography import filter_options
from r2p_network.core.i18n import SESSION_LANGUAGE
from r2p_network.core.transaction import commit
from r2p_network.models import ContactVisibility
from r2p_network.permissions import can_export_directory, can_see_contact, requires
from r2p_network.profiles import bp
from r2p_network.profiles.forms import DirectoryFilterForm, ProfileForm
from r2p_network.profiles.queries import DirectoryFilters, directory, directory_export_rows, profile_view
from r2p_network.profiles.services import ProfileChanges, update_profile

FILTER_FIELDS = ("q", "region", "group", "org", "network", "language", "expertise")


@bp.route("/profile", methods=["GET", "POST"])
def my_profile() -> ResponseReturnValue:
    view = profile_view(current_user.id)
    if view is None:
        # Administrators without a focal-point seat have no profile to edit.
        flash(_("Your account has no focal-point profile."), "info")
        return redirect(url_for("main.index"))
    profile = view.profile
    preferences = {"language": current_user.language, "time_zone": current_user.time_zone}
    form = ProfileForm(
        data=preferences
        | (
            {
                "name": view.name,
                "title": profile.title,
                "institution": profile.institution,
                "languages": view.languages,
                "expertise": view.expertise,
                "bio": profile.bio,
                "contact_email": profile.contact_email,
                "contact_email_visibility": profile.contact_email_visibility.value,
                "phone": profile.phone,
                "phone_visibility": profile.phone_visibility.value,
                "messaging": profile.messaging,
                "messaging_visibility": profile.messaging_visibility.value,
                "in_post": profile.in_post,
            }
            if request.method == "GET"
            else {}
        )
    )
    if form.validate_on_submit():
        update_profile(
            current_user,
            profile,
            ProfileChanges(
                name=form.name.data,
                title=form.title.data,
                institution=form.institution.data,
                languages=frozenset(form.languages.data or ()),
                expertise=frozenset(form.expertise.data or ()),
                bio=form.bio.data or "",
                contact_email=form.contact_email.data or "",
                contact_email_visibility=ContactVisibility(form.contact_email_visibility.data),
                phone=form.phone.data or "",
                phone_visibility=ContactVisibility(form.phone_visibility.data),
                messaging=form.messaging.data or "",
                messaging_visibility=ContactVisibility(form.messaging_visibility.data),
                in_post=form.in_post.data,
            ),
        )
        set_preferences(current_user, form.language.data, form.time_zone.data)
        commit()
        session[SESSION_LANGUAGE] = form.language.data
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("profiles.my_profile"))
    return render_template("profiles/edit.html", form=form, view=view)


def _filters() -> tuple[DirectoryFilterForm, DirectoryFilters, int]:
    form = DirectoryFilterForm(request.args, options=filter_options())
    form.validate()
    values = valid_values(form, (*FILTER_FIELDS, "page"))
    page = values.pop("page") or 1
    return form, DirectoryFilters(**{name: value or "" for name, value in values.items()}), page


@bp.route("/focal-points/")
def index() -> ResponseReturnValue:
    form, filters, page = _filters()
    if filters.q:
        ratelimit.enforce("search", ratelimit.requester())
        commit()
    result = directory(filters, page)
    query = {name: getattr(filters, name) for name in FILTER_FIELDS if getattr(filters, name)}
    return render_template("profiles/directory.html", form=form, result=result, query=query)


@bp.route("/focal-points/export.csv")
@requires(can_export_directory)
def directory_export() -> ResponseReturnValue:
    _form, filters, _page = _filters()
    ratelimit.enforce("export", ratelimit.requester())
    audit.record(
        "export.directory", actor_id=current_user.id, filters={k: v for k, v in vars(filters).items() if v}
    )
    commit()
    header = [
        _("ISO code"),
        _("Country"),
        _("Network"),
        _("Name"),
        _("Title or position"),
        _("Institution"),
        _("Email"),
        _("Telephone"),
    ]
    return csv_response("focal-points.csv", header, directory_export_rows(filters))


@bp.route("/focal-points/<int:user_id>")
def detail(user_id: int) -> ResponseReturnValue:
    view = profile_view(user_id)
    if view is None:
        abort(404)
    restricted = [
        name
        for name, _value, visibility in view.contacts()
        if visibility == ContactVisibility.ADMINS and can_see_contact(current_user, view.user_id, visibility)
    ]
    if restricted and current_user.id != view.user_id:
        audit.record(
            "profile.restricted_contacts_viewed",
            actor_id=current_user.id,
            object_type="user",
            object_id=view.user_id,
            fields=restricted,
        )
        commit()
    return render_template("profiles/detail.html", view=view)
