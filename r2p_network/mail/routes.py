"""Preferences, unsubscribe links and feeds."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.core.forms import ConfirmForm
from r2p_network.core.i18n import current_lang
from r2p_network.core.transaction import commit
from r2p_network.extensions import csrf
from r2p_network.mail import bp, feeds
from r2p_network.mail.forms import FILTER_LABELS, choices_of, preferences_form
from r2p_network.mail.kinds import ALWAYS, KINDS
from r2p_network.mail.queries import has_feed, preferences_of
from r2p_network.mail.services import (
    feed_reader,
    new_feed_token,
    read_unsubscribe_token,
    revoke_feed_token,
    save_preferences,
    token_used,
    unsubscribe,
)
from r2p_network.permissions import public

ATOM = "application/atom+xml; charset=utf-8"
# A session key, not a secret: the new feed token is kept under it to be shown once.
FEED_TOKEN_KEY = "new_feed_token"  # noqa: S105  # nosec B105


@bp.route("/account/notifications", methods=["GET", "POST"])
def preferences() -> ResponseReturnValue:
    form = preferences_form(preferences_of(current_user.id))
    if form.validate_on_submit():
        save_preferences(current_user, choices_of(form))
        commit()
        flash(_("Your notification preferences are saved."), "success")
        return redirect(url_for("mail.preferences"))
    token = session.pop(FEED_TOKEN_KEY, None)
    return render_template(
        "mail/preferences.html",
        form=form,
        kinds=KINDS,
        filter_labels=FILTER_LABELS,
        always=ALWAYS,
        has_feed=has_feed(current_user.id),
        feed_link=url_for("mail.private_feed", token=token, _external=True) if token else None,
        confirm=ConfirmForm(),
    )


@bp.route("/account/feed", methods=["POST"])
def make_feed() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session[FEED_TOKEN_KEY] = new_feed_token(current_user)
    commit()
    flash(_("Your private feed has a new address; any earlier address no longer works."), "success")
    return redirect(url_for("mail.preferences") + "#feed")


@bp.route("/account/feed/revoke", methods=["POST"])
def revoke_feed() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    revoke_feed_token(current_user)
    commit()
    flash(_("Your private feed is turned off."), "success")
    return redirect(url_for("mail.preferences") + "#feed")


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@public  # the signed token is the proof; mail clients post here with no session (RFC 8058)
@csrf.exempt
def unsubscribe_link(token: str) -> ResponseReturnValue:
    found = read_unsubscribe_token(token)
    if found is None:
        abort(404)
    kind = KINDS[found[1]]
    if request.method == "POST":
        done = unsubscribe(token)
        commit()
        if done is None:
            return render_template("mail/unsubscribe.html", kind=kind, state="used"), 410
        return render_template("mail/unsubscribe.html", kind=kind, state="done")
    state = "used" if token_used(token) else "ask"
    return render_template("mail/unsubscribe.html", kind=kind, state=state, token=token), (
        410 if state == "used" else 200
    )


@bp.route("/feeds/lessons.atom")
@public
def public_lessons_feed() -> ResponseReturnValue:
    return Response(feeds.public_lessons(current_lang()), content_type=ATOM)


@bp.route("/feeds/events.atom")
@public
def public_events_feed() -> ResponseReturnValue:
    return Response(feeds.public_events(current_lang()), content_type=ATOM)


@bp.route("/feeds/private/<token>.atom")
@public  # the token in the address is the reader's key; revoking it closes the feed
def private_feed(token: str) -> ResponseReturnValue:
    reader = feed_reader(token)
    if reader is None:
        abort(404)
    body = feeds.private_feed(reader, token, reader.language)
    return Response(body, content_type=ATOM, headers={"Cache-Control": "private, no-store"})
