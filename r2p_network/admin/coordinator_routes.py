"""Regional coordinators: administrators grant and revoke the role over one scope."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.admin import bp
from r2p_network.admin.coordinator_services import grant_coordinator, revoke_coordinator
from r2p_network.admin.forms import CoordinatorForm
from r2p_network.admin.queries import current_coordinators, member_by_email
from r2p_network.core.errors import StateError
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.geography import scope_names
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import CoordinatorGrant, ScopeKind
from r2p_network.permissions import Capability, requires


@bp.route("/coordinators", methods=["GET", "POST"])
@requires(Capability.MANAGE_MEMBERS)
def coordinators() -> ResponseReturnValue:
    """Who coordinates which region, group or organisation; the form to name another."""
    scopes = scope_names()
    form = CoordinatorForm(scopes=scopes)
    status = 200
    if form.validate_on_submit():
        member = member_by_email(form.email.data or "")
        kind, key = (form.scope.data or "").split(":", 1)
        if member is None:
            form.email.errors.append(_("No active member has this email address."))
        else:
            try:
                grant_coordinator(member, ScopeKind(kind), key, current_user)
            except StateError:
                form.scope.errors.append(_("This member already coordinates this scope."))
            else:
                commit()
                flash(
                    _("%(name)s now coordinates %(scope)s.", name=member.name, scope=scopes[form.scope.data]),
                    "success",
                )
                return redirect(url_for("admin.coordinators"))
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "admin/coordinators.html",
        form=form,
        rows=current_coordinators(),
        scopes=scopes,
        confirm=ConfirmForm(),
    ), status


@bp.route("/coordinators/<int:grant_id>/revoke", methods=["POST"])
@requires(Capability.MANAGE_MEMBERS)
def revoke(grant_id: int) -> ResponseReturnValue:
    grant = db.get_or_404(CoordinatorGrant, grant_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        revoke_coordinator(grant, current_user)
    except StateError:
        flash(_("This grant was already revoked."), "info")
        return redirect(url_for("admin.coordinators"))
    commit()
    flash(_("The coordinator role is revoked."), "success")
    return redirect(url_for("admin.coordinators"))
