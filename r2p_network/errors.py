"""Error pages and JSON errors that say what went wrong and leak nothing else."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from r2p_network.core.ratelimit import RateLimited, describe_wait
from r2p_network.core.transaction import discard
from r2p_network.permissions import wants_json

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Go back, reload the page and try again."),
    ),
    401: (_l("Sign-in required"), _l("Sign in to see this page.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("There is no page at this address, or you cannot see it.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than the platform accepts.")),
    429: (
        _l("Too many requests"),
        _l("Too many attempts in a short time. Wait a few minutes and try again."),
    ),
    500: (_l("Something went wrong"), _l("The error has been logged. Try again in a moment.")),
}


def render_error(code: int, detail: str | None = None, *, minimal: bool = False) -> ResponseReturnValue:
    title, message = MESSAGES.get(code, MESSAGES[500])
    if wants_json():
        return jsonify(error=str(title), message=detail or str(message)), code
    page = render_template(
        "errors/error.html", code=code, title=title, message=detail or message, minimal=minimal
    )
    return page, code


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    return render_error(error.code or 500)


def handle_rate_limited(error: RateLimited) -> ResponseReturnValue:
    detail = str(
        _l(
            "You have done this too often in a short time. Try again in %(wait)s.",
            wait=describe_wait(error.wait_seconds),
        )
    )
    response = make_response(render_error(429, detail))
    response.headers["Retry-After"] = str(error.wait_seconds)
    return response


def handle_csrf_error(error: CSRFError) -> ResponseReturnValue:
    return render_error(
        400, str(_l("The form expired or was sent from another site. Reload the page and send it again."))
    )


def handle_unexpected(error: Exception) -> ResponseReturnValue:
    discard()
    log.exception("unhandled error", exc_info=error)
    # After a failure nothing is read from the database again: the page names no one.
    return render_error(500, minimal=True)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(RateLimited, handle_rate_limited)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
