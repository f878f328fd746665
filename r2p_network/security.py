"""Security headers on every response, with a fresh CSP nonce per request."""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g
from flask_login import current_user


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
    if current_user.is_authenticated:
        # Signed-in pages may hold personal or national data: keep them out of every cache.
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("HSTS_SECONDS"):
        headers["Strict-Transport-Security"] = (
            f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains"
        )
    return response


def init_app(app: Flask) -> None:
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
