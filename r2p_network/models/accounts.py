"""Members, their profiles, access requests, sessions and rate limiting."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from r2p_network.models.base import Base, EncryptedString, enum_column, utcnow
from r2p_network.models.reference import Country


class Role(enum.StrEnum):
    FOCAL_POINT = "focal_point"
    ADMIN = "admin"


class AccountStatus(enum.StrEnum):
    PENDING = "pending"  # asked for access, not yet approved
    ACTIVE = "active"
    REJECTED = "rejected"
    DEACTIVATED = "deactivated"


class Network(enum.StrEnum):
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    PARLIAMENT = "parliament"


class SeatKind(enum.StrEnum):
    COUNTRY = "country"  # one of a country's three networks
    ORGANISATION = "organisation"  # a regional or subregional organisation
    UN_OFFICE = "un_office"  # the UN Office on Genocide Prevention and the Responsibility to Protect


class ContactVisibility(enum.StrEnum):
    NETWORK = "network"  # every approved member
    ADMINS = "admins"  # administrators only


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class User(Base):
    """A person with a login: a focal point or an administrator."""

    __tablename__ = "user_account"
    renews_data: ClassVar[bool] = True
    # Signing in, rehashing a password or using a two-factor code shows on no cached page part.
    quiet_columns: ClassVar[frozenset[str]] = frozenset(
        {
            "password_hash",
            "password_changed_at",
            "totp_secret",
            "totp_enabled_at",
            "totp_last_step",
            "welcomed_at",
        }
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), nullable=False, default=Role.FOCAL_POINT)
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus, "account_status"), nullable=False, default=AccountStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    password_changed_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    # Two-factor sign-in (TOTP). The secret is encrypted at rest; the last accepted time step
    # makes every code single-use.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString(), nullable=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The member's own language (one of the six UN languages) for pages after sign-in and for
    # every email, and the IANA time zone in which times are shown to them.
    language: Mapped[str] = mapped_column(String(2), nullable=False, default="en", server_default="en")
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC", server_default="UTC")
    # Set when the member has seen the welcome page after their first sign-in following approval.
    welcomed_at: Mapped[datetime | None] = mapped_column(nullable=True)

    profile: Mapped[FocalPointProfile | None] = relationship(
        back_populates="user", uselist=False, lazy="raise"
    )

    # Flask-Login protocol. The session cookie refers to a UserSession row, so
    # these answer for the account itself.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ACTIVE

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN and self.is_active

    def get_id(self) -> str:
        return str(self.id)


def _visibility_column(field: str, default: ContactVisibility) -> Mapped[ContactVisibility]:
    # Each column gets its own CHECK constraint name.
    return mapped_column(
        enum_column(ContactVisibility, f"{field}_visibility"), nullable=False, default=default
    )


class FocalPointProfile(Base):
    """A member's seat in the network (a country's network, an organisation or the UN office)
    and institution."""

    __tablename__ = "focal_point_profile"
    renews_data: ClassVar[bool] = True
    __table_args__ = (
        Index("ix_focal_point_profile_team", "country_iso3", "network"),
        CheckConstraint(
            "(seat = 'country' AND country_iso3 IS NOT NULL AND network IS NOT NULL"
            " AND organisation_slug IS NULL)"
            " OR (seat = 'organisation' AND organisation_slug IS NOT NULL AND country_iso3 IS NULL"
            " AND network IS NULL)"
            " OR (seat = 'un_office' AND organisation_slug IS NULL AND country_iso3 IS NULL"
            " AND network IS NULL)",
            name="seat_holder",
        ),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    seat: Mapped[SeatKind] = mapped_column(
        enum_column(SeatKind, "seat_kind"), nullable=False, default=SeatKind.COUNTRY, server_default="country"
    )
    # A country seat has a country and a network; an organisation seat names its organisation.
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"), nullable=True)
    network: Mapped[Network | None] = mapped_column(enum_column(Network, "network"), nullable=True)
    organisation_slug: Mapped[str | None] = mapped_column(
        ForeignKey("regional_body.slug"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(160), nullable=False, default="")
    institution: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    bio: Mapped[str] = mapped_column(Text, nullable=False, default="")
    contact_email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    contact_email_visibility: Mapped[ContactVisibility] = _visibility_column(
        "contact_email", ContactVisibility.NETWORK
    )
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    phone_visibility: Mapped[ContactVisibility] = _visibility_column("phone", ContactVisibility.ADMINS)
    messaging: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    messaging_visibility: Mapped[ContactVisibility] = _visibility_column(
        "messaging", ContactVisibility.ADMINS
    )
    # False once the person has left the post: the seat then shows as vacant.
    in_post: Mapped[bool] = mapped_column(nullable=False, default=True)
    left_post_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile", lazy="raise")
    country: Mapped[Country] = relationship(lazy="raise")


class ProfileLanguage(Base):
    """A language a focal point works in (ISO 639-1 code)."""

    __tablename__ = "profile_language"
    renews_data: ClassVar[bool] = True

    user_id: Mapped[int] = mapped_column(
        ForeignKey("focal_point_profile.user_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)


class ProfileExpertise(Base):
    """An area of expertise of a focal point, from the fixed list in ``profiles.vocabulary``."""

    __tablename__ = "profile_expertise"
    renews_data: ClassVar[bool] = True

    user_id: Mapped[int] = mapped_column(
        ForeignKey("focal_point_profile.user_id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class AccessRequest(Base):
    """A request to join the network, decided by an administrator."""

    __tablename__ = "access_request"
    renews_data: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    justification: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "request_status"), nullable=False, default=RequestStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")


class UserSession(Base):
    """One signed-in browser. The cookie holds a random token; the row holds its hash."""

    __tablename__ = "user_session"
    renews_data: ClassVar[bool] = False  # sessions: a sign-in or a visit changes no page part

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    ip_address: Mapped[str] = mapped_column(String(45), nullable=False, default="")
    user_agent: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    # When this browser proved the second factor (at sign-in, or by enrolling in it): the
    # powers beyond an ordinary member's need it, and another browser's enrolment never counts.
    second_factor_at: Mapped[datetime | None] = mapped_column(nullable=True)


class FormRecovery(Base):
    """A form sent when the session had expired (or needed a fresh password), kept server-side
    under the hash of a random token so the member can send it again after signing in."""

    __tablename__ = "form_recovery"
    renews_data: ClassVar[bool] = False  # sign-in bookkeeping

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    path: Mapped[str] = mapped_column(String(2000), nullable=False)
    # The posted fields as [name, value] pairs, in order (a name may repeat), CSRF token left out.
    fields: Mapped[list[list[str]]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, index=True)


class RecoveryCode(Base):
    """A single-use two-factor recovery code, stored as a hash."""

    __tablename__ = "recovery_code"
    renews_data: ClassVar[bool] = False  # sign-in bookkeeping

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class RateLimitHit(Base):
    """One counted action (a failed sign-in, a reset request, a search...), kept for its window.

    Rows live in the database so that every worker and host counts the same hits.
    """

    __tablename__ = "rate_limit_hit"
    renews_data: ClassVar[bool] = False  # throttling bookkeeping
    __table_args__ = (Index("ix_rate_limit_hit_bucket_key", "bucket", "key", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(40), nullable=False)
    key: Mapped[str] = mapped_column(String(254), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, index=True)
