"""What the locksmith reports for a job: fitted (with the lock unit) or failed (with why)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
from portal.extensions import db

FAIL_REASONS = ("not_home", "door_unsuitable", "declined", "other")
CHECKLIST = ("turns_both_ways", "battery_read", "door_closes", "citizen_told")


class JobReport(db.Model):
    """The outcome of one appointment's job, written once by its locksmith."""

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    lock_unit_id: Mapped[int | None] = mapped_column(ForeignKey("lock_unit.id"), nullable=True)
    checklist: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_by: Mapped[int] = mapped_column(ForeignKey("user.id"))

    appointment = relationship("Appointment")
    lock_unit = relationship("LockUnit")
