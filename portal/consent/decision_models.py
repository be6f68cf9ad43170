"""Consent requests, the owner's decisions, fitter windows, questions and each property's history.

A request goes to one owner organisation (one letter, one invitation code) and names the
properties it asks about. The code is stored like a citizen's letter code: encrypted (to print
the letter again) and as a blind index (to find it at sign-in), never in clear.
"""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.consent.register_models import in_sql
from portal.db_types import UTCDateTime
from portal.extensions import db


class RequestStatus(StrEnum):
    """Open until answered, expired, or cancelled (e.g. the property was sold)."""

    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class DecisionKind(StrEnum):
    """What the owner decided for an entrance."""

    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class EventKind(StrEnum):
    """Lines in a property's history (the bottleneck board shows them)."""

    REQUESTED = "requested"
    REMINDED = "reminded"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    QUESTION = "question"
    ANSWER = "answer"
    OWNER_CHANGED = "owner_changed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


CHANNELS = ("letter", "email", "letter_email")

consent_request_property = Table(
    "consent_request_property",
    db.metadata,
    Column("request_id", ForeignKey("consent_request.id"), primary_key=True),
    Column("property_id", ForeignKey("property.id"), primary_key=True, index=True),
)


class ConsentRequest(db.Model):
    """One invitation to one owner organisation about some of its properties."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner_organisation.id"), index=True)
    code_enc: Mapped[str] = mapped_column(String(200))
    code_index: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default=RequestStatus.OPEN, index=True)
    channel: Mapped[str] = mapped_column(String(12), default="letter")
    language: Mapped[str] = mapped_column(String(5), default="da")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reminder_count: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The code signs in once: then the owner sets an email and password.
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    redeemed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    code_failures: Mapped[int] = mapped_column(Integer, default=0)
    letter_path: Mapped[str | None] = mapped_column(String(300), nullable=True)
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    owner = relationship("OwnerOrganisation")
    properties = relationship(
        "Property", secondary=consent_request_property, order_by="Property.id"
    )

    __table_args__ = (
        CheckConstraint(in_sql("status", RequestStatus), name="status"),
        CheckConstraint(in_sql("channel", CHANNELS), name="channel"),
    )

    def has_expired(self, now: datetime) -> bool:
        """Expired at `now`: marked so by the hourly sweep, or open past its answer-by time."""
        if self.status == RequestStatus.EXPIRED:
            return True
        return self.status == RequestStatus.OPEN and clock.as_utc(self.expires_at) <= now


class SignedMixin:
    """Who signed, in what capacity, what they typed, the exact terms they saw, the receipt.

    Nullable because a decline or a withdrawal may be recorded without a signature.
    """

    signer_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    signer_role: Mapped[str | None] = mapped_column(String(120), nullable=True)
    may_sign_for_org: Mapped[bool] = mapped_column(Boolean, default=False)
    typed_confirmation: Mapped[str | None] = mapped_column(String(200), nullable=True)
    terms_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    terms_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Room for MitID Erhverv / BankID through OIDC: the method and the subject it vouched for.
    signature_method: Mapped[str | None] = mapped_column(String(40), nullable=True)
    signature_subject: Mapped[str | None] = mapped_column(String(200), nullable=True)
    receipt_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    receipt_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class BlanketConsent(SignedMixin, db.Model):
    """Consent for every present and future property of an organisation, until withdrawn."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner_organisation.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("consent_request.id"), nullable=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    granted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    notice_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The withdrawal's own receipt (the grant's stays in receipt_pdf); migration 0005_owner.
    withdrawal_receipt_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    withdrawal_receipt_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    owner = relationship("OwnerOrganisation")


class ConsentDecision(SignedMixin, db.Model):
    """One decision on one entrance; the entrance's `consent_status` is the newest of them.

    `owner_id` is the owner the decision was made for (a sale later does not move it);
    `notice_ends_on` is the last day of a withdrawal's notice.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    entrance_id: Mapped[int] = mapped_column(ForeignKey("entrance.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner_organisation.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("consent_request.id"), nullable=True)
    blanket_id: Mapped[int | None] = mapped_column(ForeignKey("blanket_consent.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(12))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    notice_ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    entrance = relationship("Entrance")

    __table_args__ = (
        CheckConstraint(in_sql("kind", DecisionKind), name="kind"),
        Index("ix_consent_decision_entrance_decided", "entrance_id", "decided_at"),
    )


class FitterWindow(db.Model):
    """A weekly window when the fitter may come to an entrance (or every entrance of a property)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entrance_id: Mapped[int | None] = mapped_column(
        ForeignKey("entrance.id"), nullable=True, index=True
    )
    property_id: Mapped[int | None] = mapped_column(
        ForeignKey("property.id"), nullable=True, index=True
    )
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 Monday .. 6 Sunday
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("starts < ends", name="order"),
        CheckConstraint("(entrance_id IS NULL) <> (property_id IS NULL)", name="one_place"),
    )


class ConsentQuestion(db.Model):
    """An owner's question about a request or an entrance, and the coordinator's answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner_organisation.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("consent_request.id"), nullable=True)
    property_id: Mapped[int | None] = mapped_column(
        ForeignKey("property.id"), nullable=True, index=True
    )
    entrance_id: Mapped[int | None] = mapped_column(ForeignKey("entrance.id"), nullable=True)
    asked_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    owner = relationship("OwnerOrganisation")
    property = relationship("Property")
    entrance = relationship("Entrance")


class PropertyEvent(db.Model):
    """One line of a property's consent history, written by the service that made it happen.

    Kept as its own table (not read back from the audit chain) so the board can show a
    property's history with one indexed query; the audit record is written beside it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("property.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    entrance_id: Mapped[int | None] = mapped_column(ForeignKey("entrance.id"), nullable=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("consent_request.id"), nullable=True)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent_decision.id"), nullable=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent_question.id"), nullable=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        CheckConstraint(in_sql("kind", EventKind), name="kind"),
        Index("ix_property_event_property_at", "property_id", "at"),
    )
