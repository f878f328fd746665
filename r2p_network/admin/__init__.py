"""Administration: access requests, members, moderation, the audit log and reference data."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from r2p_network.admin import (  # noqa: E402,F401
    coordinator_routes,
    moderation_routes,
    outbox_routes,
    reference_routes,
    routes,
)
