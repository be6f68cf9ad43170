"""Locksmith availability, the slots it materialises, and the appointments booked in them."""

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.db_types import UTCDateTime
from portal.extensions import db

# Appointment statuses that occupy their slot; "cancelled" frees it again.
ACTIVE_STATUSES = ("booked", "completed", "failed")
APPOINTMENT_STATUSES = ("booked", "completed", "failed", "cancelled")
_ACTIVE_SQL = text("status IN ('booked', 'completed', 'failed')")
_BOOKED_SQL = text("status = 'booked'")
_PUBLISHED_SQL = text("status = 'published'")


class Availability(db.Model):
    """When one locksmith works in one campaign: a date range, weekdays and hours."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    locksmith_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    weekdays: Mapped[str] = mapped_column(String(7), default="01234")
    day_start: Mapped[time] = mapped_column(Time)
    day_end: Mapped[time] = mapped_column(Time)
    # Optimistic locking: every UPDATE checks and bumps it (StaleDataError when someone else
    # saved first); the edit form carries the version it was read at.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    campaign = relationship("Campaign")
    locksmith = relationship("User")

    @property
    def weekday_set(self) -> set[int]:
        """The weekdays as integers (Monday is 0)."""
        return {int(ch) for ch in self.weekdays if ch.isdigit()}


class Slot(db.Model):
    """One bookable fitting time of one locksmith (capacity 1), stored in UTC."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    availability_id: Mapped[int | None] = mapped_column(
        ForeignKey("availability.id", ondelete="SET NULL"), nullable=True, index=True
    )
    locksmith_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The day in the municipality's time zone, so "which days have free times" is one index scan.
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="published")

    campaign = relationship("Campaign")
    locksmith = relationship("User")

    __table_args__ = (
        Index("ix_slot_campaign_day", "campaign_id", "status", "local_date", "starts_at"),
        # Booking "any locksmith at 10:20" looks the slots up by their start.
        Index("ix_slot_starts_at", "starts_at"),
        # A locksmith cannot be in two places: one published slot per locksmith and start.
        Index(
            "uq_slot_locksmith_start",
            "locksmith_id",
            "starts_at",
            unique=True,
            sqlite_where=_PUBLISHED_SQL,
            postgresql_where=_PUBLISHED_SQL,
        ),
    )


class Appointment(db.Model):
    """A citizen's fitting in a slot, with the access details the locksmith needs."""

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="install")
    status: Mapped[str] = mapped_column(String(12), default="booked", index=True)
    previous_status: Mapped[str] = mapped_column(String(20), default="registered")
    door_password: Mapped[str] = mapped_column(String(60))
    opener: Mapped[str] = mapped_column(String(20), default="self")
    call_phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    door_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    interpreter_language: Mapped[str | None] = mapped_column(String(60), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    booked_by: Mapped[str] = mapped_column(String(300), default="")
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The calendar file's SEQUENCE (RFC 5545): 0 when booked, one more with each change.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    citizen = relationship("Citizen")
    slot: Mapped[Slot] = relationship()

    __table_args__ = (
        # The database, not a read-then-write, guarantees one active appointment per slot...
        Index(
            "uq_appointment_slot_active",
            "slot_id",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
        # ...and one open booking per citizen.
        Index(
            "uq_appointment_citizen_booked",
            "citizen_id",
            unique=True,
            sqlite_where=_BOOKED_SQL,
            postgresql_where=_BOOKED_SQL,
        ),
    )

    @property
    def starts_at(self) -> datetime:
        """When the fitting starts (UTC)."""
        return self.slot.starts_at

    @property
    def ends_at(self) -> datetime:
        """When the fitting ends (UTC)."""
        return self.slot.ends_at

    @property
    def locksmith(self):
        """The locksmith's user account."""
        return self.slot.locksmith

    @property
    def locksmith_first_name(self) -> str:
        """Only the first name is shown to citizens."""
        return (self.slot.locksmith.name or "").split(" ")[0]
