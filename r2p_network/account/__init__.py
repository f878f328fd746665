"""A member's own account security: password, email, two-factor sign-in and sessions."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from r2p_network.account import routes, welcome_routes  # noqa: E402,F401
