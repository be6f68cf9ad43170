"""Change requests (provider switch, move, end of care, opt-out), their documents, and the
notices a provider switch leaves for both providers."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
from portal.extensions import db

KINDS = ("switch", "move", "leave")
# "withdrawn": taken back by whoever asked; "cancelled": by a coordinator, or as replaced by a
# later report (`portal.changes.cancelling`).
STATUSES = ("pending", "question", "approved", "done", "refused", "withdrawn", "cancelled")
# Still open: a citizen has at most one of these at a time (partial unique indexes say so),
# except that a report which supersedes an approved change (a move, an end of care, a death:
# `supersedes_id`) may wait for its decision beside that change.
OPEN = ("pending", "question", "approved")
UNDECIDED = ("pending", "question")
SOURCES = ("citizen", "relative", "phone", "care_system")
# Why a citizen leaves keyless care; "moved_away" comes from a move out of the municipality.
REASONS = ("opted_out", "care_ended", "deceased", "moved_away")
ALTERNATIVES = ("key_box", "citizen_lets_in", "relative_key")


def _in(column: str, values) -> str:
    return "{} IN ({})".format(column, ", ".join(f"'{v}'" for v in values))


# At most one approved change waiting, and at most one undecided request not superseding it.
_OPEN_SQL = "status = 'approved' OR ({} AND supersedes_id IS NULL)".format(_in("status", UNDECIDED))
# At most one undecided request, superseding or not.
_UNDECIDED_SQL = _in("status", UNDECIDED)


class ChangeRequest(db.Model):
    """One change of a citizen's care: asked for by them or a relative, or registered by a
    coordinator from a phone call or the care system; decided, then applied on its date."""

    __tablename__ = "change_request"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("source", SOURCES), name="source"),
        Index(
            "ux_change_request_open",
            "citizen_id",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index(
            "ux_change_request_undecided",
            "citizen_id",
            unique=True,
            sqlite_where=text(_UNDECIDED_SQL),
            postgresql_where=text(_UNDECIDED_SQL),
        ),
        Index("ix_change_request_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    source: Mapped[str] = mapped_column(String(12))
    requested_by: Mapped[str] = mapped_column(String(300))
    effective_on: Mapped[date] = mapped_column(Date)
    # A switch: from which provider to which (and the new care group once approved).
    from_provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), nullable=True)
    to_provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), nullable=True)
    to_care_group_id: Mapped[int | None] = mapped_column(ForeignKey("care_group.id"), nullable=True)
    # A move: where to; inside the municipality or not; the old address the unit is at.
    inside: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    new_address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    new_postcode: Mapped[str | None] = mapped_column(String(10), nullable=True)
    new_city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    new_district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), nullable=True)
    old_address: Mapped[str | None] = mapped_column(String(320), nullable=True)
    # Leaving keyless care: why, the way in agreed instead (opt-out), the estate (death).
    reason: Mapped[str | None] = mapped_column(String(12), nullable=True)
    alternative: Mapped[str | None] = mapped_column(String(20), nullable=True)
    estate_contact: Mapped[str | None] = mapped_column(String(300), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The approved change this report replaces (cancelled when it is sent or approved).
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_request.id"), nullable=True
    )
    question: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Who answered the question (the citizen, or a relative on their behalf) and when.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_by: Mapped[str | None] = mapped_column(String(300), nullable=True)
    refusal_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(300), nullable=True)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    citizen = relationship("Citizen")
    from_provider = relationship("Provider", foreign_keys=[from_provider_id])
    to_provider = relationship("Provider", foreign_keys=[to_provider_id])
    new_district = relationship("District")
    supersedes = relationship(
        "ChangeRequest", remote_side=[id], foreign_keys=[supersedes_id], backref="superseded_by"
    )
    documents: Mapped[list["ChangeDocument"]] = relationship(
        back_populates="request", order_by="ChangeDocument.id"
    )

    @property
    def is_open(self) -> bool:
        """Pending, waiting for an answer, or approved and not yet in force."""
        return self.status in OPEN


class ChangeDocument(db.Model):
    """A file attached to a request (a PDF or a photo of a letter), kept in the database."""

    __tablename__ = "change_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("change_request.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    request: Mapped[ChangeRequest] = relationship(back_populates="documents")


class ProviderNotice(db.Model):
    """What a provider is told about a switch: a citizen joins ("gaining") or leaves
    ("losing") it from a date. Shown on the provider admin's page and sent by email."""

    __tablename__ = "provider_notice"
    __table_args__ = (CheckConstraint("role IN ('gaining', 'losing')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("change_request.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"))
    role: Mapped[str] = mapped_column(String(8))
    effective_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    request: Mapped[ChangeRequest] = relationship()
    citizen = relationship("Citizen")


from portal.changes.keycabinet_models import *  # noqa: E402, F403  (the key cabinet's tables)
