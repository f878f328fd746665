"""Capacity mapping: what each country has, can offer or needs, and who can help whom."""

from flask import Blueprint

bp = Blueprint("capacity", __name__)

from r2p_network.capacity import routes, submission_routes, verification_routes  # noqa: E402,F401
