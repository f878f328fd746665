"""Administration views. Every view here is for administrators only."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from r2p_network.admin import bp
from r2p_network.admin.forms import (
    ApproveRequestForm,
    AuditFilterForm,
    MemberFilterForm,
    RejectRequestForm,
    RoleForm,
)
from r2p_network.admin.queries import (
    AUDIT_PER_PAGE,
    MEMBERS_PER_PAGE,
    AuditFilters,
    audit_actions,
    audit_page,
    audit_rows,
    dashboard,
    members_page,
    pending_access_requests,
    regional_bodies,
    templates,
)
from r2p_network.admin.services import (
    LastAdministrator,
    approve_request,
    change_role,
    reject_request,
    set_active,
)
from r2p_network.auth import twofactor
from r2p_network.auth.services import send_password_reset
from r2p_network.auth.sessions import end_all_sessions
from r2p_network.core import audit, ratelimit
from r2p_network.core.errors import StateError
from r2p_network.core.exports import csv_response
from r2p_network.core.forms import ConfirmForm, country_choices, valid_values
from r2p_network.core.geography import filter_options
from r2p_network.core.labels import label
from r2p_network.core.pagination import page_count
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import AccessRequest, Network, Role, SeatKind, User
from r2p_network.notifications.services import notify
from r2p_network.permissions import (
    Capability,
    Scope,
    can_administer,
    can_edit_reference_data,
    can_manage_members,
    can_read_audit_log,
    can_review_access_requests,
    holds_anywhere,
    refuse,
    requires,
    seat_scope,
)


@bp.before_request
def _powers_only() -> ResponseReturnValue | None:
    """Guard the whole blueprint: only members who may use an administrative power in this session
    (second factor proved) get in; each view then requires its own capability."""
    if not can_administer(current_user):
        return refuse()
    return None


@bp.route("/users/<int:user_id>/reset-2fa", methods=["POST"])
@requires(Capability.MANAGE_MEMBERS)
def reset_two_factor(user_id: int) -> ResponseReturnValue:
    """After a lost device: turn the member's two-factor sign-in off (audited) so they can enrol again."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    twofactor.disable(user, current_user)
    end_all_sessions(user.id)
    notify(user.id, "two_factor_reset", url_for("account.two_factor_setup"))
    commit()
    flash(_("Two-factor sign-in of %(name)s is reset; they can enrol again.", name=user.name), "success")
    return redirect(url_for("profiles.detail", user_id=user.id))


def _load_request(request_id: int) -> AccessRequest:
    request = db.session.get(
        AccessRequest,
        request_id,
        options=[selectinload(AccessRequest.user).selectinload(User.profile)],
    )
    if request is None or request.user.profile is None or request.user.profile.country_iso3 is None:
        abort(404)
    if not can_review_access_requests(current_user, Scope.country(request.user.profile.country_iso3)):
        abort(404)
    return request


@bp.route("/access-requests")
@requires(Capability.REVIEW_ACCESS_REQUESTS)
def access_requests() -> ResponseReturnValue:
    requests = pending_access_requests(current_user)
    countries = country_choices()
    organisations = filter_options().organisations
    forms = {
        r.id: (
            ApproveRequestForm(
                prefix=f"a{r.id}",
                countries=countries,
                organisations=organisations,
                data={"country": r.country_iso3, "network": r.network.value},
            ),
            RejectRequestForm(prefix=f"r{r.id}"),
        )
        for r in requests
    }
    return render_template("admin/access_requests.html", requests=requests, forms=forms)


@bp.route("/access-requests/<int:request_id>/approve", methods=["POST"])
@requires(Capability.REVIEW_ACCESS_REQUESTS)
def approve(request_id: int) -> ResponseReturnValue:
    request = _load_request(request_id)
    form = ApproveRequestForm(prefix=f"a{request_id}", organisations=filter_options().organisations)
    if not form.validate_on_submit():
        flash(_("Choose a country and a network to approve the request."), "error")
        return redirect(url_for("admin.access_requests"))
    seat, slug = form.organisation()
    if seat != SeatKind.COUNTRY and not can_review_access_requests(current_user, seat_scope(seat, slug)):
        abort(403)
    name = request.user.name
    try:
        approve_request(request, current_user, form.country.data, Network(form.network.data), (seat, slug))
    except StateError:
        flash(_("This request was already decided."), "info")
        return redirect(url_for("admin.access_requests"))
    if commit():
        flash(_("%(name)s is approved; the email telling them is sent.", name=name), "success")
    else:
        flash(_("%(name)s is approved; the email telling them is queued.", name=name), "success")
    return redirect(url_for("admin.access_requests"))


@bp.route("/access-requests/<int:request_id>/reject", methods=["POST"])
@requires(Capability.REVIEW_ACCESS_REQUESTS)
def reject(request_id: int) -> ResponseReturnValue:
    request = _load_request(request_id)
    form = RejectRequestForm(prefix=f"r{request_id}")
    if not form.validate_on_submit():
        flash(_("Give a reason of at least 5 characters to reject a request."), "error")
        return redirect(url_for("admin.access_requests"))
    name = request.user.name
    try:
        reject_request(request, current_user, form.reason.data)
    except StateError:
        flash(_("This request was already decided."), "info")
        return redirect(url_for("admin.access_requests"))
    if commit():
        flash(
            _("The request from %(name)s is rejected; the email telling them why is sent.", name=name),
            "success",
        )
    else:
        flash(
            _("The request from %(name)s is rejected; the email telling them why is queued.", name=name),
            "success",
        )
    return redirect(url_for("admin.access_requests"))


