"""The document library: listing and search, uploads, downloads behind a permission check, deletion."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user
from werkzeug.exceptions import RequestEntityTooLarge

from r2p_network.core import ratelimit
from r2p_network.core.forms import ConfirmForm, valid_values
from r2p_network.core.geography import region_rows
from r2p_network.core.pagination import page_count
from r2p_network.core.transaction import commit
from r2p_network.documents import bp
from r2p_network.documents.forms import DocumentForm, LibraryFilterForm
from r2p_network.documents.queries import PER_PAGE, DocumentFilters, filter_events, library_page
from r2p_network.documents.scan import ScanUnavailable
from r2p_network.documents.services import Attachment, delete_document, record_download, remove_file, upload
from r2p_network.documents.sniff import Refused
from r2p_network.documents.storage import storage
from r2p_network.errors import render_error
from r2p_network.extensions import db
from r2p_network.models import AssessmentVersion, Document, Event, Lesson, Visibility
from r2p_network.permissions import (
    can_attach_to_version,
    can_delete_document,
    can_edit_lesson,
    can_organise_event,
    can_read_document,
    can_read_event,
    can_read_lesson,
    organisation_of,
    public,
    team_of,
)

FILTERS = ("q", "kind", "language", "region", "country", "event")
# Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD = 256 * 1024


def _megabytes() -> str:
    return format_decimal(current_app.config["DOCUMENT_MAX_BYTES"] / (1024 * 1024), format="#,##0.#")


REFUSALS = {
    "size": lambda: _(
        "The file is larger than %(size)s MB, the most the library accepts.", size=_megabytes()
    ),
    "type": lambda: _(
        "This kind of file is not accepted. Upload a PDF, an Office or OpenDocument file, plain text, CSV, "
        "PNG or JPEG."
    ),
    "mismatch": lambda: _(
        "The file's content does not match its name's extension. Rename it or save it again."
    ),
    "empty": lambda: _("The file is empty."),
    "virus": lambda: _("The virus scanner found a threat in this file. It was not stored."),
}


@bp.url_value_preprocessor
def _allow_uploads(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    # Runs before CSRF protection reads the body: only the upload page takes files larger than the
    # site-wide MAX_CONTENT_LENGTH.
    if endpoint == "documents.new":
        request.max_content_length = current_app.config["DOCUMENT_MAX_BYTES"] + FORM_OVERHEAD


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    return render_error(413, REFUSALS["size"]())


@bp.route("/")
@public
def index() -> ResponseReturnValue:
    events = filter_events(current_user)
    form = LibraryFilterForm(request.args, regions=region_rows(), events=events)
    form.validate()
    values = valid_values(form, (*FILTERS,))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    filters = DocumentFilters(
        **{k: values[k] or "" for k in FILTERS if k != "event"},
        event=int(values["event"]) if values["event"] else None,
    )
    if filters.q:
        ratelimit.enforce("search", ratelimit.requester())
        commit()
    rows, total = library_page(current_user, filters, page)
    return render_template(
        "documents/index.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        query=filters.as_query(),
        may_upload=current_user.is_authenticated,
    )


def _attachment() -> Attachment:
    """What the upload is for, from the query string, if the member may attach to it (404/403 otherwise)."""
    if event_id := request.args.get("event", type=int):
        event = db.session.get(Event, event_id)
        if event is None or not can_read_event(current_user, event):
            abort(404)
        if not can_organise_event(current_user, event):
            abort(403)
        return Attachment(event=event)
    if lesson_id := request.args.get("lesson", type=int):
        lesson = db.session.get(Lesson, lesson_id)
        if lesson is None or not can_read_lesson(current_user, lesson):
            abort(404)
        if not can_edit_lesson(current_user, lesson):
            abort(403)
        return Attachment(lesson=lesson)
    if version_id := request.args.get("version", type=int):
        version = db.session.get(AssessmentVersion, version_id)
        # Another team learns nothing, not even that the version exists.
        if version is None or not can_attach_to_version(current_user, version):
            abort(404)
        return Attachment(version=version)
    return Attachment()


def _visibilities(attachment: Attachment) -> list[Visibility]:
    if attachment.lesson or attachment.version:
        return []  # the parent decides
    choices = [Visibility.NETWORK, Visibility.PUBLIC]
    own_seat = team_of(current_user) or organisation_of(current_user)
    return [Visibility.PRIVATE, *choices] if own_seat else choices


def _after_upload(document: Document, attachment: Attachment) -> str:
    if attachment.event:
        return url_for("events.detail", event_id=attachment.event.id) + "#documents"
    if attachment.lesson:
        return url_for("lessons.detail", lesson_id=attachment.lesson.id)
    return url_for("documents.detail", document_id=document.id)


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    attachment = _attachment()
    visibilities = _visibilities(attachment)
    form = DocumentForm(regions=region_rows(), visibilities=visibilities)
    if not visibilities:
        del form.visibility
    if form.validate_on_submit():
        content = form.file.data.read(current_app.config["DOCUMENT_MAX_BYTES"] + 1)
        try:
            document = upload(
                current_user, form.to_data(), content, form.file.data.filename or "", attachment
            )
        except Refused as refused:
            form.file.errors.append(REFUSALS[refused.reason]())
        except ScanUnavailable:
            form.file.errors.append(_("The virus scanner cannot check files just now. Try again later."))
        else:
            try:
                commit()
            except Exception:
                remove_file(document.storage_key)  # no record refers to it: do not keep the file
                raise
            flash(_("The document is stored."), "success")
            return redirect(_after_upload(document, attachment))
    return render_template(
        "documents/new.html", form=form, attachment=attachment, max_mb=_megabytes()
    ), 400 if form.errors else 200


def _document(document_id: int) -> Document:
    """The document if the reader may read it; 404 otherwise, so its existence is not revealed."""
    document = db.session.get(Document, document_id)
    if document is None or not can_read_document(current_user, document):
        abort(404)
    return document


@bp.route("/<int:document_id>")
@public
def detail(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    return render_template(
        "documents/detail.html",
        document=document,
        event=db.session.get(Event, document.event_id) if document.event_id else None,
        may_delete=can_delete_document(current_user, document),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:document_id>/download")
@public
def download(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    if not can_read_document(AnonymousUserMixin(), document):
        record_download(current_user if current_user.is_authenticated else None, document)
        commit()
    response = Response(storage().read(document.storage_key), mimetype=document.content_type)
    # Always a download, never shown inline, and never re-guessed by the browser.
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:document_id>/delete", methods=["POST"])
def delete(document_id: int) -> ResponseReturnValue:
    document = _document(document_id)
    if not can_delete_document(current_user, document):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = url_for("events.detail", event_id=document.event_id) if document.event_id else None
    key = delete_document(current_user, document)
    commit()
    remove_file(key)
    flash(_("The document is deleted."), "success")
    return redirect(back or url_for("documents.index"))
