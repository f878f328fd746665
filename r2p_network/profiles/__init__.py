"""Focal-point profiles and the network directory."""

from flask import Blueprint

bp = Blueprint("profiles", __name__)

from r2p_network.profiles import routes  # noqa: E402,F401
