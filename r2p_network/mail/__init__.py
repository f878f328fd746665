"""Reaching members: notification preferences, one-click unsubscribe and Atom feeds. The outbox
itself is ``core.emails`` and ``core.outbox``; ``flask worker`` lives in ``operations``."""

from flask import Blueprint

bp = Blueprint("mail", __name__)

from r2p_network.mail import routes  # noqa: E402,F401
