"""Meetings and events, and the document library: audiences, organisers and who reads a file."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from r2p_network.core.geography import MEMBER_STATUSES
from r2p_network.extensions import db
from r2p_network.models import (
    Assessment,
    AssessmentVersion,
    Country,
    Document,
    Event,
    EventAudience,
    EventAudienceKind,
    EventRegistration,
    Lesson,
    Membership,
    RegistrationStatus,
    SeatKind,
    User,
    Visibility,
    team_key,
)
from r2p_network.permissions.assessments import (
    can_read_assessment_version,
)
from r2p_network.permissions.core import (
    NETWORK,
    Capability,
    Scope,
    current_session_passed_second_factor,
    grants,
    holds,
    is_member,
    is_team_member,
    organisation_of,
    team_of,
)
from r2p_network.permissions.lessons import (
    can_read_lesson,
    published_lessons,
)


def event_scope(event: Event) -> Scope:
    """The scope an event was organised under."""
    return Scope(event.scope_kind, event.scope_key)


def can_organise_events(user: User | Any, scope: Scope = NETWORK) -> bool:
    """Create events for audiences within *scope*."""
    return holds(user, Capability.ORGANISE_EVENTS, scope)


def can_organise_event(user: User | Any, event: Event) -> bool:
    """Edit the event, see its participants, attach documents, record action points and the summary."""
    return can_organise_events(user, event_scope(event))


def event_seat(user: User | Any) -> tuple[EventAudienceKind, str] | None:
    """The seat the member holds in post, named as event audiences and action-point owners name it:
    their team, their organisation's seat or the UN office."""
    team = team_of(user)
    if team is not None:
        return EventAudienceKind.TEAM, team_key(*team)
    organisation = organisation_of(user)
    if organisation is not None:
        return EventAudienceKind.ORG_SEAT, organisation
    profile = user.profile if is_member(user) else None
    if profile is not None and profile.in_post and profile.seat == SeatKind.UN_OFFICE:
        return EventAudienceKind.UN_OFFICE, ""
    return None


