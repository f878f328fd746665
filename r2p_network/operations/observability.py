"""Request ids, structured logs, an access log line per request, and the optional Sentry hook."""

from __future__ import annotations

import importlib
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

from config import ConfigurationError
from r2p_network.operations import metrics

access_log = logging.getLogger("r2p_network.access")

# An incoming X-Request-ID is kept only if it is a short, plain token (a proxy's or a load
# balancer's id); anything else could forge or break log lines and is replaced.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")
# Standard LogRecord attributes: everything else passed with ``extra=`` goes into the JSON.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def request_id() -> str:
    """This request's id: the incoming ``X-Request-ID`` when it is a safe token, else a new one."""
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    return str(g.request_id)


class RequestIdFilter(logging.Filter):
    """Give every record a ``request_id`` ("-" outside a request), for both log formats."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id() if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(log_format: str) -> dict[str, Any]:
    """``logging.config.dictConfig`` settings: JSON lines (``json``) or plain text, on stdout."""
    plain = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {"()": JsonFormatter},
            "plain": {"format": plain},
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json" if log_format == "json" else "plain",
                "filters": ["request_id"],
            }
        },
        "root": {"level": "INFO", "handlers": ["stdout"]},
    }


def _logged_path() -> str:
    # Links that carry a secret (a reset or confirmation token) are logged as their route.
    if request.url_rule is not None and request.view_args and "token" in request.view_args:
        return request.url_rule.rule
    return request.path


def _start() -> None:
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = request_id()
    elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
    endpoint = request.endpoint or "none"
    metrics.observe(request.method, endpoint, response.status_code, elapsed)
    access_log.info(
        "%s %s %s",
        request.method,
        _logged_path(),
        response.status_code,
        extra={
            "request_id": request_id(),
            "method": request.method,
            "path": _logged_path(),
            "endpoint": endpoint,
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 1),
            "bytes": response.calculate_content_length(),
            "client": request.remote_addr or "",
            "user_agent": request.user_agent.string[:200],
        },
    )
    return response


class SentryMissing(ConfigurationError):
    """SENTRY_DSN is set but the sentry-sdk package is not installed."""


def init_sentry(app: Flask) -> bool:
    """Report errors to Sentry when ``SENTRY_DSN`` is set (off by default); True when turned on."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    try:
        sentry_sdk = importlib.import_module("sentry_sdk")
    except ImportError:
        raise SentryMissing(
            "SENTRY_DSN is set but the sentry-sdk package is not installed: "
            "install it (.venv/bin/pip install sentry-sdk) or unset SENTRY_DSN."
        ) from None
    sentry_sdk.init(
        dsn=dsn,
        environment="production" if app.config["PRODUCTION"] else "development",
        send_default_pii=False,  # no addresses, cookies or form fields leave the server
        traces_sample_rate=0.0,
    )
    return True


def init_app(app: Flask) -> None:
    # First of the before-request functions, so refused requests are timed and logged too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    init_sentry(app)
