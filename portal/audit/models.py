"""Hash-chained audit log: each record holds the SHA-256 of the one before it."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db_types import UTCDateTime
from portal.extensions import db


class AuditRecord(db.Model):
    """One state change that matters, who did it and on whose behalf."""

    # An object's history (its latest change first) is read without scanning the whole log.
    # A period in the audit browser is read by time.
    __table_args__ = (
        Index("ix_audit_object", "object_type", "object_id", "seq"),
        Index("ix_audit_record_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(300))
    on_behalf_of: Mapped[str | None] = mapped_column(String(100), nullable=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    object_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """A single row that serialises writers and remembers the chain's tip."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64), default="0" * 64)


class AuditCheckpoint(db.Model):
    """A signed checkpoint of the chain's head (a signed tree head); its file is the original.

    `body` is the exact signed text (canonical JSON of v, origin, seq, hash, at, key), so a
    row verifies on its own; the files in AUDIT_CHECKPOINT_DIR are what `audit verify` trusts.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    key_id: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(100), unique=True)
