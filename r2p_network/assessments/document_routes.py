"""A version as a page, in print (A4) and as PDF, XLSX and JSON downloads, and two versions compared.

Every form carries the reading marking (``queries.reading_marking``): who may read the version.
"""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.assessments import bp, schema
from r2p_network.assessments.access import audit_view, number_arg, own, readable_version
from r2p_network.assessments.documents import pdf_document, workbook_sheets
from r2p_network.assessments.forms import VisibilityForm
from r2p_network.assessments.localize import localized
from r2p_network.assessments.queries import country_name, reading_marking, version_list, version_with_template
from r2p_network.assessments.sharing_queries import shares_for_reader
from r2p_network.core import audit, ratelimit
from r2p_network.core.exports import json_response, xlsx_response
from r2p_network.core.i18n import current_lang
from r2p_network.core.labels import label
from r2p_network.core.transaction import commit
from r2p_network.documents.queries import attached
from r2p_network.permissions import is_team_member, public


def _version_page(assessment_id: int, number: int, *, print_view: bool, pdf: bool = False) -> str:
    assessment, version, template = readable_version(assessment_id, number)
    team = is_team_member(current_user, assessment.country_iso3, assessment.network)
    form = VisibilityForm(formdata=None, data={"visibility": version.visibility.value}) if team else None
    action = (
        "assessment.version_pdf"
        if pdf
        else "assessment.version_printed"
        if print_view
        else "assessment.version_viewed"
    )
    audit_view(action, assessment, version, version=number, visibility=version.visibility.value)
    country = country_name(assessment.country_iso3)
    return render_template(
        "assessments/version.html",
        assessment=assessment,
        version=version,
        definition=localized(template.definition),
        country=country,
        marking=reading_marking(assessment, version, country),
        team=team,
        visibility_form=form,
        versions=version_list(assessment.id) if team else [],
        print_view=print_view,
        pdf=pdf,
        shared_with_you=[] if team else shares_for_reader(current_user, version.id),
        # Attachments are read exactly as far as the version, which readable_version checked.
        documents=attached(current_user, version_id=version.id, everything=True),
        attach_url=url_for("documents.new", version=version.id) if team else None,
    )


@bp.route("/<int:assessment_id>/versions/<int:number>")
@public
def version(assessment_id: int, number: int) -> ResponseReturnValue:
    return _version_page(assessment_id, number, print_view=request.args.get("print") == "1")


@bp.route("/<int:assessment_id>/versions/<int:number>/document.pdf")
@public
def version_pdf(assessment_id: int, number: int) -> ResponseReturnValue:
    """The print view as a PDF, for readers who must send it by email."""
    ratelimit.enforce("export", ratelimit.requester())
    html = _version_page(assessment_id, number, print_view=True, pdf=True)
    filename = f"assessment-{assessment_id}-v{number}.pdf"
    return Response(
        pdf_document(html, request.host_url),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/<int:assessment_id>/compare")
@public
def compare(assessment_id: int) -> ResponseReturnValue:
    before_number, after_number = number_arg(request.args.get("from")), number_arg(request.args.get("to"))
    assessment, before, template = readable_version(assessment_id, before_number)
    _assessment, after, _after_template = readable_version(assessment_id, after_number)
    audit_view(
        "assessment.versions_compared", assessment, before, after, versions=[before_number, after_number]
    )
    return render_template(
        "assessments/compare.html",
        assessment=assessment,
        before=before,
        after=after,
        country=country_name(assessment.country_iso3),
        differences=schema.compare(localized(template.definition), before.answers, after.answers),
    )


@bp.route("/<int:assessment_id>/versions/<int:number>/export.<fmt>")
def export(assessment_id: int, number: int, fmt: str) -> ResponseReturnValue:
    assessment, _template = own(assessment_id)
    found = version_with_template(assessment.id, number)
    if found is None or fmt not in ("json", "xlsx"):
        abort(404)
    version, template = found
    definition = template.definition
    ratelimit.enforce("export", ratelimit.requester())
    audit.record(
        "export.assessment",
        actor_id=current_user.id,
        object_type="assessment",
        object_id=assessment.id,
        version=number,
        format=fmt,
    )
    commit()
    filename = f"assessment-{assessment.country_iso3.lower()}-{assessment.id}-v{number}.{fmt}"
    if fmt == "json":
        return json_response(
            filename,
            {
                "format": "r2p-assessment",
                "format_version": 1,
                "country": assessment.country_iso3,
                "network": assessment.network.value,
                "title": assessment.title,
                "version": number,
                "submitted_at": version.submitted_at.isoformat(),
                "visibility": version.visibility.value,
                "template": {"title": definition.get("title"), "version": template.number},
                "answers": version.answers,
            },
        )
    shown = localized(definition)
    country = country_name(assessment.country_iso3)
    cover = [
        (_("Title"), assessment.title),
        (_("Country"), country),
        (_("Team"), label(assessment.network)),
        (_("Template"), _("%(title)s, version %(n)d", title=shown.get("title", ""), n=template.number)),
        (_("Version"), number),
        (_("Submitted"), version.submitted_at.date()),
        (_("Who may read it"), reading_marking(assessment, version, country)),
        (_("Template source"), shown.get("source") or shown.get("description") or ""),
    ]
    sheets = workbook_sheets(shown, version.answers, cover)
    return xlsx_response(filename, sheets, right_to_left=current_lang() == "ar")
