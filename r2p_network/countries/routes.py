"""Country pages, their treaty records and the public coverage page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.assistance.queries import counts_by_capacity
from r2p_network.capacity.queries import categories
from r2p_network.core import audit
from r2p_network.core.geography import country_scope
from r2p_network.core.transaction import commit
from r2p_network.countries import bp
from r2p_network.countries.forms import TreatyStatusForm
from r2p_network.countries.queries import CountryPage, country_page, network_coverage, treaty_history
from r2p_network.countries.services import set_treaty_status
from r2p_network.extensions import db
from r2p_network.models import CapacityStatus, Instrument, TreatyParticipation
from r2p_network.permissions import can_edit_treaty_records, public
from r2p_network.regions.queries import capacity_cells, latest_lessons, progress


def _page_or_404(iso3: str) -> CountryPage:
    page = country_page(iso3)
    if page is None:
        abort(404)
    return page


def _require_editor(iso3: str) -> None:
    """403 for everyone but administrators and the country's government focal points; the
    refused attempt is audited."""
    if can_edit_treaty_records(current_user, iso3):
        return
    audit.record("treaty.edit_denied", actor_id=current_user.id, object_type="country", object_id=iso3)
    commit()
    abort(403)


@bp.route("/countries/<iso3>")
def detail(iso3: str) -> ResponseReturnValue:
    if iso3 != iso3.upper():
        return redirect(url_for("countries.detail", iso3=iso3.upper()), code=301)
    page = _page_or_404(iso3)
    scope = country_scope(page.country.iso3)
    return render_template(
        "countries/detail.html",
        page=page,
        strategies=progress(scope).get(page.country.iso3, []),
        cells=capacity_cells(scope).get(page.country.iso3, {}),
        assistance=counts_by_capacity(scope),
        catalogue=categories(),
        statuses=list(CapacityStatus),
        lessons=latest_lessons(scope, current_user, cross=False),
        cross_lessons=latest_lessons(scope, current_user, cross=True),
        can_edit_treaties=can_edit_treaty_records(current_user, page.country.iso3),
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
                "withdrawal_effective_on": row.withdrawal_effective_on,
                "implementing_legislation": row.implementing_legislation,
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
            invalid=slug,
        ), 400
    set_treaty_status(
        page.country.iso3,
        slug,
        TreatyParticipation(form.status.data),
        form.source.data,
        form.as_of.data,
        current_user,
        withdrawal_effective_on=form.withdrawal_effective_on.data,
        implementing_legislation=form.implementing_legislation.data,
    )
    commit()
    flash(_("The treaty record is saved."), "success")
    return redirect(url_for("countries.treaties", iso3=page.country.iso3) + f"#treaty-{slug}")


@bp.route("/network")
@public
def network() -> ResponseReturnValue:
    return render_template("countries/network.html", coverage=network_coverage())
