"""The regions index, each regional view with its map and data, and the comparison page.

Anyone sees coverage; members also see strategy progress, capacities, the risk overview and
lessons. Every number comes from ``regions.queries``, in a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from r2p_network.assessments.default_template import RISK_FACTORS
from r2p_network.assessments.localize import translate
from r2p_network.assessments.queries import shared_action_counts
from r2p_network.assistance.queries import counts_by_capacity
from r2p_network.capacity.queries import categories
from r2p_network.core.fragments import cached
from r2p_network.core.membership import coverage, coverage_totals
from r2p_network.models import BodyKind, CapacityStatus, Network
from r2p_network.permissions import is_member, public
from r2p_network.regions import bp
from r2p_network.regions.maps import frame_for
from r2p_network.regions.organisation_routes import organisation_page
from r2p_network.regions.queries import (
    JUDGEMENTS,
    K_ANONYMITY,
    Place,
    all_places,
    body_places,
    capacity_cells,
    capacity_counts,
    centre_of,
    find_place,
    gaps,
    latest_lessons,
    lesson_counts,
    m49_places,
    membership_provenance,
    progress,
    risk_overview,
    scope_of,
    scopes_of,
)

KINDS = ("m49", "groups", "orgs")
MAX_COMPARED = 6


@bp.route("/")
@public
def index() -> ResponseReturnValue:
    return render_template(
        "regions/index.html",
        regions=m49_places(),
        groups=body_places(BodyKind.UN_GROUP),
        organisations=body_places(BodyKind.ORGANISATION),
    )


def _place(kind: str, key: str) -> Place:
    place = find_place(kind, key) if kind in KINDS else None
    if place is None:
        abort(404)
    return place


def regional_data(place: Place) -> dict[str, Any]:
    """Everything a regional view shows; for visitors who are not members, coverage only."""
    scope = scope_of(place)
    rows = coverage(scope).get(place.key, [])
    sources, note = membership_provenance(place)
    data: dict[str, Any] = {
        "rows": rows,
        "totals": coverage_totals(rows),
        "member": is_member(current_user),
        "sources": sources,
        "body_note": note,
    }
    if not data["member"]:
        return data
    data.update(
        progress=progress(scope).get(place.key, []),
        cells=capacity_cells(scope).get(place.key, {}),
        counts=capacity_counts(scope).get(place.key, {}),
        assistance=counts_by_capacity(scope),
        gaps=gaps(scope, centre_of(rows)),
        risk=risk_overview(scope).get(place.key),
        actions=shared_action_counts(scope).get(place.key),
        lessons=latest_lessons(scope, current_user, cross=False, area=_area(place)),
        cross_lessons=latest_lessons(scope, current_user, cross=True, area=_area(place)),
    )
    return data


def _area(place: Place) -> str | None:
    return place.key if place.kind == "m49" else None


@bp.route("/<kind>/<key>")
@public
def detail(kind: str, key: str) -> ResponseReturnValue:
    place = _place(kind, key)
    member = is_member(current_user)
    catalogue = categories() if member else []
    chosen = request.args.get("capacity", "")
    if chosen not in {c.slug for c in catalogue}:
        chosen = ""
    # The same for every reader with the same language and audience: built once per change of
    # the data (regions cost up to 100 ms to compute and draw), see r2p_network.core.fragments.
    body = cached(
        "regions/_view_body.html",
        (place.kind, place.key, chosen),
        "members" if member else "visitors",
        lambda: _view_context(place, catalogue, chosen),
    )
    if place.kind == "orgs":
        return organisation_page(place, body)
    return render_template("cached_page.html", title=str.__str__(place.name), body=body)


def _view_context(place: Place, catalogue: list[Any], chosen: str) -> dict[str, Any]:
    data = regional_data(place)
    frame = frame_for(tuple((r.m49, r.latitude, r.longitude) for r in data["rows"]))
    cells = data.get("cells", {})
    # The matrix's cells, prepared here: Jinja loops over 54 x 21 cells cost more than the SQL.
    matrix = [
        (row, [[s for s in CapacityStatus if s in cells.get((row.iso3, c.slug), ())] for c in catalogue])
        for row in data["rows"]
    ]
    return dict(
        place=place,
        frame=frame,
        by_m49={r.m49: r for r in data["rows"]},
        by_iso3={r.iso3: r for r in data["rows"]},
        matrix=matrix,
        risk_titles={number: translate(title) for number, title, *_rest in RISK_FACTORS},
        catalogue=catalogue,
        chosen=chosen,
        networks=list(Network),
        statuses=list(CapacityStatus),
        coverage_labels=[
            ngettext("%(num)d network with focal points", "%(num)d networks with focal points", n)
            for n in range(len(Network) + 1)
        ],
        judgements=JUDGEMENTS,
        k=K_ANONYMITY,
        **data,
    )


@bp.route("/<kind>/<key>/data.json")
@public
def detail_data(kind: str, key: str) -> ResponseReturnValue:
    """The numbers behind the map and charts: the same as the page's tables."""
    place = _place(kind, key)
    data = regional_data(place)
    totals = data["totals"]
    body: dict[str, Any] = {
        "region": {"kind": place.kind, "key": place.key, "name": place.name},
        "membership_sources": [
            {"source": p.source, "as_of": p.as_of.isoformat(), "countries": p.countries}
            for p in data["sources"]
        ],
        "coverage": {
            "countries": totals.countries,
            "with_focal_points": totals.with_any,
            "by_network": totals.by_network,
            "vacant": totals.vacant,
            "per_country": [
                {
                    "country": r.iso3,
                    "m49": r.m49,
                    "name": r.name,
                    "networks": r.networks,
                    "focal_points": {n.value: r.seats.get(n, 0) for n in Network},
                    "vacant": sorted(n.value for n in r.vacant),
                }
                for r in data["rows"]
            ],
        },
    }
    if data["member"]:
        counts = data["counts"]
        body["strategy_progress"] = [
            {
                "country": p.iso3,
                "network": p.network.value,
                "versions": p.versions,
                "complete_elements": [n for n, done in enumerate(p.complete, start=1) if done],
                "last_submitted_at": p.last_submitted_at.isoformat(),
            }
            for p in data["progress"]
        ]
        body["capacity"] = {
            "countries_per_category": [
                {
                    "category": c.slug,
                    **{s.value: counts.get((c.slug, s), 0) for s in CapacityStatus},
                }
                for c in categories()
            ],
            "gaps": [
                {"category": g.slug, "needing": g.needing, "nearest_offers": [iso3 for iso3, _n in g.nearest]}
                for g in data["gaps"]
            ],
        }
        risk = data["risk"]
        body["risk_factors"] = (
            {"suppressed": True, "reason": f"fewer than {K_ANONYMITY} countries"}
            if risk is None or risk.suppressed
            else {
                "suppressed": False,
                "countries": risk.countries,
                "counts": {str(n): c for n, c in risk.counts.items()},
            }
        )
    return jsonify(body)


