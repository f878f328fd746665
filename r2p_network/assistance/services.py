"""Changes to assistance requests. Services add and flush; the route commits once.

The state machine (``TRANSITIONS``): the offering team accepts a request, declines it with a
reason, or proposes something else, which the requesting team may accept; accepted requests go
under way, are delivered, and are closed. Either team may withdraw until delivery. Any other
step is refused with a ``StateError``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from r2p_network.core import audit
from r2p_network.core.errors import StateError
from r2p_network.core.i18n import LANGUAGES
from r2p_network.core.membership import holds_seat
from r2p_network.extensions import db
from r2p_network.lessons.content import LessonData
from r2p_network.lessons.services import create_lesson
from r2p_network.models import (
    AssistanceNote,
    AssistanceRequest,
    AssistanceStatus,
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Country,
    FocalPointProfile,
    LessonKind,
    Network,
    User,
    utcnow,
)
from r2p_network.notifications.services import notify
from r2p_network.permissions import team_of


class Side(enum.StrEnum):
    REQUESTER = "requester"
    PROVIDER = "provider"
    EITHER = "either"


class Action(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    PROPOSE = "propose"
    START = "start"
    DELIVER = "deliver"
    CLOSE = "close"
    WITHDRAW = "withdraw"


S = AssistanceStatus
# (state, action) -> (next state, which team may take the step)
TRANSITIONS: dict[tuple[AssistanceStatus, Action], tuple[AssistanceStatus, Side]] = {
    (S.REQUESTED, Action.ACCEPT): (S.ACCEPTED, Side.PROVIDER),
    (S.REQUESTED, Action.DECLINE): (S.DECLINED, Side.PROVIDER),
    (S.REQUESTED, Action.PROPOSE): (S.COUNTER_PROPOSED, Side.PROVIDER),
    (S.COUNTER_PROPOSED, Action.ACCEPT): (S.ACCEPTED, Side.REQUESTER),
    (S.ACCEPTED, Action.START): (S.UNDER_WAY, Side.EITHER),
    (S.UNDER_WAY, Action.DELIVER): (S.DELIVERED, Side.PROVIDER),
    (S.DELIVERED, Action.CLOSE): (S.CLOSED, Side.REQUESTER),
    **{
        (state, Action.WITHDRAW): (S.WITHDRAWN, Side.EITHER)
        for state in (S.REQUESTED, S.COUNTER_PROPOSED, S.ACCEPTED, S.UNDER_WAY)
    },
}
NEEDS_TEXT = (Action.DECLINE, Action.PROPOSE)  # a reason, or what the offering team proposes instead


def side_of(user: User, request: AssistanceRequest) -> Side | None:
    """Which of the two teams *user* speaks for, if either."""
    team = team_of(user)
    if team == (request.requester_iso3, request.requester_network):
        return Side.REQUESTER
    if team == (request.provider_iso3, request.provider_network):
        return Side.PROVIDER
    return None


def allowed_actions(user: User, request: AssistanceRequest) -> list[Action]:
    """The steps *user* may take on *request* now."""
    side = side_of(user, request)
    if side is None:
        return []
    return [
        action
        for (state, action), (_next, who) in TRANSITIONS.items()
        if state == request.status and who in (side, Side.EITHER)
    ]


@dataclass(frozen=True)
class RequestData:
    what: str
    why: str
    timeframe: str
    need_entry_id: int | None


def create_request(user: User, offer: CapacityEntry, data: RequestData) -> AssistanceRequest:
    """The member's team asks the team behind *offer* for assistance."""
    source = db.session.get_one(CapacitySubmission, offer.submission_id)
    provider = (source.country_iso3, source.network)
    team = team_of(user)
    if team is None or team == provider or offer.status != CapacityStatus.OFFERS:
        raise StateError("not a request between two teams")
    need = db.session.get(CapacityEntry, data.need_entry_id) if data.need_entry_id else None
    if need is not None:
        owner = db.session.get_one(CapacitySubmission, need.submission_id)
        if (
            (owner.country_iso3, owner.network) != team
            or need.status != CapacityStatus.NEEDS
            or need.category_id != offer.category_id
        ):
            raise StateError("not a matching need of the team")
    request = AssistanceRequest(
        requester_iso3=team[0],
        requester_network=team[1],
        provider_iso3=provider[0],
        provider_network=provider[1],
        category_id=offer.category_id,
        need_entry_id=need.id if need else None,
        offer_entry_id=offer.id,
        restricted=bool(need and need.restricted),
        what=data.what.strip(),
        why=data.why.strip(),
        timeframe=data.timeframe.strip(),
        requested_by_id=user.id,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        "assistance.requested", actor_id=user.id, object_type="assistance_request", object_id=request.id
    )
    _tell(request, Side.PROVIDER, "assistance_requested")
    return request


