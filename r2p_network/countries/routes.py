"""Country pages, their treaty records and the public coverage page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network import audit
from r2p_network.capacity.forms import STATUS_LABELS as CAPACITY_LABELS
from r2p_network.capacity.queries import categories
from r2p_network.countries import bp
from r2p_network.countries.forms import PARTICIPATION_LABELS, TreatyStatusForm
from r2p_network.countries.queries import CountryPage, country_page, network_coverage, treaty_history
from r2p_network.countries.services import set_treaty_status
from r2p_network.extensions import db
from r2p_network.models import CapacityStatus, Instrument, TreatyParticipation
from r2p_network.permissions import can_edit_government_treaty_records, public
from r2p_network.regions.queries import capacity_cells, country_scope, latest_lessons, progress
from r2p_network.transaction import commit


def _page_or_404(iso3: str) -> CountryPage:
    page = country_page(iso3)
    if page is None:
        abort(404)
    return page


def _require_editor(iso3: str) -> None:
    """403 for everyone but administrators and the country's government focal points; the
    refused attempt is audited."""
    if can_edit_government_treaty_records(current_user, iso3):
        return
    audit.record("treaty.edit_denied", actor_id=current_user.id, object_type="country", object_id=iso3)
    commit()
    abort(403)


@bp.route("/countries/<iso3>")
def country(iso3: str) -> ResponseReturnValue:
    if iso3 != iso3.upper():
        return redirect(url_for("countries.country", iso3=iso3.upper()), code=301)
    page = _page_or_404(iso3)
    scope = country_scope(page.country.iso3)
    return render_template(
        "countries/detail.html",
        page=page,
        labels=PARTICIPATION_LABELS,
        strategies=progress(scope).get(page.country.iso3, []),
        cells=capacity_cells(scope).get(page.country.iso3, {}),
        catalogue=categories(),
        capacity_labels=CAPACITY_LABELS,
        statuses=list(CapacityStatus),
        lessons=latest_lessons(scope, current_user, cross=False),
        cross_lessons=latest_lessons(scope, current_user, cross=True),
        can_edit_treaties=can_edit_government_treaty_records(current_user, page.country.iso3),
    )


def _treaty_forms(page: CountryPage) -> dict[str, TreatyStatusForm]:
    return {
        row.slug: TreatyStatusForm(
            prefix=row.slug,
            formdata=None,
            data={
                "status": row.status.value if row.status else None,
                "source": row.source,
                "as_of": row.as_of,
            },
        )
        for row in page.treaties
    }


@bp.route("/countries/<iso3>/treaties")
def treaties(iso3: str) -> ResponseReturnValue:
    page = _page_or_404(iso3)
    _require_editor(page.country.iso3)
    audit.record("treaty.edit_page_viewed", actor_id=current_user.id, object_type="country", object_id=iso3)
    commit()
    return render_template(
        "countries/treaties.html",
        page=page,
        forms=_treaty_forms(page),
        history=treaty_history(page.country.iso3),
        labels=PARTICIPATION_LABELS,
    )


@bp.route("/countries/<iso3>/treaties/<slug>", methods=["POST"])
def update_treaty(iso3: str, slug: str) -> ResponseReturnValue:
    page = _page_or_404(iso3)
    _require_editor(page.country.iso3)
    if db.session.get(Instrument, slug) is None:
        abort(404)
    form = TreatyStatusForm(prefix=slug)
    if not form.validate_on_submit():
        forms = _treaty_forms(page)
        forms[slug] = form
        return render_template(
            "countries/treaties.html",
            page=page,
            forms=forms,
            history=treaty_history(page.country.iso3),
            labels=PARTICIPATION_LABELS,
            invalid=slug,
        ), 400
    set_treaty_status(
        page.country.iso3,
        slug,
        TreatyParticipation(form.status.data),
        form.source.data,
        form.as_of.data,
        current_user,
    )
    commit()
    flash(_("The treaty record is saved."), "success")
    return redirect(url_for("countries.treaties", iso3=page.country.iso3) + f"#treaty-{slug}")


@bp.route("/network")
@public
def network() -> ResponseReturnValue:
    return render_template("countries/network.html", coverage=network_coverage())