def _audience_matches(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``EventAudience``: rows that include the reader."""
    clauses: list[ColumnElement[bool]] = [EventAudience.kind == EventAudienceKind.PUBLIC]
    if is_member(user):
        clauses.append(EventAudience.kind == EventAudienceKind.NETWORK)
        team = team_of(user)
        if team is not None:
            iso3, network = team
            country = Country.__table__.alias("reader_country")
            clauses += [
                and_(
                    EventAudience.kind == EventAudienceKind.NETWORK_KIND, EventAudience.key == network.value
                ),
                and_(
                    EventAudience.kind == EventAudienceKind.TEAM, EventAudience.key == team_key(iso3, network)
                ),
                and_(
                    EventAudience.kind == EventAudienceKind.M49,
                    exists().where(
                        country.c.iso3 == iso3,
                        or_(
                            country.c.region_code == EventAudience.key,
                            country.c.subregion_code == EventAudience.key,
                            country.c.intermediate_code == EventAudience.key,
                        ),
                    ),
                ),
                and_(
                    EventAudience.kind.in_([EventAudienceKind.GROUP, EventAudienceKind.ORG]),
                    exists().where(
                        Membership.body_slug == EventAudience.key,
                        Membership.country_iso3 == iso3,
                        Membership.status.in_(MEMBER_STATUSES),
                    ),
                ),
            ]
        seat = event_seat(user)
        if seat is not None and seat[0] != EventAudienceKind.TEAM:
            clauses.append(and_(EventAudience.kind == seat[0], EventAudience.key == seat[1]))
    return or_(*clauses)


def _organised_events(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``Event``: events organised under a scope where the member holds ORGANISE_EVENTS."""
    if not current_session_passed_second_factor():
        return false()
    clauses: list[ColumnElement[bool]] = []
    for held, where in grants(user):
        if held != Capability.ORGANISE_EVENTS:
            continue
        if where.kind == "network":
            return true()
        clauses.append(and_(Event.scope_kind == where.kind, Event.scope_key == where.key))
    return or_(*clauses) if clauses else false()


def visible_events(user: User | Any) -> ColumnElement[bool]:
    """The one filter for every listing of events: those whose audience includes the reader, those
    they registered for, and those they organise."""
    condition = exists().where(EventAudience.event_id == Event.id, _audience_matches(user))
    if not is_member(user):
        return condition
    registered = exists().where(
        EventRegistration.event_id == Event.id,
        EventRegistration.user_id == user.id,
        EventRegistration.status == RegistrationStatus.REGISTERED,
    )
    return or_(condition, registered, _organised_events(user))


def can_read_event(user: User | Any, event: Event) -> bool:
    """The event is visible to the reader (see ``visible_events``)."""
    return db.session.scalar(select(Event.id).where(Event.id == event.id, visible_events(user))) is not None


def is_registered(user: User | Any, event: Event) -> bool:
    """The member is registered for the event."""
    return is_member(user) and (
        db.session.scalar(
            select(EventRegistration.id).where(
                EventRegistration.event_id == event.id,
                EventRegistration.user_id == user.id,
                EventRegistration.status == RegistrationStatus.REGISTERED,
            )
        )
        is not None
    )


def can_see_participants(user: User | Any, event: Event) -> bool:
    """The participants list is for registered participants and organisers."""
    return can_organise_event(user, event) or is_registered(user, event)


def can_respond_to_event(user: User | Any, event: Event) -> bool:
    """Members register for (or decline) events they can see; the public reads them only."""
    return is_member(user) and can_read_event(user, event)


def organiser_scopes(user: User | Any) -> list[Scope]:
    """The scopes under which the member may organise events."""
    if not current_session_passed_second_factor():
        return []
    return [where for held, where in grants(user) if held == Capability.ORGANISE_EVENTS]


def can_update_action_point(user: User | Any, event: Event, owner_kind: str, owner_key: str) -> bool:
    """The event's organisers and the owning seat (team, organisation or UN office) move an action
    point along."""
    return event_seat(user) == (owner_kind, owner_key) or can_organise_event(user, event)


def _library_rule(user: User | Any) -> ColumnElement[bool]:
    """SQL over ``Document``: its own visibility lets the reader in (public, network, or their team's
    or organisation's)."""
    audiences = [Visibility.PUBLIC, Visibility.NETWORK] if is_member(user) else [Visibility.PUBLIC]
    clauses: list[ColumnElement[bool]] = [Document.visibility.in_(audiences)]
    team = team_of(user)
    if team is not None:
        clauses.append(and_(Document.country_iso3 == team[0], Document.network == team[1]))
    organisation = organisation_of(user)
    if organisation is not None:
        clauses.append(Document.organisation_slug == organisation)
    if is_member(user):
        clauses.append(Document.uploaded_by_id == user.id)
    return or_(*clauses)


def visible_documents(user: User | Any) -> ColumnElement[bool]:
    """The one filter for every listing of documents. Attachments of a strategy version are never
    listed (they show on the version's own page, to its readers); a lesson's attachments follow the
    lesson; an event's need the event to be visible as well as their own visibility."""
    library = and_(Document.event_id.is_(None), Document.lesson_id.is_(None), _library_rule(user))
    of_event = and_(
        Document.event_id.is_not(None),
        exists(
            select(Event.id)
            .where(Event.id == Document.event_id, visible_events(user))
            .correlate_except(Event)
        ),
        _library_rule(user),
    )
    of_lesson = and_(
        Document.lesson_id.is_not(None),
        exists(
            select(Lesson.id)
            .where(Lesson.id == Document.lesson_id, published_lessons(user))
            .correlate_except(Lesson)
        ),
    )
    return and_(Document.assessment_version_id.is_(None), or_(library, of_event, of_lesson))


def _own_rule(user: User | Any, document: Document) -> bool:
    if document.visibility == Visibility.PUBLIC:
        return True
    if not is_member(user):
        return False
    if document.visibility == Visibility.NETWORK or document.uploaded_by_id == user.id:
        return True
    if document.organisation_slug is not None:
        return organisation_of(user) == document.organisation_slug
    return team_of(user) == (document.country_iso3, document.network)


def can_read_document(user: User | Any, document: Document) -> bool:
    """An attachment is exactly as readable as what it is attached to (a strategy version, a lesson;
    an event's also by its own visibility); a library document by its visibility."""
    if document.assessment_version_id is not None:
        version = db.session.get(AssessmentVersion, document.assessment_version_id)
        return version is not None and can_read_assessment_version(user, version)
    if document.lesson_id is not None:
        lesson = db.session.get(Lesson, document.lesson_id)
        return lesson is not None and can_read_lesson(user, lesson)
    if document.event_id is not None:
        event = db.session.get(Event, document.event_id)
        if event is None or not can_read_event(user, event):
            return False
        return can_organise_event(user, event) or _own_rule(user, document)
    return _own_rule(user, document)


def can_attach_to_version(user: User | Any, version: AssessmentVersion) -> bool:
    """The assessment's own team attaches files to its versions."""
    assessment = db.session.get(Assessment, version.assessment_id)
    return assessment is not None and is_team_member(user, assessment.country_iso3, assessment.network)


def can_delete_document(user: User | Any, document: Document) -> bool:
    """Its uploader, the organisers of its event, and holders of MANAGE_DOCUMENTS delete a document."""
    if not is_member(user):
        return False
    if document.uploaded_by_id == user.id or holds(user, Capability.MANAGE_DOCUMENTS):
        return True
    event = db.session.get(Event, document.event_id) if document.event_id is not None else None
    return event is not None and can_organise_event(user, event)
