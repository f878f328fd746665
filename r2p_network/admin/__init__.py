"""Administration: deciding access requests (more tools join as features land)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from r2p_network.admin import reference_routes, routes  # noqa: E402,F401
