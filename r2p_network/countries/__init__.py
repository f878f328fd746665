"""Country pages, treaty records and the public network coverage."""

from flask import Blueprint

bp = Blueprint("countries", __name__)

from r2p_network.countries import routes  # noqa: E402,F401
