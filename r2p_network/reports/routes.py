"""The reporting page and the download of each of its tables."""

from __future__ import annotations

import re

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from r2p_network.core import audit, ratelimit
from r2p_network.core.exports import Sheet, csv_response, xlsx_response
from r2p_network.core.forms import valid_values
from r2p_network.core.i18n import current_lang
from r2p_network.core.transaction import commit
from r2p_network.models import utcnow
from r2p_network.permissions import Capability, requires
from r2p_network.reports import bp
from r2p_network.reports.charts import chart
from r2p_network.reports.forms import PeriodForm
from r2p_network.reports.periods import periods
from r2p_network.reports.queries import TABLES, Report

DEFAULT_YEARS = 5


def _report() -> tuple[PeriodForm, Report, dict[str, str]]:
    form = PeriodForm(request.args)
    form.validate()
    values = valid_values(form, ("grain", "since"))
    now = utcnow()
    grain = values["grain"] if values["grain"] in ("year", "quarter") else "year"
    since = min(values["since"] or now.year - DEFAULT_YEARS + 1, now.year)
    query = {"grain": grain, "since": str(since)}
    return form, Report(current_user, periods(grain, since, now), grain), query


@bp.route("/")
@requires(Capability.VIEW_REPORTS)
def index() -> ResponseReturnValue:
    form, report, query = _report()
    tables = [report.table(key) for key in TABLES]
    return render_template(
        "reports/index.html",
        form=form,
        tables=tables,
        charts={t.key: chart(t, [p.label for p in report.chosen]) for t in tables},
        query=query,
    )


@bp.route("/<key>.<fmt>")
@requires(Capability.VIEW_REPORTS)
def export(key: str, fmt: str) -> ResponseReturnValue:
    """One table as CSV or XLSX; ``all.xlsx`` holds every table, one sheet each."""
    if fmt not in ("csv", "xlsx") or (key not in TABLES and not (key == "all" and fmt == "xlsx")):
        abort(404)
    _form, report, query = _report()
    ratelimit.enforce("export", ratelimit.requester())
    audit.record("export.report", actor_id=current_user.id, table=key, format=fmt, **query)
    commit()
    stamp = utcnow().strftime("%Y%m%d")
    filename = f"r2p-report-{key}-{query['grain']}-{stamp}.{fmt}"
    tables = [report.table(k) for k in (TABLES if key == "all" else (key,))]
    if fmt == "csv":
        return csv_response(filename, tables[0].header, tables[0].rows)
    # Sheet names: at most 31 characters, none of those Excel refuses.
    sheets = [
        Sheet(re.sub(r"[\[\]:*?/\\]", " ", t.title)[:31], t.header, t.rows, (14, 30, 24, 16)) for t in tables
    ]
    return xlsx_response(filename, sheets, right_to_left=current_lang() == "ar")
