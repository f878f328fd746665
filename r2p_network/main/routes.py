"""Landing page, health check and language choice."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, jsonify, redirect, render_template, session
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from r2p_network.account.services import set_preferences
from r2p_network.core.i18n import SESSION_LANGUAGE
from r2p_network.core.transaction import commit
from r2p_network.events.queries import open_actions, registered_events
from r2p_network.extensions import db
from r2p_network.mail.queries import outbox_health
from r2p_network.main import bp
from r2p_network.main.forms import LanguageForm
from r2p_network.main.queries import network_summary
from r2p_network.models import utcnow
from r2p_network.permissions import is_member, public, safe_next

log = logging.getLogger(__name__)


@bp.route("/")
@public
def index() -> ResponseReturnValue:
    return render_template(
        "main/index.html",
        summary=network_summary(),
        actions=open_actions(current_user),
        upcoming=registered_events(current_user.id, since=utcnow()) if is_member(current_user) else [],
    )


@bp.route("/healthz")
@public
def healthz() -> ResponseReturnValue:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    # A stuck outbox (no worker running) is reported but does not take this host out of service.
    stuck = outbox_health(timedelta(minutes=current_app.config["MAIL_STUCK_MINUTES"])).stuck
    return jsonify(status="ok", database="ok", outbox="stuck" if stuck else "ok")


@bp.route("/language", methods=["POST"])
@public
def set_language() -> ResponseReturnValue:
    """Switch the interface language; a signed-in member's own language (for emails too) follows."""
    form = LanguageForm()
    if form.validate_on_submit():
        session[SESSION_LANGUAGE] = form.lang.data
        if current_user.is_authenticated and current_user.language != form.lang.data:
            set_preferences(current_user, form.lang.data, current_user.time_zone)
            commit()
    return redirect(safe_next(form.next.data))
