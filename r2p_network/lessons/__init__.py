"""Lessons learned: writing, moderation, reading, search and discussion."""

from flask import Blueprint

bp = Blueprint("lessons", __name__)

from r2p_network.lessons import moderation_routes, routes, translation_routes  # noqa: E402,F401
