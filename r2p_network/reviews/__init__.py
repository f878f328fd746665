"""Peer review of a shared assessment version by invited teams, organisations or the UN office."""

from flask import Blueprint

bp = Blueprint("reviews", __name__)

from r2p_network.reviews import routes  # noqa: E402,F401
