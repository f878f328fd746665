"""Storing, describing, indexing and deleting documents. Flush, never commit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete

from r2p_network.core import audit, search
from r2p_network.core.geography import areas_of
from r2p_network.documents import extract
from r2p_network.documents.scan import scan
from r2p_network.documents.sniff import Refused, sniff
from r2p_network.documents.storage import new_key, storage
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    Document,
    DocumentKind,
    DocumentPlace,
    Event,
    Lesson,
    User,
    Visibility,
)
from r2p_network.permissions import organisation_of, team_of


@dataclass
class DocumentData:
    title: str
    kind: DocumentKind
    language: str
    visibility: Visibility
    description: str = ""
    countries: list[str] = field(default_factory=list)
    region: str | None = None


@dataclass(frozen=True)
class Attachment:
    """What a document is attached to: nothing (the library), an event, a lesson or a strategy version."""

    event: Event | None = None
    lesson: Lesson | None = None
    version: AssessmentVersion | None = None


def check_file(data: bytes, filename: str) -> tuple[str, str]:
    """(content type, safe file name) of an acceptable file; raises Refused ("size", "type", "mismatch",
    "empty", "virus") otherwise. ScanUnavailable when clamd is configured but does not answer."""
    if len(data) > current_app.config["DOCUMENT_MAX_BYTES"]:
        raise Refused("size")
    sniffed = sniff(data, filename)
    if scan(data) is not None:
        raise Refused("virus")
    return sniffed.content_type, sniffed.filename


def _owner(user: User, attachment: Attachment) -> tuple[str | None, object, str | None]:
    """The (country, network, organisation) a document belongs to: the version's team for its
    attachments, else the uploader's team or organisation seat."""
    if attachment.version is not None:
        assessment = db.session.get(Assessment, attachment.version.assessment_id)
        if assessment is not None:
            return assessment.country_iso3, assessment.network, None
    team = team_of(user)
    return (team[0], team[1], None) if team else (None, None, organisation_of(user))


def _visibility(data: DocumentData, attachment: Attachment) -> Visibility:
    # An attachment of a version or a lesson is read exactly as far as its parent; recording the
    # parent's visibility here only describes it (``permissions.can_read_document`` decides).
    if attachment.version is not None:
        return attachment.version.visibility
    if attachment.lesson is not None:
        return attachment.lesson.visibility
    return data.visibility


def upload(user: User, data: DocumentData, content: bytes, filename: str, attachment: Attachment) -> Document:
    """Check, store and describe a file; raises Refused for a file that is not accepted."""
    content_type, clean_name = check_file(content, filename)
    key = new_key()
    storage().save(key, content)
    country, network, organisation = _owner(user, attachment)
    document = Document(
        title=data.title.strip(),
        description=data.description.strip(),
        kind=data.kind,
        language=data.language,
        visibility=_visibility(data, attachment),
        country_iso3=country,
        network=network,
        organisation_slug=organisation,
        uploaded_by_id=user.id,
        event_id=attachment.event.id if attachment.event else None,
        lesson_id=attachment.lesson.id if attachment.lesson else None,
        assessment_version_id=attachment.version.id if attachment.version else None,
        storage_key=key,
        filename=clean_name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    db.session.add(document)
    db.session.flush()
    places = [("country", iso3) for iso3 in data.countries] + [
        ("area", code) for code in areas_of(data.countries, data.region)
    ]
    db.session.add_all(DocumentPlace(document_id=document.id, kind=k, value=v) for k, v in places)
    search.index_document(
        document.id,
        document.title,
        document.description,
        extract.text_of(content, content_type),
        data.language,
    )
    audit.record(
        "document.upload",
        actor_id=user.id,
        object_type="document",
        object_id=document.id,
        content_type=content_type,
        size=len(content),
        sha256=document.sha256,
    )
    db.session.flush()
    return document


def record_download(user: User | None, document: Document) -> None:
    """Audit a download of a document that is not public."""
    audit.record(
        "document.download", actor_id=user.id if user else None, object_type="document", object_id=document.id
    )


def delete_document(user: User, document: Document) -> str:
    """Remove a document's record and index entry (the audit trail keeps its description) and return
    its storage key; the caller removes the file once the deletion is committed."""
    key = document.storage_key
    audit.record(
        "document.delete",
        actor_id=user.id,
        object_type="document",
        object_id=document.id,
        title=document.title,
        filename=document.filename,
        sha256=document.sha256,
    )
    search.unindex_document(document.id)
    db.session.execute(delete(DocumentPlace).where(DocumentPlace.document_id == document.id))
    db.session.delete(document)
    db.session.flush()
    return key


def remove_file(key: str) -> None:
    """Delete a stored file (after its record's deletion is committed)."""
    storage().delete(key)
