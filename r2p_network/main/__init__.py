"""Public pages: the landing page, health check and language menu."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from r2p_network.main import routes  # noqa: E402,F401
