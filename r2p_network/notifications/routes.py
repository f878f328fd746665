"""A member's notifications."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from r2p_network.core.forms import ConfirmForm
from r2p_network.core.transaction import commit
from r2p_network.notifications import bp
from r2p_network.notifications.queries import latest
from r2p_network.notifications.services import mark_all_read, message


@bp.route("/")
def index() -> ResponseReturnValue:
    items = [(n, message(n)) for n in latest(current_user.id)]
    return render_template("notifications/index.html", items=items, confirm=ConfirmForm())


@bp.route("/read", methods=["POST"])
def read_all() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    mark_all_read(current_user.id)
    commit()
    return redirect(url_for("notifications.index"))
