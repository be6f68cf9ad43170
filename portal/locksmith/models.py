"""The locksmith's job: what to do where, for whom, when, and what came of it."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db_types import UTCDateTime
from portal.extensions import db

FAIL_REASONS = ("not_home", "door_unsuitable", "declined", "other")
CHECKLIST = ("turns_both_ways", "battery_read", "door_closes", "citizen_told")
LEAVE_REASONS = ("moved_away", "care_ended", "deceased", "opted_out")


class JobKind(StrEnum):
    """What the locksmith goes to do."""

    FITTING = "fitting"
    ENTRANCE_UNIT = "entrance_unit"
    RELOCATION = "relocation"
    REMOVAL = "removal"
    BATTERY = "battery"
    REPAIR = "repair"


class JobStatus(StrEnum):
    """Open (nobody yet), planned (a locksmith and a day), then done, failed or cancelled."""

    OPEN = "open"
    PLANNED = "planned"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_STATUSES = (JobStatus.OPEN, JobStatus.PLANNED)
CLOSED_STATUSES = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


_OPEN_BATTERY_SQL = text(f"kind = 'battery' AND {_in('status', OPEN_STATUSES)}")


class Job(db.Model):
    """One visit of a locksmith: created by a booking, an alert, a consent, a coordinator."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.OPEN)
    # Copied when the job is made: the locksmith goes where the job was, even if the citizen
    # has moved since (a relocation is a job of its own).
    address: Mapped[str] = mapped_column(String(330))
    citizen_id: Mapped[int | None] = mapped_column(
        ForeignKey("citizen.id"), nullable=True, index=True
    )
    entrance_id: Mapped[int | None] = mapped_column(ForeignKey("entrance.id"), nullable=True)
    lock_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("lock_unit.id"), nullable=True, index=True
    )
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id"), nullable=True, unique=True
    )
    instructions: Mapped[str | None] = mapped_column(Text, nullable=True)
    locksmith_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The result, written once by the locksmith (or the cancellation by whoever cancelled).
    reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    checklist: Mapped[str | None] = mapped_column(String(200), nullable=True)
    battery_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(300))
    # A relocation's new home (the unit goes there); a removal's reason and, for a death, the
    # estate's contact person; who signed for the physical keys handed back.
    destination: Mapped[str | None] = mapped_column(String(330), nullable=True)
    effective_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    leave_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    estate_contact: Mapped[str | None] = mapped_column(String(300), nullable=True)
    signed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # A failed job's follow-up by the coordinator (a new job, or handled): written once, with
    # its audit record (portal.locksmith.follow_up); the follow-up queue reads it.
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    followed_up_by: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Optimistic lock: of two reports (a double submit, a coordinator cancelling meanwhile)
    # the second one's UPDATE finds the version gone and fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)

    citizen = relationship("Citizen")
    lock_unit = relationship("LockUnit")
    entrance = relationship("Entrance")
    locksmith = relationship("User", foreign_keys=[locksmith_id])

    __table_args__ = (
        CheckConstraint(_in("kind", JobKind), name="kind"),
        CheckConstraint(_in("status", JobStatus), name="status"),
        # A planned job has somebody to do it and a day to do it on.
        CheckConstraint(
            "status <> 'planned' OR (locksmith_id IS NOT NULL AND day IS NOT NULL)",
            name="planned_has_locksmith_and_day",
        ),
        Index("ix_job_locksmith_day", "locksmith_id", "day"),
        Index("ix_job_status_day", "status", "day"),
        # The follow-up queue: failed jobs nobody has followed up yet.
        Index("ix_job_status_followed_up", "status", "followed_up_at"),
        # One open battery change per lock, however many low reports arrive at once.
        Index(
            "uq_job_open_battery_lock",
            "lock_unit_id",
            unique=True,
            sqlite_where=_OPEN_BATTERY_SQL,
            postgresql_where=_OPEN_BATTERY_SQL,
        ),
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        """Still to be done (open or planned)."""
        return self.status in OPEN_STATUSES


from portal.locksmith import models_photos  # noqa: E402, F401  (register the table)
from portal.locksmith.window_models import JobWindow  # noqa: E402, F401  (owner windows)
