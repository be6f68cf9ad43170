"""The physical backup-key register: cabinets, the keys in them, every handout and return."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
from portal.extensions import db

KEY_KINDS = ("day", "night")
KEY_STATUSES = ("in_cabinet", "handed_out", "returned")
# Who received a key handed back for good.
RECIPIENTS = ("citizen", "relative", "estate")
_HELD_SQL = text("status <> 'returned'")

__all__ = ["KEY_KINDS", "KEY_STATUSES", "RECIPIENTS", "CabinetKey", "CabinetKeyEvent", "KeyCabinet"]


class KeyCabinet(db.Model):
    """A provider's locked key cabinet (a name and where it is)."""

    __table_args__ = (UniqueConstraint("provider_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    location: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    provider = relationship("Provider")


class CabinetKey(db.Model):
    """One physical key (day or night) of a citizen's home, held by a provider."""

    __table_args__ = (
        CheckConstraint("kind IN ('day', 'night')", name="kind"),
        CheckConstraint("status IN ('in_cabinet', 'handed_out', 'returned')", name="status"),
        # One held key of each kind per citizen: a second one is a mistake in the register.
        Index(
            "uq_cabinet_key_held",
            "citizen_id",
            "kind",
            unique=True,
            sqlite_where=_HELD_SQL,
            postgresql_where=_HELD_SQL,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cabinet_id: Mapped[int] = mapped_column(ForeignKey("key_cabinet.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    tag: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="in_cabinet")
    holder: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    cabinet = relationship("KeyCabinet")
    citizen = relationship("Citizen")


class CabinetKeyEvent(db.Model):
    """A key put in, handed out, put back or returned: who did it, to whom, when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("cabinet_key.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(20))
    person: Mapped[str | None] = mapped_column(String(200), nullable=True)
    actor: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A hand-back for good: who received the key (RECIPIENTS; none when a removal job's
    # signature returned it) and the day they did.
    recipient: Mapped[str | None] = mapped_column(String(20), nullable=True)
    received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
