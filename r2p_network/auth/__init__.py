"""Accounts: requesting access, signing in and out, resetting a password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from r2p_network.auth import routes, sessions  # noqa: E402,F401  (register views and the user loader)
