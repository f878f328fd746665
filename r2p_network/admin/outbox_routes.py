"""The outbox for administrators: queued, sent and failed mail with its errors, and retrying it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.admin import bp
from r2p_network.core import audit, outbox
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.pagination import page_count
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.mail.queries import OUTBOX_PER_PAGE, job_runs, outbox_counts, outbox_page
from r2p_network.models import OutboxMessage, OutboxStatus
from r2p_network.permissions import Capability, requires


@bp.route("/outbox")
@requires(Capability.MANAGE_OUTBOX)
def outbox_list() -> ResponseReturnValue:
    try:
        status = OutboxStatus(request.args["status"]) if request.args.get("status") else None
    except ValueError:
        status = None
    page = request.args.get("page", 1, type=int) or 1
    rows, total, page = outbox_page(status, page)
    return render_template(
        "admin/outbox.html",
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, OUTBOX_PER_PAGE),
        status=status,
        statuses=list(OutboxStatus),
        counts=outbox_counts(),
        jobs=job_runs(),
        query={"status": status.value} if status else {},
        retry_form=ConfirmForm(),
    )


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@requires(Capability.MANAGE_OUTBOX)
def outbox_retry(message_id: int) -> ResponseReturnValue:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    if not ConfirmForm().validate_on_submit() or message.status != OutboxStatus.FAILED:
        abort(400)
    outbox.retry(message)
    audit.record("mail.retried", actor_id=current_user.id, object_type="outbox_message", object_id=message.id)
    commit()
    flash(_("The message to %(email)s is queued again.", email=message.to_address), "success")
    return redirect(url_for("admin.outbox_list", status=OutboxStatus.FAILED.value))
