"""In-app notifications for members."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from r2p_network.notifications import routes  # noqa: E402,F401
