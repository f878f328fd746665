"""Prometheus metrics (prometheus-client): requests by endpoint and status, and their duration.

With several gunicorn workers, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder that every
worker can write (the systemd unit does): each worker writes its figures there and a scrape
adds them all up, whichever worker answers it.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from flask import current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "r2p_http_requests",
    "Requests answered, by method, endpoint and status.",
    ["method", "endpoint", "status"],
)
DURATION = Histogram(
    "r2p_http_request_duration_seconds",
    "Time spent answering a request, by method and endpoint.",
    ["method", "endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe(method: str, endpoint: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, endpoint, str(status)).inc()
    DURATION.labels(method, endpoint).observe(seconds)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def allowed_networks(value: str | list[str] | None) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Parse ``METRICS_ALLOWED_IPS``: addresses or networks (CIDR), separated by commas."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def may_scrape() -> bool:
    """True for a client address in ``METRICS_ALLOWED_IPS`` or a request with ``METRICS_TOKEN``."""
    cfg = current_app.config
    token = cfg.get("METRICS_TOKEN") or ""
    offered = request.headers.get("Authorization", "")
    bearer = offered[7:].strip() if offered.startswith("Bearer ") else ""
    if token and bearer and hmac.compare_digest(bearer.encode(), token.encode()):
        return True
    try:
        client = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(client in network for network in allowed_networks(cfg.get("METRICS_ALLOWED_IPS")))
