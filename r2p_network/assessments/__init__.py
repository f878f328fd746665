"""National strategy templates and the teams' risk assessments."""

from flask import Blueprint

bp = Blueprint("assessments", __name__)

from r2p_network.assessments import document_routes, routes, sharing_routes, tracking_routes  # noqa: E402,F401
