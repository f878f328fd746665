"""Account security pages. Changing the password, the email or two-factor settings needs a
fresh confirmation of the password (and of a code, when two-factor sign-in is on)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from r2p_network.account import bp
from r2p_network.account.devices import device_name
from r2p_network.account.queries import active_sessions, unused_recovery_codes
from r2p_network.account.services import (
    EmailTaken,
    change_email,
    email_change_for_token,
    end_other_sessions,
    request_email_change,
    revoke_session,
    set_preferences,
)
from r2p_network.auth import twofactor
from r2p_network.auth.forms import (
    ChangeEmailForm,
    EnableTwoFactorForm,
    NewPasswordForm,
    PreferencesForm,
    ReauthForm,
)
from r2p_network.auth.passwords import verify_password
from r2p_network.auth.queries import normalise_email, second_factor_wait, sign_in_wait
from r2p_network.auth.services import record_failure, record_second_factor_failure, set_password
from r2p_network.auth.sessions import (
    SESSION_KEY,
    digest,
    end_all_sessions,
    end_session,
    mark_password_checked,
    mark_second_factor_passed,
    password_recently_checked,
    start_session,
)
from r2p_network.core import audit, recovery
from r2p_network.core.audit import client_ip
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.i18n import SESSION_LANGUAGE
from r2p_network.core.ratelimit import RateLimited
from r2p_network.core.transaction import commit
from r2p_network.permissions import current_session_passed_second_factor, safe_next

ENROLMENT_KEY = "totp_pending_secret"


def fresh_login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Ask for the password again unless it was entered (to sign in or confirm) in the last five minutes.

    A form sent meanwhile is kept and sent again once the password is confirmed, so the action
    that asked for the confirmation completes (it used to land on a GET of a POST-only address).
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not password_recently_checked():
            target = recovery.return_path(current_user.id)
            commit()
            return redirect(url_for("account.reauth", next=target))
        return view(*args, **kwargs)

    return wrapped


@bp.route("/")
def overview() -> ResponseReturnValue:
    return render_template(
        "account/overview.html",
        sessions=len(active_sessions(current_user.id)),
        recovery_left=unused_recovery_codes(current_user.id) if current_user.has_two_factor else 0,
        confirm=ConfirmForm(),
    )


@bp.route("/reauth", methods=["GET", "POST"])
def reauth() -> ResponseReturnValue:
    form = ReauthForm()
    status = 200
    if form.validate_on_submit():
        ip = client_ip()
        user = current_user._get_current_object()
        wait = sign_in_wait(user.email, ip)
        if user.has_two_factor:
            wait = max(wait, second_factor_wait(user, ip))
        if wait:
            raise RateLimited(wait)
        ok, _rehash = verify_password(user.password_hash, form.password.data)
        if not ok:
            record_failure(user.email, ip, user, "account.reauth_failed")
        elif user.has_two_factor and not twofactor.verify_second_factor(user, form.code.data or ""):
            ok = False
            record_second_factor_failure(user, ip, "account.reauth_failed")
        if ok:
            mark_password_checked()
            if user.has_two_factor:
                mark_second_factor_passed()
            audit.record("account.reauthenticated", actor_id=user.id)
            commit()
            return redirect(safe_next(request.args.get("next"), "account.overview"))
        commit()
        flash(_("The password or code is not correct."), "error")
        status = 401
    return render_template("account/reauth.html", form=form), status


@bp.route("/password", methods=["GET", "POST"])
@fresh_login_required
def password() -> ResponseReturnValue:
    form = NewPasswordForm(email=current_user.email, name=current_user.name)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        passed = current_session_passed_second_factor()
        set_password(user, form.password.data)  # ends every session, this one included
        # ...so sign this browser in again with a new session, keeping what it proved
        start_session(user, second_factor=passed)
        commit()
        flash(_("Your password is changed. Every other device has been signed out."), "success")
        return redirect(url_for("account.overview"))
    return render_template("account/password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@fresh_login_required
def email() -> ResponseReturnValue:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if normalise_email(form.email.data) == current_user.email:
            form.email.errors.append(_("This is already your sign-in address."))
        else:
            request_email_change(current_user, form.email.data)
            commit()
            flash(
                _(
                    "We sent a link to %(email)s. Your sign-in address changes when you open it, "
                    "within an hour; until then, keep signing in with the current one.",
                    email=normalise_email(form.email.data),
                ),
                "info",
            )
            return redirect(url_for("account.overview"))
    return render_template("account/email.html", form=form)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str) -> ResponseReturnValue:
    """The link sent to the new address: one more click (a POST) makes the change."""
    new_email = email_change_for_token(current_user, token)
    if new_email is None:
        flash(_("This confirmation link is invalid, used or expired. Ask for the change again."), "error")
        return redirect(url_for("account.overview"))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            change_email(current_user, new_email)
        except EmailTaken:
            flash(_("This address can no longer be used for your account."), "error")
            return redirect(url_for("account.overview"))
        if commit():
            flash(_("Your sign-in address is changed; a notice to the old address is sent."), "success")
        else:
            flash(_("Your sign-in address is changed; a notice to the old address is queued."), "success")
        return redirect(url_for("account.overview"))
    return render_template("account/email_confirm.html", form=form, new_email=new_email)


@bp.route("/2fa/setup", methods=["GET", "POST"])
@fresh_login_required
def two_factor_setup() -> ResponseReturnValue:
    if current_user.has_two_factor:
        flash(_("Two-factor sign-in is already on."), "info")
        return redirect(url_for("account.overview"))
    secret = session.get(ENROLMENT_KEY)
    if request.method == "GET" or not secret:
        secret = session[ENROLMENT_KEY] = twofactor.new_secret()
    form = EnableTwoFactorForm()
    status = 200
    if form.validate_on_submit():
        codes = twofactor.enable(current_user, secret, form.code.data)
        if codes is not None:
            session.pop(ENROLMENT_KEY, None)
            mark_second_factor_passed()
            commit()
            flash(_("Two-factor sign-in is on."), "success")
            return render_template("account/recovery_codes.html", codes=codes)
        form.code.errors.append(_("That code does not match. Check the time on your device, then try again."))
        status = 400
    uri = twofactor.provisioning_uri(secret, current_user.email)
    return render_template(
        "account/two_factor_setup.html", form=form, secret=secret, qr=twofactor.qr_code_svg(uri)
    ), status


@bp.route("/2fa/recovery-codes", methods=["POST"])
@fresh_login_required
def new_recovery_codes() -> ResponseReturnValue:
    if not current_user.has_two_factor or not ConfirmForm().validate_on_submit():
        abort(400)
    codes = twofactor.new_recovery_codes(current_user)
    audit.record("two_factor.recovery_codes_regenerated", actor_id=current_user.id)
    commit()
    return render_template("account/recovery_codes.html", codes=codes)


@bp.route("/2fa/disable", methods=["POST"])
@fresh_login_required
def two_factor_disable() -> ResponseReturnValue:
    if not current_user.has_two_factor or not ConfirmForm().validate_on_submit():
        abort(400)
    twofactor.disable(current_user, current_user)
    commit()
    flash(_("Two-factor sign-in is off."), "info")
    return redirect(url_for("account.overview"))


@bp.route("/sessions")
def sessions() -> ResponseReturnValue:
    return render_template(
        "account/sessions.html",
        sessions=active_sessions(current_user.id),
        current_hash=digest(session.get(SESSION_KEY, "")),
        confirm=ConfirmForm(),
        device_name=device_name,
    )


@bp.route("/sessions/sign-out/<any(others, everywhere):scope>")
def confirm_sign_out(scope: str) -> ResponseReturnValue:
    """The confirmation step before signing out other devices, or every device."""
    others = [
        s for s in active_sessions(current_user.id) if s.token_hash != digest(session.get(SESSION_KEY, ""))
    ]
    return render_template(
        "account/sign_out_confirm.html", scope=scope, others=len(others), confirm=ConfirmForm()
    )


@bp.route("/sessions/revoke-others", methods=["POST"])
def revoke_others() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ended = end_other_sessions(current_user, digest(session.get(SESSION_KEY, "")))
    commit()
    flash(
        ngettext("%(num)s other device is signed out.", "%(num)s other devices are signed out.", ended),
        "success",
    )
    return redirect(url_for("account.sessions"))


@bp.route("/sessions/<int:session_id>/revoke", methods=["POST"])
def revoke(session_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not revoke_session(current_user, session_id):
        abort(404)
    commit()
    flash(_("That session is signed out."), "success")
    return redirect(url_for("account.sessions"))


@bp.route("/sessions/revoke-all", methods=["POST"])
def revoke_all() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    audit.record("session.revoked_all", actor_id=current_user.id)
    end_all_sessions(current_user.id)
    end_session()
    commit()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/preferences", methods=["GET", "POST"])
def preferences() -> ResponseReturnValue:
    """The member's language (pages and emails) and time zone."""
    form = PreferencesForm(data={"language": current_user.language, "time_zone": current_user.time_zone})
    if form.validate_on_submit():
        set_preferences(current_user, form.language.data, form.time_zone.data)
        commit()
        session[SESSION_LANGUAGE] = form.language.data
        flash(_("Your language and time zone are saved."), "success")
        return redirect(url_for("account.preferences"))
    return render_template("account/preferences.html", form=form)
