"""National strategy assessments: list, create, edit by section, submit, share, compare, print, export.

Every read goes through ``permissions``: the team sees its assessments; others see a
version only as far as the team shared it. Anything a reader may not see is a 404,
so its existence is not revealed either.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from r2p_network.assessments import bp, schema
from r2p_network.assessments.access import audit_view, own
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
    SectionSave,
    create_assessment,
    drop_draft,
    save_section,
    set_visibility,
    start_new_draft,
    submit,
)
from r2p_network.assessments.sharing_queries import latest_shared_number, versions_shared_with
from r2p_network.core.errors import StateError
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.labels import label
from r2p_network.core.pagination import page_count
from r2p_network.core.transaction import commit, discard
from r2p_network.models import Assessment, AssessmentStatus, Visibility
from r2p_network.permissions import (
    Capability,
    can_read_assessment_content,
    holds_anywhere,
    is_team_member,
    scope_condition,
    team_of,
    wants_json,
)


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
        overview=(
            all_assessment_summaries(
                scope_condition(current_user, Capability.OVERSEE_ASSESSMENTS, iso3=Assessment.country_iso3)
            )
            if holds_anywhere(current_user, Capability.OVERSEE_ASSESSMENTS)
            else None
        ),
        shared_with_me=versions_shared_with(current_user),
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
        shared = latest_shared_number(current_user, assessment.id)
        if shared is None:
            abort(404)
        return redirect(url_for("assessments.version", assessment_id=assessment.id, number=shared))
    audit_view("assessment.draft_viewed", assessment)
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
    """One section of the draft. The page's script saves it in the background (a JSON answer);
    without the script the Save button does the same, as an ordinary form."""
    assessment, template = own(assessment_id)
    definition = localized(template.definition)
    if assessment.status != AssessmentStatus.DRAFT:
        if wants_json():
            return jsonify(error=_("This assessment is submitted. Start a new draft to revise it.")), 409
        flash(_("This assessment is submitted. Start a new draft to revise it."), "info")
        return redirect(url_for("assessments.detail", assessment_id=assessment.id))
    section = schema.section(definition, request.args.get("section", schema.sections(definition)[0]["key"]))
    if section is None:
        abort(404)
    if request.method == "GET":
        return _edit_page(assessment, definition, section, section_form(section, assessment.answers))
    form = section_form(section, assessment.answers, formdata=request.form)
    if not form.validate_on_submit():
        if wants_json():
            return jsonify(errors=form.errors), 400
        return _edit_page(assessment, definition, section, form, status=400)
    answers = answers_from(section, form)
    outcome = _save(assessment_id, section, answers, _posted_locks(form.section_locks.data))
    assessment, template = own(assessment_id)
    if wants_json():
        return jsonify(
            saved=outcome.saved, conflicts=outcome.conflicts, locks=outcome.locks
        ), 409 if outcome.conflicts else 200
    if outcome.conflicts:
        units = schema.lock_units(section)
        mine = {q["key"]: answers.get(q["key"]) for unit in outcome.conflicts for q in units[unit]}
        # The form shows what is saved, except the contested parts, which show this member's text:
        # saving it again keeps theirs, editing it merges by hand, reloading takes the teammate's.
        shown = section_form(section, {**assessment.answers, **mine})
        differences = schema.compare(
            {"sections": [{**section, "questions": [q for u in outcome.conflicts for q in units[u]]}]},
            assessment.answers,
            mine,
        )
        return _edit_page(assessment, definition, section, shown, differences=differences, status=409)
    flash(_("Saved: %(section)s.", section=section["title"]), "success")
    target = request.form.get("next_section") or section["key"]
    return redirect(url_for("assessments.edit", assessment_id=assessment.id, section=target))


def _save(
    assessment_id: int, section: dict[str, Any], answers: dict[str, Any], locks: dict[str, str]
) -> SectionSave:
    """Save and commit; a teammate's save of another part at the same instant only means reading again."""
    attempts = 3
    while True:
        assessment, _template = own(assessment_id)
        try:
            outcome = save_section(assessment, section, answers, current_user, locks)
            commit()
            return outcome
        except StaleDataError:
            discard()
            attempts -= 1
            if not attempts:
                raise


def _posted_locks(text: str | None) -> dict[str, str]:
    try:
        locks = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(locks, dict):
        return {}
    return {str(unit): str(lock) for unit, lock in locks.items()}


def _edit_page(
    assessment: Assessment,
    definition: dict[str, Any],
    section: dict[str, Any],
    form: Any,
    *,
    differences: list[schema.Difference] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    form.section_locks.data = json.dumps(
        schema.section_locks(section, assessment.answers, assessment.section_locks or {})
    )
    return render_template(
        "assessments/edit.html",
        assessment=assessment,
        definition=definition,
        section=section,
        form=form,
        progress=schema.progress(definition, assessment.answers),
        parts=schema.group_progress(section, assessment.answers),
        differences=differences,
        next_section=_next_section(schema.sections(definition), section["key"]),
    ), status


def _next_section(sections: list[dict[str, Any]], key: str) -> str | None:
    keys = [s["key"] for s in sections]
    index = keys.index(key)
    return keys[index + 1] if index + 1 < len(keys) else None


@bp.route("/<int:assessment_id>/submit", methods=["POST"])
def submit_draft(assessment_id: int) -> ResponseReturnValue:
    assessment, template = own(assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    missing = any(item.required_missing for item in schema.progress(template.definition, assessment.answers))
    if missing and request.form.get("incomplete") != "y":
        flash(_("Required answers are missing: tick the box to submit the version anyway."), "error")
        return redirect(url_for("assessments.detail", assessment_id=assessment.id))
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


@bp.route("/<int:assessment_id>/discard", methods=["POST"])
def discard_draft(assessment_id: int) -> ResponseReturnValue:
    assessment, _template = own(assessment_id)
    if not ConfirmForm().validate_on_submit() or assessment.status != AssessmentStatus.DRAFT:
        abort(400)
    if request.form.get("confirm") != "y":
        flash(_("Tick the box to confirm that the draft should be discarded."), "error")
        return redirect(url_for("assessments.detail", assessment_id=assessment.id))
    kept = drop_draft(assessment, current_user)
    commit()
    flash(_("The draft is discarded."), "success")
    if kept:
        return redirect(url_for("assessments.detail", assessment_id=assessment_id))
    return redirect(url_for("assessments.index"))


@bp.route("/<int:assessment_id>/new-draft", methods=["POST"])
def new_draft(assessment_id: int) -> ResponseReturnValue:
    assessment, _template = own(assessment_id)
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


@bp.route("/<int:assessment_id>/versions/<int:number>/visibility", methods=["POST"])
def change_visibility(assessment_id: int, number: int) -> ResponseReturnValue:
    assessment, _template = own(assessment_id)
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
