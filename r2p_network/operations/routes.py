"""``/metrics`` for Prometheus, hidden (404) from everyone but the configured scrapers."""

from __future__ import annotations

from flask import Response, abort
from flask.typing import ResponseReturnValue

from r2p_network.operations import bp, metrics
from r2p_network.permissions import public


@bp.route("/metrics")
@public  # no session: the scraper is recognised by its address or its token instead
def prometheus_metrics() -> ResponseReturnValue:
    if not metrics.may_scrape():
        abort(404)
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})
