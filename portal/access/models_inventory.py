"""A lock unit's inventory history: every change of state, who made it, when and why."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db_types import UTCDateTime
from portal.extensions import db


class LockUnitHistory(db.Model):
    """One step in a unit's life (registered, fitted, moved, removed, reset, repaired...)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lock_unit_id: Mapped[int] = mapped_column(ForeignKey("lock_unit.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(12), nullable=True)
    to_state: Mapped[str] = mapped_column(String(12))
    # Where the unit is after the step (an address, "depot"), as one line.
    place: Mapped[str | None] = mapped_column(String(330), nullable=True)
    actor: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