@bp.route("/compare")
@public
def compare() -> ResponseReturnValue:
    """Places side by side: up to six chosen regions, groups and organisations (``?place=m49:002``,
    kept in the URL), or one of the three ready-made sets (``?set=groups``)."""
    # Each place once, in the order chosen; a few more than the limit, so the page can say so.
    chosen = list(dict.fromkeys(request.args.getlist("place")))[: MAX_COMPARED * 2]
    kind = "" if chosen else request.args.get("set", "m49")
    if kind and kind not in KINDS:
        abort(404)
    member = is_member(current_user)
    body = cached(
        "regions/_compare_body.html",
        (kind, *chosen),
        "members" if member else "visitors",
        lambda: _compare_context(kind, chosen, member),
    )
    return render_template("cached_page.html", title=_("Compare regions"), body=body)


def _compare_context(kind: str, chosen: list[str], member: bool) -> dict[str, Any]:
    everything = all_places()
    if kind == "m49":
        places = [place for place, depth in m49_places() if depth == 0]
    elif kind:
        places = body_places(BodyKind.UN_GROUP if kind == "groups" else BodyKind.ORGANISATION)
    else:
        known = {f"{p.kind}:{p.key}": p for p in everything}
        places = list({c: known[c] for c in chosen if c in known}.values())
    too_many = not kind and len(places) > MAX_COMPARED
    if too_many:
        places = places[:MAX_COMPARED]
    scope = scopes_of(places) if places else None
    covered = coverage(scope) if scope is not None else {}
    return dict(
        kind=kind,
        places=places,
        choosable=everything,
        chosen={f"{p.kind}:{p.key}" for p in places} if not kind else set(),
        too_many=too_many,
        max_compared=MAX_COMPARED,
        totals={p.key: coverage_totals(covered.get(p.key, [])) for p in places},
        member=member,
        progress=progress(scope) if member and scope is not None else {},
        counts=capacity_counts(scope) if member and scope is not None else {},
        lessons=lesson_counts(scope, current_user) if member and scope is not None else {},
        catalogue=categories() if member else [],
        statuses=list(CapacityStatus),
        networks=list(Network),
    )
