"""The document library: uploads checked by content, private storage, permission-checked downloads."""

from flask import Blueprint

bp = Blueprint("documents", __name__)

from r2p_network.documents import routes  # noqa: E402,F401
