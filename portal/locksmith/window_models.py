"""The owner's weekday windows on an entrance-unit job: the fitter may come only then (no
citizen needs to be at home, but the building's owner says when the door may be worked on)."""

from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, Time
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.extensions import db


class JobWindow(db.Model):
    """One weekday window (local time) in which a job may be done."""

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 Monday .. 6 Sunday
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    job = relationship(
        "Job", backref=backref("windows", order_by=lambda: [JobWindow.weekday, JobWindow.starts])
    )

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("starts < ends", name="starts_before_ends"),
    )


def day_fits(windows, day: date) -> bool:
    """True when a job with these windows may be planned on `day` (no windows: any day)."""
    return not windows or any(w.weekday == day.weekday() for w in windows)
