"""Reads for the document library and for the documents attached to events, lessons and versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select, true
from sqlalchemy.orm import aliased

from r2p_network.core.search import document_matches
from r2p_network.extensions import db
from r2p_network.models import Document, DocumentPlace, Event
from r2p_network.permissions import visible_documents

PER_PAGE = 25


@dataclass
class DocumentFilters:
    q: str = ""
    kind: str = ""
    language: str = ""
    region: str = ""
    country: str = ""
    event: int | None = None

    def as_query(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    event_title: str | None
    countries: list[str] = field(default_factory=list)


def _placed(kind: str, value: str) -> ColumnElement[bool]:
    return exists().where(
        DocumentPlace.document_id == Document.id, DocumentPlace.kind == kind, DocumentPlace.value == value
    )


def library_page(user: Any, filters: DocumentFilters, page: int) -> tuple[list[DocumentRow], int]:
    """One page of the documents the reader may see that match *filters* (best matches first when
    searching, newest first otherwise), and how many match."""
    conditions: list[ColumnElement[bool]] = [visible_documents(user)]
    if filters.kind:
        conditions.append(Document.kind == filters.kind)
    if filters.language:
        conditions.append(Document.language == filters.language)
    if filters.region:
        conditions.append(_placed("area", filters.region))
    if filters.country:
        conditions.append(_placed("country", filters.country))
    if filters.event:
        conditions.append(Document.event_id == filters.event)
    event = aliased(Event)  # apart from the Event that ``visible_documents`` asks about
    stmt = select(Document, event.title, func.count().over()).outerjoin(event, event.id == Document.event_id)
    matches = document_matches(filters.q)
    if matches is not None:
        stmt = stmt.join(matches, matches.c.document_id == Document.id).order_by(matches.c.rank, Document.id)
    else:
        stmt = stmt.order_by(Document.created_at.desc(), Document.id.desc())
    rows = db.session.execute(stmt.where(*conditions).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    total = rows[0][2] if rows else 0
    places = countries_of([row[0].id for row in rows])
    return [DocumentRow(doc, title, places.get(doc.id, [])) for doc, title, _ in rows], total


def countries_of(document_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not document_ids:
        return found
    for document_id, iso3 in db.session.execute(
        select(DocumentPlace.document_id, DocumentPlace.value)
        .where(DocumentPlace.document_id.in_(document_ids), DocumentPlace.kind == "country")
        .order_by(DocumentPlace.value)
    ):
        found.setdefault(document_id, []).append(iso3)
    return found


def attached(
    user: Any,
    *,
    event_id: int | None = None,
    lesson_id: int | None = None,
    version_id: int | None = None,
    everything: bool = False,
) -> list[Document]:
    """The documents attached to one event, lesson or strategy version, oldest first. The caller has
    checked that the reader may read the parent; with *everything* (a lesson's or version's readers, an
    event's organisers) that is enough, otherwise each document's own visibility applies too."""
    if event_id is not None:
        parent = Document.event_id == event_id
    elif lesson_id is not None:
        parent = Document.lesson_id == lesson_id
    else:
        parent = Document.assessment_version_id == version_id
    stmt = select(Document).where(parent, true() if everything else visible_documents(user))
    return list(db.session.scalars(stmt.order_by(Document.created_at, Document.id)))


def filter_events(user: Any) -> list[tuple[int, str]]:
    """(id, title) of the events that have documents the reader may see, for the library's filter."""
    # ``visible_documents`` lists an event's documents only to readers of the event.
    with_documents = select(Document.event_id).where(Document.event_id.is_not(None), visible_documents(user))
    rows = db.session.execute(
        select(Event.id, Event.title).where(Event.id.in_(with_documents)).order_by(Event.starts_at.desc())
    )
    return [(event_id, title) for event_id, title in rows]
