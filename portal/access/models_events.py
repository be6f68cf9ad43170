"""What locks report: signed events, counter gaps, and the visits derived from them."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
from portal.extensions import db


class LockEvent(db.Model):
    """One entry of a lock's log, verified against the lock's registered key; stored once."""

    __table_args__ = (UniqueConstraint("lock_unit_id", "counter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lock_unit_id: Mapped[int] = mapped_column(ForeignKey("lock_unit.id"), index=True)
    counter: Mapped[int] = mapped_column(BigInteger)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str | None] = mapped_column(String(10), nullable=True)
    result: Mapped[str] = mapped_column(String(30))
    battery: Mapped[int] = mapped_column(Integer)
    sub: Mapped[str | None] = mapped_column(String(256), nullable=True)
    cti: Mapped[str | None] = mapped_column(String(32), nullable=True)
    device_thumbprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_with_id: Mapped[int | None] = mapped_column(ForeignKey("shift_key.id"), nullable=True)

    staff = relationship("Staff")


class CounterGap(db.Model):
    """Counters missing from a lock's log (events lost or withheld); closed when they arrive."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lock_unit_id: Mapped[int] = mapped_column(ForeignKey("lock_unit.id"), index=True)
    first: Mapped[int] = mapped_column(BigInteger)
    last: Mapped[int] = mapped_column(BigInteger)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Visit(db.Model):
    """A staff member's visit at a citizen's door: an open and the close that ended it."""

    # The citizen's and the provider's visit lists: newest first, per citizen or staff member.
    __table_args__ = (
        Index("ix_visit_citizen_start", "citizen_id", "start"),
        Index("ix_visit_staff_start", "staff_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lock_unit_id: Mapped[int] = mapped_column(ForeignKey("lock_unit.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True, index=True)
    # Where and for whom, as they were when the visit began (a move or a change of employer
    # later does not rewrite history); the visit report filters and scopes by these.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), nullable=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), nullable=True)
    sub: Mapped[str] = mapped_column(String(256))
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    open_event_id: Mapped[int] = mapped_column(ForeignKey("lock_event.id"), unique=True)
    close_event_id: Mapped[int | None] = mapped_column(ForeignKey("lock_event.id"), nullable=True)

    staff = relationship("Staff")
    lock_unit = relationship("LockUnit")
