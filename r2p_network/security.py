"""Security headers on every response, with a fresh CSP nonce per request; requests for unknown
hosts and requests carrying NUL characters are refused before any view runs."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, Response, abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import SecurityError

from r2p_network.errors import render_error


def csp_nonce() -> str:
    """The nonce for this response; only elements carrying it may run script or style inline."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static" and current_user.is_authenticated:
        # Signed-in pages may hold personal or national data: keep them out of every cache
        # (static files are the same for everyone and keep their own, long-lived caching).
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("HSTS_SECONDS"):
        headers["Strict-Transport-Security"] = (
            f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains"
        )
    return response


def _has_nul(value: Any) -> bool:
    """True if a NUL character is anywhere in *value* (strings, keys, lists), walked without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _request_has_nul() -> bool:
    if "\x00" in request.path:
        return True
    if _has_nul(list(request.args.items(multi=True))) or _has_nul(list(request.form.items(multi=True))):
        return True
    if any("\x00" in (upload.filename or "") for upload in request.files.values()):
        return True
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            abort(400)
        if _has_nul(body):
            return True
    return False


def refuse_bad_requests() -> Response | None:
    """Before any other check: refuse unknown hosts (``TRUSTED_HOSTS``) and NUL characters.

    NUL bytes break PostgreSQL text and JSON columns; refusing them here gives one clear 400
    on every route instead of an error deep inside a view, and nothing with them is stored.
    """
    if isinstance(request.routing_exception, SecurityError):
        # No URL can be built for an untrusted host, so the answer is plain text.
        message = _("This site does not answer to that host name.")
        return Response(message + "\n", status=400, mimetype="text/plain")
    if _request_has_nul():
        message = _(
            "The request contains a NUL character (an invisible control character), which the platform "
            "does not accept. Remove it, for example by typing the text again, and send it once more."
        )
        return current_app.make_response(render_error(400, message))
    return None


def init_app(app: Flask) -> None:
    # First of all the before-request checks, so that no view or guard sees a refused request.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_bad_requests)
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
