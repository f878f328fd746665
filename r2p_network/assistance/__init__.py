"""Assistance requests: from an offer on the capacity map to help delivered and a lesson learnt."""

from flask import Blueprint

bp = Blueprint("assistance", __name__)

from r2p_network.assistance import routes  # noqa: E402,F401
