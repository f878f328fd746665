"""Running the site: request ids, JSON and access logs, Prometheus metrics, the optional error
reporting hook, housekeeping (``flask maintenance prune``) and ``flask doctor``."""

from flask import Blueprint

bp = Blueprint("operations", __name__)

from r2p_network.operations import routes  # noqa: E402,F401
