"""Meetings and events: organising, registering, summaries, action points and calendars."""

from flask import Blueprint

bp = Blueprint("events", __name__)

from r2p_network.events import routes  # noqa: E402,F401
