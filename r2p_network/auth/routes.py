"""Views for requesting access, signing in and out, and resetting a password."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from r2p_network.auth import bp
from r2p_network.auth.forms import (
    LoginForm,
    NewPasswordForm,
    RegisterForm,
    ResetRequestForm,
    SecondFactorForm,
)
from r2p_network.auth.queries import second_factor_wait
from r2p_network.auth.services import (
    AccessRequestData,
    LoginOutcome,
    authenticate,
    clear_second_factor_failures,
    record_second_factor_failure,
    request_access,
    send_password_reset,
    set_password,
    user_for_reset_token,
)
from r2p_network.auth.sessions import begin_second_factor, end_session, pending_second_factor, start_session
from r2p_network.auth.twofactor import CodeCheck, verify_second_factor
from r2p_network.core import audit, ratelimit, recovery
from r2p_network.core.audit import client_ip
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.ratelimit import describe_wait
from r2p_network.core.transaction import commit, discard
from r2p_network.models import Network, User
from r2p_network.permissions import is_safe_next, public, safe_next


@bp.route("/register", methods=["GET", "POST"])
@public
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        ratelimit.enforce("access_request", f"ip:{client_ip()}")
        data = AccessRequestData(
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            country_iso3=form.country.data,
            network=Network(form.network.data),
            title=form.title.data,
            institution=form.institution.data,
            justification=form.justification.data,
            language=form.language.data,
            time_zone=form.time_zone.data,
        )
        try:
            request_access(data)
            commit()
        except IntegrityError:
            # The same request sent twice at once: the first one stands, the answer is the same.
            discard()
        return redirect(url_for("auth.register_done"))
    return render_template("auth/register.html", form=form)


@bp.route("/register/done")
@public
def register_done() -> ResponseReturnValue:
    return render_template("auth/register_done.html")


# Status, message and style for each refused sign-in (a throttled one names its wait).
# Unknown accounts and wrong passwords share one answer, so the form never reveals who has an account.
LOGIN_REFUSALS: dict[LoginOutcome, tuple[int, Callable[[], str], str]] = {
    LoginOutcome.INVALID: (401, lambda: _("The email address or password is not correct."), "error"),
    LoginOutcome.PENDING: (
        403,
        lambda: _("Your request to join is waiting for an administrator. We will email you the decision."),
        "info",
    ),
    LoginOutcome.INACTIVE: (
        403,
        lambda: _("This account is not active. Contact the network secretariat."),
        "error",
    ),
}


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(safe_next(next_url))
    form = LoginForm()
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        result = authenticate(form.email.data, form.password.data, client_ip())
        if result.outcome is LoginOutcome.OK and result.user is not None:
            if result.user.has_two_factor:
                begin_second_factor(result.user, next_url)
                commit()
                return redirect(url_for("auth.second_factor"))
            start_session(result.user, second_factor=False)
            audit.record("login.succeeded", actor_id=result.user.id)
            commit()
            return redirect(landing(result.user, next_url))
        commit()  # keep the failure count and the audit event
        if result.outcome is LoginOutcome.THROTTLED:
            flash(throttled_message(result.wait_seconds), "error")
            page = render_template("auth/login.html", form=form, next_url=next_url)
            return page, 429, {"Retry-After": str(result.wait_seconds)}
        status, message, category = LOGIN_REFUSALS[result.outcome]
        flash(message(), category)
    return render_template("auth/login.html", form=form, next_url=next_url), status


def landing(user: User, next_url: str | None) -> str:
    """Where a sign-in lands: the welcome page until the member has seen it, then *next* or home."""
    if user.welcomed_at is None:
        return url_for("account.welcome", next=next_url if is_safe_next(next_url) else None)
    return safe_next(next_url)


def throttled_message(wait_seconds: int) -> str:
    """What a throttled sign-in step tells the member: how long to wait."""
    return _(
        "Too many failed attempts. Wait %(wait)s before trying again, or reset your password.",
        wait=describe_wait(wait_seconds),
    )


@bp.route("/2fa", methods=["GET", "POST"])
@public
def second_factor() -> ResponseReturnValue:
    user, next_url = pending_second_factor()
    if user is None:
        flash(_("Sign in again: the sign-in step expired."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        ip = client_ip()
        wait = second_factor_wait(user, ip)
        if wait:
            flash(throttled_message(wait), "error")
            page = render_template("auth/second_factor.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        outcome = verify_second_factor(user, form.code.data)
        if outcome:
            clear_second_factor_failures(user)
            start_session(user, second_factor=True)
            audit.record("login.succeeded", actor_id=user.id, second_factor=True)
            commit()
            return redirect(landing(user, next_url))
        record_second_factor_failure(user, ip, "login.second_factor_failed")
        commit()
        if outcome is CodeCheck.RECOVERY_CODE_USED:
            flash(_("That recovery code has been used already: each works once. Use another one."), "error")
        else:
            flash(_("That code is not valid. Codes change every 30 seconds and each works once."), "error")
        status = 401
    return render_template("auth/second_factor.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout() -> ResponseReturnValue:
    end_session()
    commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
@public
def reset_request() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        ratelimit.enforce("password_reset.address", f"ip:{client_ip()}")
        send_password_reset(form.email.data)
        commit()
        flash(_("If that address belongs to an active account, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> ResponseReturnValue:
    user = user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid, used or expired. Ask for a new one."), "error")
        return redirect(url_for("auth.reset_request"))
    form = NewPasswordForm(email=user.email, name=user.name)
    if form.validate_on_submit():
        set_password(user, form.password.data)
        end_session()
        commit()
        flash(_("Your password is changed. Sign in with the new one."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/resume/<token>")
def resume(token: str) -> ResponseReturnValue:
    """Send again a form that was kept while the member signed in or confirmed their password."""
    kept = recovery.take_form(token, current_user.id)
    commit()
    if kept is None or not is_safe_next(kept[0]):
        flash(_("There is no form to send again: it was already sent, or it was kept too long."), "info")
        return redirect(url_for("main.index"))
    path, fields = kept
    return render_template("auth/resume.html", path=path, fields=fields, form=ConfirmForm())
