"""Staff and owner accounts that sign in with email and password."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.audit.services import Actor
from portal.db_types import UTCDateTime
from portal.extensions import db

ROLES = ("coordinator", "locksmith", "provider_admin", "owner", "partner_admin")
STAFF_ROLES = ("coordinator", "locksmith", "provider_admin", "partner_admin")


class User(UserMixin, db.Model):
    """A coordinator, locksmith, provider admin or property owner."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), nullable=True)
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("owner_organisation.id"), nullable=True
    )
    # A partner admin manages the staff and phones of this partner company only.
    partner_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_company.id"), nullable=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    kind = "user"

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"u:{self.id}:{self.session_version}"

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def actor(self) -> Actor:
        """How this account appears in the audit log."""
        return Actor("user", self.id, f"{self.name} ({self.role})")


class SignInFailure(db.Model):
    """Recent failed staff sign-ins for one account or client address (a hashed key)."""

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SecondFactor(db.Model):
    """A staff member's confirmed TOTP authenticator (the secret encrypted at rest)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(300))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The newest 30-second step used: a code is accepted once, never replayed.
    last_step: Mapped[int] = mapped_column(BigInteger, default=0)


class RecoveryCode(db.Model):
    """One of ten single-use recovery codes, stored hashed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class StaffInvitation(db.Model):
    """A one-time link for a new staff member to choose a password (the token stored hashed).

    It works once, until `expires_at`, and not after a newer invitation voided it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    invited_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
