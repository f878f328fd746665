"""Changes to accounts. Services add and flush; the route commits once."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from r2p_network.auth.passwords import burn_verification_time, hash_password, verify_password
from r2p_network.auth.queries import (
    ACCOUNT_BUCKET,
    ADDRESS_BUCKET,
    SECOND_FACTOR_BUCKET,
    active_admin_emails_by_language,
    normalise_email,
    sign_in_wait,
    user_by_email,
)
from r2p_network.auth.sessions import end_all_sessions
from r2p_network.core import audit, emails, ratelimit
from r2p_network.core.i18n import current_lang
from r2p_network.core.labels import label
from r2p_network.extensions import db
from r2p_network.models import (
    AccessRequest,
    AccountStatus,
    Country,
    FocalPointProfile,
    Network,
    Role,
    User,
    utcnow,
)

RESET_SALT = "password-reset"


class LoginOutcome(enum.Enum):
    OK = "ok"
    INVALID = "invalid"  # unknown account or wrong password: one answer for both
    THROTTLED = "throttled"
    PENDING = "pending"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    wait_seconds: int = 0


@dataclass(frozen=True)
class AccessRequestData:
    name: str
    email: str
    password: str
    country_iso3: str
    network: Network
    title: str
    institution: str
    justification: str
    language: str = "en"
    time_zone: str = "UTC"


def request_access(data: AccessRequestData) -> AccessRequest | None:
    """Record a pending member and their request; tell the administrators.

    If the email is already registered nothing is created and the owner of the
    address is told instead, so the form never reveals who has an account.
    """
    email = normalise_email(data.email)
    existing = user_by_email(email)
    # Hash on both paths, so the answer takes as long for a registered address as for a new one.
    password_hash = hash_password(data.password)
    if existing is not None:
        emails.send(
            email,
            _l("Someone asked to join with your address"),
            "already_registered",
            lang=existing.language,
            user=existing,
        )
        return None
    user = User(
        email=email,
        name=data.name.strip(),
        password_hash=password_hash,
        role=Role.FOCAL_POINT,
        status=AccountStatus.PENDING,
        language=data.language,
        time_zone=data.time_zone,
    )
    user.profile = FocalPointProfile(
        country_iso3=data.country_iso3,
        network=data.network,
        title=data.title.strip(),
        institution=data.institution.strip(),
    )
    request = AccessRequest(user=user, justification=data.justification.strip())
    db.session.add_all([user, request])
    db.session.flush()
    audit.record("access.requested", actor_id=user.id, object_type="access_request", object_id=request.id)
    emails.send(
        user.email,
        _l("We received your request to join the R2P focal point network"),
        "access_acknowledged",
        lang=user.language,
        user=user,
    )
    country = db.session.get(Country, data.country_iso3)
    for lang, addresses in active_admin_emails_by_language().items():
        emails.send(
            addresses,
            _l("New request to join the R2P focal point network"),
            "access_requested",
            lang=lang,
            user=user,
            # Lazy: each administrator reads the country and the network in their own language.
            country=LazyString(lambda: getattr(country, f"name_{current_lang()}", data.country_iso3)),
            network=LazyString(label, data.network),
            institution=user.profile.institution,
            title=user.profile.title,
            link=emails.link("admin.access_requests"),
        )
    return request


def authenticate(email: str, password: str, ip_address: str) -> LoginResult:
    """Check a sign-in attempt, recording failures for throttling and audit."""
    email = normalise_email(email)
    wait = sign_in_wait(email, ip_address)
    if wait:
        audit.record("login.throttled", email_hash=_email_hash(email))
        return LoginResult(LoginOutcome.THROTTLED, wait_seconds=wait)
    user = user_by_email(email)
    if user is None:
        burn_verification_time(password)
        ok, needs_rehash = False, False
    else:
        ok, needs_rehash = verify_password(user.password_hash, password)
    if user is None or not ok:
        record_failure(email, ip_address, user, "login.failed")
        return LoginResult(LoginOutcome.INVALID)
    if needs_rehash:
        user.password_hash = hash_password(password)
    ratelimit.clear(ACCOUNT_BUCKET, email)  # wrong codes stay counted (SECOND_FACTOR_BUCKET)
    if user.status == AccountStatus.PENDING:
        return LoginResult(LoginOutcome.PENDING, user)
    if user.status != AccountStatus.ACTIVE:
        audit.record("login.refused_inactive", actor_id=user.id)
        return LoginResult(LoginOutcome.INACTIVE, user)
    return LoginResult(LoginOutcome.OK, user)


def record_failure(email: str, ip_address: str, user: User | None, action: str) -> None:
    """Count a wrong password towards throttling and audit it (unknown addresses only as a hash)."""
    ratelimit.add(ACCOUNT_BUCKET, normalise_email(email))
    ratelimit.add(ADDRESS_BUCKET, ip_address)
    audit.record(action, actor_id=user.id if user else None, email_hash=None if user else _email_hash(email))


def record_second_factor_failure(user: User, ip_address: str, action: str) -> None:
    """Count a wrong code for *user* on its own (a right password does not clear it) and audit it."""
    ratelimit.add(SECOND_FACTOR_BUCKET, str(user.id))
    ratelimit.add(ADDRESS_BUCKET, ip_address)
    audit.record(action, actor_id=user.id)


def clear_second_factor_failures(user: User) -> None:
    """A right code ends the run of wrong ones."""
    ratelimit.clear(SECOND_FACTOR_BUCKET, str(user.id))


def _email_hash(email: str) -> str:
    """A short, non-reversible tag for an unknown address (the audit keeps no raw guesses)."""
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Changes whenever the password does, which makes every reset link single-use.
    stamp = f"{user.password_hash}|{user.password_changed_at.isoformat()}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """A signed, short-lived, single-use token for resetting *user*'s password."""
    return _serializer().dumps({"uid": user.id, "fp": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The member a reset token is valid for, or None if it is forged, used or expired."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or user.status != AccountStatus.ACTIVE or data.get("fp") != _password_fingerprint(user):
        return None
    return user


def send_password_reset(email: str) -> None:
    """Email a reset link if an active account uses *email*; say nothing otherwise."""
    user = user_by_email(email)
    if user is None or user.status != AccountStatus.ACTIVE:
        return
    if not ratelimit.allow("password_reset.account", user.email):
        return  # the links already sent stay valid; the answer on the page is the same
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    link = emails.link("auth.reset_password", token=reset_token(user))
    emails.send(
        user.email,
        _l("Reset your password"),
        "password_reset",
        lang=user.language,
        user=user,
        link=link,
        minutes=minutes,
    )
    audit.record("password.reset_requested", actor_id=user.id)


def set_password(user: User, password: str) -> None:
    """Give *user* a new password and end all their sessions."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user.id)
    audit.record("password.changed", actor_id=user.id, object_type="user", object_id=user.id)


def create_admin(email: str, name: str, password: str) -> User:
    """Create an active administrator, or promote and activate an existing account."""
    user = user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name, password_hash=hash_password(password))
        db.session.add(user)
    else:
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
    user.role = Role.ADMIN
    user.status = AccountStatus.ACTIVE
    user.approved_at = user.approved_at or utcnow()
    db.session.flush()
    audit.record("user.admin_created", object_type="user", object_id=user.id)
    return user