def take_step(request: AssistanceRequest, user: User, action: Action, text: str = "") -> None:
    """Move *request* on by *action*, if the state and the member's team allow it."""
    side = side_of(user, request)
    step = TRANSITIONS.get((request.status, action))
    if side is None or step is None or step[1] not in (side, Side.EITHER):
        raise StateError(f"{request.status}: {action}")
    if action in NEEDS_TEXT and not text.strip():
        raise StateError("a reason is needed")
    previous = request.status
    now = utcnow()
    changes: dict[str, object] = {"status": step[0], "updated_at": now}
    if action in NEEDS_TEXT:
        changes["response"] = text.strip()
    if side == Side.PROVIDER and request.responded_by_id is None:
        changes["responded_by_id"] = user.id
    if step[0] == S.CLOSED:
        changes["closed_at"] = now
    # Conditional on the state read: of two teammates clicking at once, the second is refused.
    moved = db.session.execute(
        update(AssistanceRequest)
        .where(AssistanceRequest.id == request.id, AssistanceRequest.status == previous)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise StateError("changed meanwhile")
    db.session.refresh(request)
    audit.record(
        f"assistance.{action.value}",
        actor_id=user.id,
        object_type="assistance_request",
        object_id=request.id,
        previous=previous.value,
        status=request.status.value,
    )
    other = Side.PROVIDER if side == Side.REQUESTER else Side.REQUESTER
    _tell(request, other, "assistance_changed", status=request.status.value)
    if request.status == S.CLOSED:
        _draft_lessons(request)


def add_note(request: AssistanceRequest, user: User, body: str, link: str) -> AssistanceNote:
    """A note or a document's link from either team."""
    side = side_of(user, request)
    if side is None:
        raise StateError("not a party")
    note = AssistanceNote(request_id=request.id, author_id=user.id, body=body.strip(), link=link.strip())
    db.session.add(note)
    request.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "assistance.note_added", actor_id=user.id, object_type="assistance_request", object_id=request.id
    )
    _tell(request, Side.PROVIDER if side == Side.REQUESTER else Side.REQUESTER, "assistance_note")
    return note


def _team_members(iso3: str, network: Network) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(FocalPointProfile, FocalPointProfile.user_id == User.id)
            .where(FocalPointProfile.country_iso3 == iso3, FocalPointProfile.network == network, holds_seat())
        )
    )


def _tell(request: AssistanceRequest, side: Side, kind: str, **params: str) -> None:
    """Notify every focal point in post of one team in the application. Email follows each
    member's preferences for assistance news (``mail.team_news``), so nobody hears it twice."""
    team = (
        (request.requester_iso3, request.requester_network)
        if side == Side.REQUESTER
        else (request.provider_iso3, request.provider_network)
    )
    link = url_for("assistance.detail", request_id=request.id)
    for member in _team_members(*team):
        notify(member.id, kind, link, what=request.what, **params)


def _draft_lessons(request: AssistanceRequest) -> None:
    """A draft lesson for each team's member who asked and who answered, pre-filled with the
    countries, the capacity and the period; each is asked to finish it."""
    names = {
        country.iso3: country
        for country in db.session.scalars(
            select(Country).where(Country.iso3.in_((request.requester_iso3, request.provider_iso3)))
        )
    }
    category = db.session.get_one(CapacityCategory, request.category_id)
    for author_id in dict.fromkeys(i for i in (request.requested_by_id, request.responded_by_id) if i):
        author = db.session.get(User, author_id)
        if author is None or not author.is_active:
            continue
        lang = author.language if author.language in LANGUAGES else "en"
        name = {
            iso3: getattr(country, f"name_{lang}", None) or country.name_en for iso3, country in names.items()
        }

        capacity = (category.translations.get(lang) or {}).get("name") or category.name
        with force_locale(lang):
            data = LessonData(
                title=_(
                    "Assistance on %(capacity)s: %(provider)s and %(requester)s",
                    capacity=capacity,
                    provider=name[request.provider_iso3],
                    requester=name[request.requester_iso3],
                )[:200],
                summary=request.what,
                period_start=request.created_at.year,
                period_end=(request.closed_at or utcnow()).year,
                kind=LessonKind.CASE_STUDY.value,
                language=lang,
                countries=sorted({request.requester_iso3, request.provider_iso3}),
                pillars=["2"],
                body={"what_happened": request.why},
            )
        lesson = create_lesson(author, data)
        notify(
            author.id, "assistance_lesson", url_for("lessons.edit", lesson_id=lesson.id), what=request.what
        )