@bp.route("/")
def index() -> ResponseReturnValue:
    powers = {
        "requests": holds_anywhere(current_user, Capability.REVIEW_ACCESS_REQUESTS),
        "moderation": holds_anywhere(current_user, Capability.MODERATE_LESSONS),
        "capacity": holds_anywhere(current_user, Capability.VERIFY_CAPACITY),
        "members": can_manage_members(current_user),
        "audit": can_read_audit_log(current_user),
        "reference": can_edit_reference_data(current_user),
    }
    reference = powers["reference"]
    return render_template(
        "admin/index.html",
        board=dashboard(current_user),
        powers=powers,
        templates=templates() if reference else [],
        bodies=regional_bodies() if reference else [],
    )


@bp.route("/users")
@requires(Capability.MANAGE_MEMBERS)
def users() -> ResponseReturnValue:
    form = MemberFilterForm(request.args)
    form.validate()
    value = {name: v or "" for name, v in valid_values(form, ("q", "role", "status")).items()}
    page = valid_values(form, ("page",))["page"] or 1
    rows, total, page = members_page(value["q"], value["role"], value["status"], page)
    return render_template(
        "admin/users.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, MEMBERS_PER_PAGE),
        query={k: v for k, v in value.items() if v},
        role_forms={
            r.id: RoleForm(prefix=f"u{r.id}", formdata=None, data={"role": r.role.value}) for r in rows
        },
    )


def _member(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    return user


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@requires(Capability.MANAGE_MEMBERS)
def change_user_role(user_id: int) -> ResponseReturnValue:
    user = _member(user_id)
    form = RoleForm(prefix=f"u{user_id}")
    if not form.validate_on_submit():
        abort(400)
    try:
        change_role(user, Role(form.role.data), current_user)
    except LastAdministrator:
        flash(_("You cannot remove your own administrator role, nor the last administrator's."), "error")
        return redirect(url_for("admin.users"))
    commit()
    flash(_("%(name)s is now: %(role)s.", name=user.name, role=label(user.role)), "success")
    return redirect(url_for("admin.users", q=user.email))


@bp.route("/users/<int:user_id>/<any(deactivate, reactivate):action>", methods=["POST"])
@requires(Capability.MANAGE_MEMBERS)
def change_user_status(user_id: int, action: str) -> ResponseReturnValue:
    user = _member(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        set_active(user, action == "reactivate", current_user)
    except LastAdministrator:
        flash(_("The last active administrator cannot be deactivated."), "error")
        return redirect(url_for("admin.users"))
    commit()
    flash(_("%(name)s: %(status)s.", name=user.name, status=label(user.status)), "success")
    return redirect(url_for("admin.users", q=user.email))


@bp.route("/users/<int:user_id>/send-reset", methods=["POST"])
@requires(Capability.MANAGE_MEMBERS)
def send_reset(user_id: int) -> ResponseReturnValue:
    user = _member(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    send_password_reset(user.email)
    audit.record(
        "password.reset_sent_by_admin", actor_id=current_user.id, object_type="user", object_id=user.id
    )
    if commit():
        flash(_("A password-reset link is sent to %(email)s.", email=user.email), "info")
    else:
        flash(
            _("A password-reset link to %(email)s is queued, if the account is active.", email=user.email),
            "info",
        )
    return redirect(url_for("admin.users", q=user.email))


def _audit_filters() -> tuple[AuditFilterForm, AuditFilters, int]:
    form = AuditFilterForm(request.args)
    form.validate()
    values = valid_values(
        form, ("actor", "action", "object_type", "object_id", "date_from", "date_to", "page")
    )
    page = values.pop("page") or 1
    texts = {name: value or "" for name, value in values.items() if not name.startswith("date")}
    return form, AuditFilters(**texts, date_from=values["date_from"], date_to=values["date_to"]), page


@bp.route("/audit")
@requires(Capability.READ_AUDIT_LOG)
def audit_log() -> ResponseReturnValue:
    form, filters, page = _audit_filters()
    rows, total, page = audit_page(filters, page)
    return render_template(
        "admin/audit.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, AUDIT_PER_PAGE),
        query=filters.as_query(),
        actions=audit_actions(),
    )


@bp.route("/audit/export.csv")
@requires(Capability.READ_AUDIT_LOG)
def audit_export() -> ResponseReturnValue:
    _form, filters, _page = _audit_filters()
    ratelimit.enforce("export", ratelimit.requester())
    audit.record("export.audit", actor_id=current_user.id, filters=filters.as_query())
    commit()
    header = [
        "id",
        "when",
        "actor",
        "actor_email",
        "action",
        "object_type",
        "object_id",
        "ip_address",
        "detail",
    ]
    rows = (
        [
            r.id,
            r.created_at.isoformat(),
            r.actor_name or "",
            r.actor_email or "",
            r.action,
            r.object_type or "",
            r.object_id or "",
            r.ip_address,
            json.dumps(r.detail, ensure_ascii=False, sort_keys=True),
        ]
        for r in audit_rows(filters)
    )
    return csv_response("audit-log.csv", header, rows)
