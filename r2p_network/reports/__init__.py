"""The secretariat's picture over time: the network's figures by year or quarter."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from r2p_network.reports import routes  # noqa: E402,F401
