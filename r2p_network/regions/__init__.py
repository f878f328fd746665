"""Regional network views: M49 regions, UN regional groups and regional organisations."""

from flask import Blueprint

bp = Blueprint("regions", __name__)

from r2p_network.regions import routes  # noqa: E402,F401
