"""Landing page, health check and language choice."""

from __future__ import annotations

import logging

from flask import jsonify, redirect, render_template, session
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from r2p_network.extensions import db
from r2p_network.main import bp
from r2p_network.main.forms import LanguageForm
from r2p_network.main.queries import network_summary
from r2p_network.permissions import public, safe_next

log = logging.getLogger(__name__)


@bp.route("/")
@public
def index() -> ResponseReturnValue:
    return render_template("main/index.html", summary=network_summary())


@bp.route("/healthz")
@public
def healthz() -> ResponseReturnValue:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/language", methods=["POST"])
@public
def set_language() -> ResponseReturnValue:
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data))
