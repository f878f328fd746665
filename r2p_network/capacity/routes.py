"""The capacity map, its exports, and the teams' submissions."""

from __future__ import annotations

from itertools import groupby
from types import SimpleNamespace
from typing import Any

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Row

from r2p_network.capacity import bp
from r2p_network.capacity.forms import (
    MapFilterForm,
)
from r2p_network.capacity.queries import (
    EXPORT_COLUMNS,
    MATCHES_PER_PAGE,
    PER_PAGE,
    Category,
    MapFilters,
    Restricted,
    categories,
    country_summaries,
    cycles,
    entry_page,
    export_header,
    export_rows,
    export_statement,
    map_places,
    matches,
    matrix,
)
from r2p_network.core import audit, ratelimit
from r2p_network.core.exports import (
    Sheet,
    csv_query_response,
    geojson_response,
    json_stream_response,
    point_feature,
    xlsx_response,
)
from r2p_network.core.forms import valid_values
from r2p_network.core.fragments import cached
from r2p_network.core.geography import filter_options
from r2p_network.core.i18n import current_lang
from r2p_network.core.labels import label, label_items
from r2p_network.core.pagination import page_count
from r2p_network.core.transaction import commit
from r2p_network.models import CapacityStatus, utcnow
from r2p_network.permissions import (
    restricted_needs,
    restricted_needs_audience,
)
from r2p_network.regions.maps import frame_for

EXPORT_SCHEMA_VERSION = 1


def _filters() -> tuple[MapFilterForm, MapFilters, list[Category]]:
    catalogue = categories()
    form = MapFilterForm(request.args, options=filter_options(), categories=catalogue, cycles=cycles())
    form.validate()
    values = valid_values(form, ("region", "group", "org", "category", "status", "cycle"))
    cycle = values.pop("cycle")
    filters = MapFilters(
        **{name: value or "" for name, value in values.items()}, cycle=int(cycle) if cycle else None
    )
    return form, filters, catalogue


@bp.route("/")
def index() -> ResponseReturnValue:
    form, filters, catalogue = _filters()
    asked = valid_values(form, ("page", "mpage"))
    match_page = asked["mpage"] or 1
    admin = restricted_needs(current_user)
    entries, total, page = entry_page(filters, asked["page"] or 1, include_restricted=admin)
    query = filters.as_query()
    # The matrix and the matches are the costly part and the same for every member (and for
    # every administrator): built once per change of the data, see r2p_network.core.fragments.
    overview = cached(
        "capacity/_overview.html",
        (tuple(sorted(query.items())), page, match_page),
        restricted_needs_audience(current_user),
        lambda: _overview(filters, query, catalogue, page, match_page, admin),
    )
    return render_template(
        "capacity/map.html",
        form=form,
        overview=overview,
        entries=entries,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        query=query,
        entry_args={**query, **({"mpage": match_page} if match_page > 1 else {})},
    )


def _overview(
    filters: MapFilters,
    query: dict[str, str],
    catalogue: list[Category],
    page: int,
    match_page: int,
    admin: Restricted,
) -> dict[str, Any]:
    """The context of the map's costly part: the matrix and one page of matches."""
    # Grouped here (they come ordered by country and capacity): Jinja's groupby sorts again.
    groups = [
        (need, category, list(offers))
        for (need, category), offers in groupby(
            matches(filters, include_restricted=admin), key=lambda m: (m.need_country, m.category_name)
        )
    ]
    match_pages = page_count(len(groups), MATCHES_PER_PAGE)
    match_page = min(match_page, match_pages)
    rows = matrix(filters, include_restricted=admin)
    return dict(
        catalogue=catalogue,
        matrix=rows,
        **_choropleth(rows, filters.category),
        matches=groups[(match_page - 1) * MATCHES_PER_PAGE : match_page * MATCHES_PER_PAGE],
        match_total=len(groups),
        match_page=match_page,
        match_pages=match_pages,
        match_args={**query, **({"page": page} if page > 1 else {})},
    )


def _choropleth(rows: list[Any], chosen: str) -> dict[str, Any]:
    """What the regions' map template needs to colour the selection's countries by one capacity."""
    places = map_places([row.iso3 for row in rows])
    by_iso3 = {row.iso3: row for row in rows}
    return dict(
        frame=frame_for(tuple((m49, lat, lon) for _iso3, m49, lat, lon in places)) if chosen else None,
        by_m49={
            m49: SimpleNamespace(name=by_iso3[iso3].country_name, iso3=iso3) for iso3, m49, _y, _x in places
        },
        cells={(row.iso3, chosen): list(row.cells.get(chosen, {})) for row in rows},
        chosen=chosen,
        statuses=list(CapacityStatus),
        place=SimpleNamespace(name=_("the countries selected")),
    )


