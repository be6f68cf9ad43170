"""Issuer keys, issued shift keys, revocation entries, signed bulletins and used request nonces."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
from portal.extensions import db


class IssuerKey(db.Model):
    """An issuer signing key; the private half is a PEM file in instance/keys, never here.

    States: "next" (generated, handed to locks at provisioning, not signing yet), "current"
    (signing), "retired" (trusted by locks until `trusted_until`, when its last key expires).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    generation: Mapped[int] = mapped_column(Integer, unique=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    trusted_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def state(self) -> str:
        """next, current or retired."""
        if self.retired_at is not None:
            return "retired"
        return "current" if self.activated_at is not None else "next"


class ShiftKey(db.Model):
    """An issued shift key (the credential itself is not kept, only what identifies it)."""

    __tablename__ = "shift_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    cti: Mapped[str] = mapped_column(String(32), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"), index=True)
    kid: Mapped[str] = mapped_column(String(64))
    locks: Mapped[list] = mapped_column(JSON, default=list)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    bulletin_seq: Mapped[int] = mapped_column(Integer, default=0)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    staff = relationship("Staff")
    device = relationship("Device")


class RevocationEntry(db.Model):
    """One line of the revocation bulletin: a cti, device thumbprint or staff id, until a time."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(256))
    until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(40))
    bulletin_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"), nullable=True)
    # Set when the entry is lifted (a staff member unblocked): later bulletins leave it out.
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Bulletin(db.Model):
    """A signed, sequence-numbered snapshot of every revocation in force (unique seq)."""

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kid: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class RequestNonce(db.Model):
    """A nonce a device used in a signed request; a second use is a replay."""

    __table_args__ = (UniqueConstraint("device_id", "nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"))
    nonce: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
