"""Administrators' editors for reference data: strategy templates, regional memberships, the
capacity catalogue and the lesson themes. Registered on the admin blueprint, so the same
administrators-only guard applies."""

from __future__ import annotations

import json
from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.admin import bp
from r2p_network.admin.forms import BodyNamesForm, CategoryForm, MembershipForm, TemplateForm, ThemeForm
from r2p_network.admin.queries import body_memberships, template_versions
from r2p_network.admin.reference_services import (
    publish_template_version,
    remove_membership,
    save_body_names,
    save_catalogue_item,
    save_membership,
)
from r2p_network.assessments.schema import DefinitionError, parse_definition, validate_definition
from r2p_network.core.forms import ConfirmForm, country_choices
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import (
    CapacityCategory,
    LessonTheme,
    Membership,
    MembershipStatus,
    RegionalBody,
    StrategyTemplate,
)
from r2p_network.permissions import Capability, requires

# One of the two slug-keyed catalogues (checked by mypy for each of them).
CatalogueItem = TypeVar("CatalogueItem", CapacityCategory, LessonTheme)


def _template(slug: str) -> StrategyTemplate:
    template = db.session.query(StrategyTemplate).filter_by(slug=slug).one_or_none()
    if template is None:
        abort(404)
    return template


@bp.route("/templates/<slug>", methods=["GET", "POST"])
@requires(Capability.EDIT_REFERENCE_DATA)
def template_editor(slug: str) -> ResponseReturnValue:
    """Edit a template definition as JSON, preview it, then publish it as a new version."""
    template = _template(slug)
    versions = template_versions(template.id)
    form = TemplateForm()
    preview = None
    status = 200
    if request.method == "GET":
        form.definition.data = json.dumps(versions[0].definition, ensure_ascii=False, indent=2)
    elif form.validate_on_submit():
        try:
            definition = parse_definition(form.definition.data)
            validate_definition(definition)
        except (ValueError, DefinitionError) as error:
            form.definition.errors.append(_("The definition is not valid: %(error)s", error=str(error)))
            status = 400
        else:
            if request.form.get("publish") == "1":
                version = publish_template_version(template, definition, current_user)
                commit()
                flash(
                    _(
                        "Version %(n)d is published. Existing assessments keep their version.",
                        n=version.number,
                    ),
                    "success",
                )
                return redirect(url_for("admin.template_editor", slug=slug))
            preview = definition
    else:
        status = 400
    return render_template(
        "admin/template.html", template=template, versions=versions, form=form, preview=preview
    ), status


@bp.route("/bodies/<slug>", methods=["GET", "POST"])
@requires(Capability.EDIT_REFERENCE_DATA)
def body_editor(slug: str) -> ResponseReturnValue:
    """A regional group's or organisation's members, with status, date and source."""
    body = db.get_or_404(RegionalBody, slug)
    form = MembershipForm()
    form.country.choices = country_choices()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            save_membership(
                body,
                form.country.data,
                MembershipStatus(form.status.data),
                form.as_of.data,
                form.source.data,
                form.note.data or None,
                current_user,
            )
            commit()
            flash(_("The membership is saved."), "success")
            return redirect(url_for("admin.body_editor", slug=slug))
        status = 400
    names = BodyNamesForm(formdata=None)
    names.set_translations(body.translations)
    return _body_page(body, form, names, status)


def _body_page(
    body: RegionalBody, form: MembershipForm, names: BodyNamesForm, status: int
) -> ResponseReturnValue:
    return render_template(
        "admin/body.html",
        body=body,
        rows=body_memberships(body.slug),
        form=form,
        names=names,
        confirm=ConfirmForm(),
    ), status


@bp.route("/bodies/<slug>/names", methods=["POST"])
@requires(Capability.EDIT_REFERENCE_DATA)
def body_names(slug: str) -> ResponseReturnValue:
    """Save the name of a group or organisation in the other five UN languages."""
    body = db.get_or_404(RegionalBody, slug)
    names = BodyNamesForm()
    if names.validate_on_submit():
        save_body_names(body, names.translations(), current_user)
        commit()
        flash(_("The translations of the name are saved."), "success")
        return redirect(url_for("admin.body_editor", slug=slug))
    form = MembershipForm(formdata=None)
    form.country.choices = country_choices()
    return _body_page(body, form, names, 400)


@bp.route("/bodies/<slug>/members/<int:membership_id>/remove", methods=["POST"])
@requires(Capability.EDIT_REFERENCE_DATA)
def remove_body_member(slug: str, membership_id: int) -> ResponseReturnValue:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.body_slug != slug or not ConfirmForm().validate_on_submit():
        abort(404)
    remove_membership(membership, current_user)
    commit()
    flash(_("The country is removed from this body."), "success")
    return redirect(url_for("admin.body_editor", slug=slug))


@bp.route("/capacity-categories", methods=["GET", "POST"])
@bp.route("/capacity-categories/<int:item_id>", methods=["GET", "POST"])
@requires(Capability.EDIT_REFERENCE_DATA)
def category_editor(item_id: int | None = None) -> ResponseReturnValue:
    """Add a capacity category, or edit one (name, definition, whether it is offered)."""
    return _catalogue_editor(CapacityCategory, CategoryForm, item_id, "definition")


@bp.route("/lesson-themes", methods=["GET", "POST"])
@bp.route("/lesson-themes/<int:item_id>", methods=["GET", "POST"])
@requires(Capability.EDIT_REFERENCE_DATA)
def theme_editor(item_id: int | None = None) -> ResponseReturnValue:
    """Add a theme or tool for lessons, or edit one (name, whether authors can choose it)."""
    return _catalogue_editor(LessonTheme, ThemeForm, item_id)


def _catalogue_editor(
    model: type[CatalogueItem], form_class: type, item_id: int | None, *texts: str
) -> ResponseReturnValue:
    item = db.session.get(model, item_id) if item_id else None
    if item_id and item is None:
        abort(404)
    form = form_class(obj=item if request.method == "GET" else None)
    if request.method == "GET" and item is not None:
        form.set_translations(item.translations)
    endpoint = request.endpoint or ""
    if form.validate_on_submit():
        values = {name: form[name].data for name in texts}
        save_catalogue_item(
            model,
            item,
            current_user,
            name=form.name.data,
            active=form.active.data,
            translations=form.translations(),
            **values,
        )
        commit()
        flash(_("Saved."), "success")
        return redirect(url_for(endpoint))
    items = db.session.query(model).order_by(model.position).all()
    return render_template(
        "admin/catalogue.html",
        form=form,
        item=item,
        items=items,
        endpoint=endpoint,
        texts=texts,
        active=sum(1 for i in items if i.active),
        is_themes=model is LessonTheme,
    ), (400 if request.method == "POST" else 200)
