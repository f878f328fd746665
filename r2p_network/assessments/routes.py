"""National strategy assessments: list, create, edit by section, submit, share, compare, print, export.

Every read goes through ``permissions``: the team sees its assessments; others see a
version only as far as the team shared it. Anything a reader may not see is a 404,
so its existence is not revealed either.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from r2p_network.assessments import bp, schema
from r2p_network.assessments.catalogue import default_slug
from r2p_network.assessments.forms import (
    NewAssessmentForm,
    VisibilityForm,
    answers_from,
    section_form,
)
from r2p_network.assessments.localize import localized, translate
from r2p_network.assessments.queries import (
    SHARED_PER_PAGE,
    all_assessment_summaries,
    assessment_with_template,
    country_name,
    latest_template_versions,
    shared_versions,
    team_assessments,
    version_list,
    version_with_template,
)
from r2p_network.assessments.services import (
    EditConflict,
    create_assessment,
    save_section,
    set_visibility,
    start_new_draft,
    submit,
)
from r2p_network.core import audit, ratelimit
from r2p_network.core.errors import StateError
from r2p_network.core.exports import Sheet, json_response, xlsx_response
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.i18n import current_lang
from r2p_network.core.labels import label
from r2p_network.core.pagination import page_count
from r2p_network.core.transaction import commit, discard
from r2p_network.documents.queries import attached
from r2p_network.models import Assessment, AssessmentStatus, AssessmentVersion, TemplateVersion, Visibility
from r2p_network.permissions import (
    can_oversee_assessments,
    can_read_assessment_content,
    is_team_member,
    public,
    team_of,
)


def _own(assessment_id: int) -> tuple[Assessment, TemplateVersion]:
    """The assessment and its template, for its own team only (404 for everyone else)."""
    found = assessment_with_template(assessment_id)
    if found is None or not is_team_member(current_user, found[0].country_iso3, found[0].network):
        abort(404)
    return found


def _readable_version(
    assessment_id: int, number: int
) -> tuple[Assessment, AssessmentVersion, TemplateVersion]:
    found = assessment_with_template(assessment_id)
    version = version_with_template(assessment_id, number)
    if found is None or version is None:
        _not_found()
    assessment = found[0]
    if not can_read_assessment_content(
        current_user, assessment.country_iso3, assessment.network, version[0].visibility
    ):
        _not_found()
    return assessment, version[0], version[1]


def _audit_view(action: str, assessment: Assessment, *versions: AssessmentVersion, **detail: Any) -> None:
    """One audit event for each view of answers that are not public (a draft, or a private or
    network-shared version), committed at once since the page itself changes nothing."""
    if versions and all(version.visibility == Visibility.PUBLIC for version in versions):
        return
    audit.record(
        action,
        actor_id=current_user.id if current_user.is_authenticated else None,
        object_type="assessment",
        object_id=assessment.id,
        **detail,
    )
    commit()


def _not_found() -> NoReturn:
    """404 for members; anonymous visitors are asked to sign in, whether or not the page exists."""
    if not current_user.is_authenticated:
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    abort(404)


@bp.route("/")
def index() -> ResponseReturnValue:
    team = team_of(current_user)
    asked = request.args.get("page", 1, type=int)
    shared, total, page = shared_versions([Visibility.NETWORK, Visibility.PUBLIC], team, asked)
    return render_template(
        "assessments/index.html",
        team=team,
        team_country=country_name(team[0]) if team else None,
        own=team_assessments(*team) if team else [],
        shared=shared,
        shared_total=total,
        page=page,
        pages=page_count(total, SHARED_PER_PAGE),
        overview=all_assessment_summaries() if can_oversee_assessments(current_user) else None,
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    team = team_of(current_user)
    if team is None:
        abort(403)
    available = {template.slug: (template, version) for template, version in latest_template_versions()}
    if not available:
        abort(503)
    form = NewAssessmentForm(
        templates=[
            (slug, translate(t.name, own=v.definition.get("translations")))
            for slug, (t, v) in available.items()
        ]
    )
    if request.method == "GET":
        preferred = default_slug(team[1])
        form.template.data = preferred if preferred in available else next(iter(available))
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            version = available[form.template.data][1]
            assessment = create_assessment(current_user, form.title.data, version)
            commit()
            flash(_("Draft created. It is private to your team."), "success")
            return redirect(url_for("assessments.edit", assessment_id=assessment.id))
        status = 400
    return render_template("assessments/new.html", form=form, templates=list(available.values())), status


@bp.route("/<int:assessment_id>")
def detail(assessment_id: int) -> ResponseReturnValue:
    found = assessment_with_template(assessment_id)
    if found is None:
        abort(404)
    assessment, template = found
    if not is_team_member(current_user, assessment.country_iso3, assessment.network):
        # Others are sent to the latest version they may read, if any.
        for meta in version_list(assessment.id):
            if can_read_assessment_content(
                current_user, assessment.country_iso3, assessment.network, meta.visibility
            ):
                return redirect(
                    url_for("assessments.version", assessment_id=assessment.id, number=meta.number)
                )
        abort(404)
    _audit_view("assessment.draft_viewed", assessment)
    return render_template(
        "assessments/view.html",
        assessment=assessment,
        definition=localized(template.definition),
        progress=schema.progress(localized(template.definition), assessment.answers),
        versions=version_list(assessment.id),
        country=country_name(assessment.country_iso3),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:assessment_id>/edit", methods=["GET", "POST"])
def edit(assessment_id: int) -> ResponseReturnValue:
    assessment, template = _own(assessment_id)
    definition = localized(template.definition)
    if assessment.status != AssessmentStatus.DRAFT:
        flash(_("This assessment is submitted. Start a new draft to revise it."), "info")
        return redirect(url_for("assessments.detail", assessment_id=assessment.id))
    sections = schema.sections(definition)
    section = schema.section(definition, request.args.get("section", sections[0]["key"]))
    if section is None:
        abort(404)
    status = 200
    conflict = False
    if request.method == "POST":
        form = section_form(section, assessment.answers, formdata=request.form)
        if form.validate_on_submit():
            try:
                save_section(
                    assessment, answers_from(section, form), current_user, _int(form.lock_version.data)
                )
                commit()
            except (EditConflict, StaleDataError):
                discard()
                conflict, status = True, 409
            else:
                flash(_("Saved: %(section)s.", section=section["title"]), "success")
                target = request.form.get("next_section") or section["key"]
                return redirect(url_for("assessments.edit", assessment_id=assessment.id, section=target))
        else:
            status = 400
        if conflict:
            # Keep what this member typed; show the draft as now saved for comparison.
            assessment, template = _own(assessment_id)
    else:
        form = section_form(section, assessment.answers)
    form.lock_version.data = str(assessment.lock_version)
    return render_template(
        "assessments/edit.html",
        assessment=assessment,
        definition=definition,
        section=section,
        form=form,
        progress=schema.progress(definition, assessment.answers),
        conflict=conflict,
        next_section=_next_section(sections, section["key"]),
    ), status


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _next_section(sections: list[dict[str, Any]], key: str) -> str | None:
    keys = [s["key"] for s in sections]
    index = keys.index(key)
    return keys[index + 1] if index + 1 < len(keys) else None


@bp.route("/<int:assessment_id>/submit", methods=["POST"])
def submit_draft(assessment_id: int) -> ResponseReturnValue:
    assessment, template = _own(assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = submit(assessment, template.definition, current_user)
    except StateError:
        flash(_("Only a draft can be submitted."), "error")
        return redirect(url_for("assessments.detail", assessment_id=assessment.id))
    commit()
    flash(
        _(
            "Version %(number)d is submitted. It stays private to your team until you share it.",
            number=version.number,
        ),
        "success",
    )
    return redirect(url_for("assessments.detail", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>/new-draft", methods=["POST"])
def new_draft(assessment_id: int) -> ResponseReturnValue:
    assessment, _template = _own(assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        start_new_draft(assessment, current_user)
    except StateError:
        flash(_("A draft is already open."), "info")
        return redirect(url_for("assessments.detail", assessment_id=assessment.id))
    commit()
    flash(_("A new draft starts from the latest version."), "success")
    return redirect(url_for("assessments.edit", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>/versions/<int:number>")
@public
def version(assessment_id: int, number: int) -> ResponseReturnValue:
    assessment, version, template = _readable_version(assessment_id, number)
    team = is_team_member(current_user, assessment.country_iso3, assessment.network)
    form = None
    if team:
        form = VisibilityForm(formdata=None, data={"visibility": version.visibility.value})
    print_view = request.args.get("print") == "1"
    action = "assessment.version_printed" if print_view else "assessment.version_viewed"
    _audit_view(action, assessment, version, version=number, visibility=version.visibility.value)
    return render_template(
        "assessments/version.html",
        assessment=assessment,
        version=version,
        definition=localized(template.definition),
        country=country_name(assessment.country_iso3),
        team=team,
        visibility_form=form,
        versions=version_list(assessment.id) if team else [],
        print_view=print_view,
        # Attachments are read exactly as far as the version, which _readable_version checked.
        documents=attached(current_user, version_id=version.id, everything=True),
        attach_url=url_for("documents.new", version=version.id) if team else None,
    )


@bp.route("/<int:assessment_id>/versions/<int:number>/visibility", methods=["POST"])
def change_visibility(assessment_id: int, number: int) -> ResponseReturnValue:
    assessment, _template = _own(assessment_id)
    found = version_with_template(assessment.id, number)
    if found is None:
        abort(404)
    version = found[0]
    form = VisibilityForm()
    if not form.validate_on_submit():
        for message in form.errors.get("confirm", []) + form.errors.get("visibility", []):
            flash(message, "error")
        return redirect(url_for("assessments.version", assessment_id=assessment.id, number=number))
    set_visibility(version, Visibility(form.visibility.data), current_user)
    commit()
    flash(
        _(
            "Version %(number)d is now: %(visibility)s.",
            number=number,
            visibility=label(version.visibility),
        ),
        "success",
    )
    return redirect(url_for("assessments.version", assessment_id=assessment.id, number=number))


@bp.route("/<int:assessment_id>/compare")
@public
def compare(assessment_id: int) -> ResponseReturnValue:
    before_number, after_number = _int(request.args.get("from")), _int(request.args.get("to"))
    assessment, before, template = _readable_version(assessment_id, before_number)
    _assessment, after, _after_template = _readable_version(assessment_id, after_number)
    _audit_view(
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


def _export_rows(definition: dict[str, Any], answers: dict[str, Any], section: dict[str, Any]):
    for question in section["questions"]:
        group = question.get("group")
        yield (
            group["title"] if group else "",
            question["label"],
            schema.display(question, answers.get(question["key"])),
        )


@bp.route("/<int:assessment_id>/versions/<int:number>/export.<fmt>")
def export(assessment_id: int, number: int, fmt: str) -> ResponseReturnValue:
    assessment, _template = _own(assessment_id)
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
    sheets = [
        Sheet(
            name=f"{section['element']}. {section['key'].title()}",
            header=[_("Group"), _("Question"), _("Answer")],
            rows=_export_rows(definition, version.answers, section),
            widths=(40, 40, 80),
        )
        for section in schema.sections(localized(definition))
    ]
    return xlsx_response(filename, sheets, right_to_left=current_lang() == "ar")
