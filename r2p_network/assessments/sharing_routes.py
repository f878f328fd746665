"""A team shares a submitted version with chosen readers, sees who can read it, and withdraws shares."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.assessments import bp
from r2p_network.assessments.access import own_version
from r2p_network.assessments.sharing_forms import ShareForm
from r2p_network.assessments.sharing_queries import version_shares
from r2p_network.assessments.sharing_services import share_version, withdraw_share
from r2p_network.core.errors import StateError
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.geography import filter_options, scope_names
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import VersionShare
from r2p_network.reviews.queries import version_reviews


@bp.route("/<int:assessment_id>/versions/<int:number>/sharing", methods=["GET", "POST"])
def sharing(assessment_id: int, number: int) -> ResponseReturnValue:
    """Who can read the version, and the form to share it with one more audience."""
    assessment, version = own_version(assessment_id, number)
    scopes = scope_names()
    form = ShareForm(organisations=filter_options().organisations, scopes=scopes)
    status = 200
    if form.validate_on_submit():
        kind, key = form.chosen()
        try:
            share_version(assessment, version, kind, key, current_user)
        except StateError:
            form.audience.errors.append(
                _("The version is already shared with them, or they are your own team.")
            )
        else:
            commit()
            flash(_("Version %(n)d is shared.", n=number), "success")
            return redirect(url_for("assessments.sharing", assessment_id=assessment_id, number=number))
    if form.is_submitted():
        status = 400
    return render_template(
        "assessments/sharing.html",
        assessment=assessment,
        version=version,
        shares=version_shares(version.id),
        reviews=version_reviews(version.id),
        form=form,
        confirm=ConfirmForm(),
    ), status


@bp.route("/<int:assessment_id>/versions/<int:number>/sharing/<int:share_id>/withdraw", methods=["POST"])
def withdraw(assessment_id: int, number: int, share_id: int) -> ResponseReturnValue:
    assessment, version = own_version(assessment_id, number)
    share = db.session.get(VersionShare, share_id)
    if share is None or share.version_id != version.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        withdraw_share(assessment, share, current_user)
    except StateError:
        flash(_("This share was already withdrawn."), "info")
    else:
        commit()
        flash(_("The share is withdrawn."), "success")
    return redirect(url_for("assessments.sharing", assessment_id=assessment_id, number=number))
