"""The first-run welcome: after the first sign-in following approval, three short steps with progress."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from r2p_network.account import bp
from r2p_network.account.queries import welcome_steps
from r2p_network.account.services import finish_welcome
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import FocalPointProfile
from r2p_network.permissions import has_powers, is_safe_next, safe_next


def _steps() -> list:
    profile = db.session.scalar(select(FocalPointProfile).where(FocalPointProfile.user_id == current_user.id))
    # Coordinators and administrators hold powers that need the second factor: for them it is required.
    return welcome_steps(current_user, profile, two_factor_required=has_powers(current_user))


@bp.route("/welcome")
def welcome() -> ResponseReturnValue:
    steps = _steps()
    next_url = request.args.get("next")
    return render_template(
        "account/welcome.html",
        steps=steps,
        done=sum(step.done for step in steps),
        next_url=next_url if is_safe_next(next_url) else None,
        form=ConfirmForm(),
    )


@bp.route("/welcome/done", methods=["POST"])
def welcome_done() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    next_url = request.args.get("next")
    if any(step.required and not step.done for step in _steps()):
        flash(_("Turn on two-factor sign-in first: your role needs it."), "error")
        return redirect(url_for("account.welcome", next=next_url if is_safe_next(next_url) else None))
    finish_welcome(current_user)
    commit()
    flash(_("Welcome to the network."), "success")
    return redirect(safe_next(next_url))