def _entry_record(row: Row) -> dict:
    return dict(zip(EXPORT_COLUMNS, row, strict=True))


@bp.route("/export.<fmt>")
def export(fmt: str) -> ResponseReturnValue:
    if fmt not in ("csv", "xlsx", "json", "geojson"):
        abort(404)
    _form, filters, catalogue = _filters()
    admin = restricted_needs(current_user)
    ratelimit.enforce("export", ratelimit.requester())
    audit.record("export.capacity", actor_id=current_user.id, format=fmt, filters=filters.as_query())
    commit()
    stamp = utcnow().strftime("%Y%m%d")
    filename = f"capacity-map-{stamp}.{fmt}"
    if fmt == "csv":
        return csv_query_response(
            filename, export_header(), export_statement(filters, include_restricted=admin)
        )
    rows = export_rows(filters, include_restricted=admin)
    if fmt == "json":
        head = {
            "schema": "r2p-capacity-map",
            "schema_version": EXPORT_SCHEMA_VERSION,
            "generated_at": utcnow().isoformat(),
            "filters": filters.as_query(),
        }
        return json_stream_response(filename, head, "entries", (_entry_record(r) for r in rows))
    if fmt == "geojson":
        features = (
            point_feature(
                s.longitude,
                s.latitude,
                {
                    "country": s.iso3,
                    "name": s.name,
                    **{f"{status.value}_count": s.counts.get(status, 0) for status in CapacityStatus},
                    **{status.value: s.categories.get(status, []) for status in CapacityStatus},
                },
            )
            for s in country_summaries(filters, include_restricted=admin)
        )
        properties = {"schema": "r2p-capacity-map-geojson", "schema_version": EXPORT_SCHEMA_VERSION}
        return geojson_response(filename, features, properties)
    return xlsx_response(
        filename, _sheets(filters, catalogue, rows, admin), right_to_left=current_lang() == "ar"
    )


def _sheets(filters: MapFilters, catalogue: list[Category], rows, admin: Restricted) -> list[Sheet]:
    grid = matrix(filters, include_restricted=admin)
    labels = {status: label(status, "capacity_letter") for status in CapacityStatus}
    return [
        Sheet(
            _("Entries"),
            export_header(),
            rows,
            (8, 22, 14, 8, 22, 30, 10, 9, 50, 30, 30),
        ),
        Sheet(
            _("Matrix"),
            [_("Country"), *[c.slug for c in catalogue]],
            (
                [
                    row.country_name,
                    *[
                        " ".join(
                            f"{labels[s]}{row.cells.get(c.slug, {})[s]}"
                            for s in labels
                            if s in row.cells.get(c.slug, {})
                        )
                        for c in catalogue
                    ],
                ]
                for row in grid
            ),
            (24,),
        ),
        Sheet(
            _("Matches"),
            [
                _("Country in need"),
                _("Capacity"),
                _("Country offering"),
                _("Same region"),
                _("Maturity offered"),
            ],
            (
                [
                    m.need_country,
                    m.category_name,
                    m.offer_country,
                    _("yes") if m.same_region else _("no"),
                    m.maturity,
                ]
                for m in matches(filters, include_restricted=admin)
            ),
            (24, 40, 24, 12, 16),
        ),
        Sheet(
            _("About"),
            [_("Item"), _("Meaning")],
            [
                # The codes as they appear in the Entries sheet, named in the reader's language.
                *[[f"{_('Status')}: {status.value}", label(status)] for status in CapacityStatus],
                *[[f"{_('Maturity')} {level}", str(name)] for level, name in label_items("maturity")],
                [
                    _("Matrix cells"),
                    _(
                        "%(has)s, %(offers)s, %(needs)s: has, offers, needs, "
                        "followed by the highest maturity",
                        has=labels[CapacityStatus.HAS],
                        offers=labels[CapacityStatus.OFFERS],
                        needs=labels[CapacityStatus.NEEDS],
                    ),
                ],
                *[[c.slug, f"{c.name}: {c.definition}"] for c in catalogue],
            ],
            (24, 100),
        ),
    ]
