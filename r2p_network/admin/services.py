"""Administrative changes. Services add and flush; the route commits once."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from r2p_network.auth.sessions import end_all_sessions
from r2p_network.core import audit, emails
from r2p_network.core.errors import StateError
from r2p_network.models import (
    AccessRequest,
    AccountStatus,
    Network,
    RequestStatus,
    Role,
    SeatKind,
    User,
    utcnow,
)
from r2p_network.notifications.services import notify


def _decide(request: AccessRequest, admin: User, status: RequestStatus, reason: str | None) -> None:
    if request.status != RequestStatus.PENDING:
        raise StateError(request.status)
    request.status = status
    request.decided_by_id = admin.id
    request.decided_at = utcnow()
    request.reason = reason


def approve_request(
    request: AccessRequest,
    admin: User,
    country_iso3: str,
    network: Network,
    organisation: tuple[SeatKind, str | None] = (SeatKind.COUNTRY, None),
) -> None:
    """Approve a request: activate the account in the confirmed country and network, or in an
    organisation's or the UN office's seat."""
    _decide(request, admin, RequestStatus.APPROVED, None)
    user = request.user
    user.status = AccountStatus.ACTIVE
    user.approved_at = utcnow()
    if user.profile is None:
        raise StateError("the request has no profile")
    seat, slug = organisation
    country_seat = seat == SeatKind.COUNTRY
    user.profile.seat = seat
    user.profile.organisation_slug = slug
    user.profile.country_iso3 = country_iso3 if country_seat else None
    user.profile.network = network if country_seat else None
    notify(user.id, "access_approved", url_for("profiles.my_profile"))
    audit.record(
        "access.approved",
        actor_id=admin.id,
        object_type="user",
        object_id=user.id,
        seat=seat.value,
        country=country_iso3 if country_seat else None,
        network=network.value if country_seat else None,
        organisation=slug,
    )
    emails.send(
        user.email,
        _l("Welcome to the R2P focal point network"),
        "access_approved",
        lang=user.language,
        user=user,
        link=emails.link("auth.login"),
    )


def reject_request(request: AccessRequest, admin: User, reason: str) -> None:
    """Reject a request with a reason that the requester is told."""
    _decide(request, admin, RequestStatus.REJECTED, reason.strip())
    request.user.status = AccountStatus.REJECTED
    audit.record("access.rejected", actor_id=admin.id, object_type="user", object_id=request.user.id)
    emails.send(
        request.user.email,
        _l("Your request to join the R2P focal point network"),
        "access_rejected",
        lang=request.user.language,
        user=request.user,
        reason=reason.strip(),
    )


class LastAdministrator(Exception):
    """The change would leave the network without an active administrator."""


def _would_leave_no_admin(user: User) -> bool:
    from r2p_network.admin.queries import active_admin_count

    return user.role == Role.ADMIN and user.status == AccountStatus.ACTIVE and active_admin_count() <= 1


def change_role(user: User, role: Role, admin: User) -> None:
    """Make a member an administrator or a focal point; never remove the last administrator."""
    if user.role == role:
        return
    if role != Role.ADMIN and (_would_leave_no_admin(user) or user.id == admin.id):
        raise LastAdministrator
    previous = user.role
    user.role = role
    audit.record(
        "user.role_changed",
        actor_id=admin.id,
        object_type="user",
        object_id=user.id,
        before=previous.value,
        after=role.value,
    )


def set_active(user: User, active: bool, admin: User) -> None:
    """Deactivate (ending every session at once, keeping the content) or reactivate an account."""
    if active:
        if user.status != AccountStatus.DEACTIVATED:
            return
        user.status = AccountStatus.ACTIVE
        audit.record("user.reactivated", actor_id=admin.id, object_type="user", object_id=user.id)
        return
    if user.status != AccountStatus.ACTIVE:
        return
    if _would_leave_no_admin(user):
        raise LastAdministrator
    user.status = AccountStatus.DEACTIVATED
    end_all_sessions(user.id)
    audit.record("user.deactivated", actor_id=admin.id, object_type="user", object_id=user.id)
