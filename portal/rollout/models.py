"""Roll-out waves: campaigns that fit one district's doors in a date window."""

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.db_types import UTCDateTime
from portal.directory.models import District
from portal.extensions import db

CAMPAIGN_STATUSES = ("draft", "running", "closed")


class Campaign(db.Model):
    """A roll-out wave for one district: a date window, the slot grid and the working week."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=10)
    day_start: Mapped[time] = mapped_column(Time)
    day_end: Mapped[time] = mapped_column(Time)
    # Weekdays that count, as digits Monday=0 .. Sunday=6, e.g. "01234".
    weekdays: Mapped[str] = mapped_column(String(7), default="01234")
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    # Optimistic locking: every UPDATE checks and bumps it (StaleDataError when someone else
    # saved first); the edit form carries the version it was read at.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    district: Mapped[District] = relationship()

    @property
    def weekday_set(self) -> set[int]:
        """The counted weekdays as integers (Monday is 0)."""
        return {int(ch) for ch in self.weekdays if ch.isdigit()}

    def __repr__(self) -> str:
        return f"<Campaign {self.id} {self.name}>"
