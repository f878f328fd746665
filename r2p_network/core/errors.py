"""Errors that services raise and routes turn into messages."""


class StateError(Exception):
    """The object's current state does not allow this step (e.g. deciding a request twice)."""
