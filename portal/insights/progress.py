"""Roll-out progress over time per district: letters posted, fittings booked, locks fitted.

Each is counted in the week it happened (not a running total, which would read every row
before the period): information letters by the day they were posted, install bookings by the
day they were made, door units by the day they were fitted.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from portal.access.models import LockUnit
from portal.booking.models import Appointment
from portal.citizens.models import Citizen
from portal.directory import queries as directory
from portal.insights.period import Period
from portal.insights.sql import utc_hour
from portal.letters.models import Letter

SERIES = ("letters_sent", "booked", "fitted")


@dataclass
class DistrictWeeks:
    """One district's counts per week (Monday -> [letters sent, booked, fitted])."""

    district: object
    weeks: dict[date, list[int]] = field(default_factory=dict)

    @property
    def totals(self) -> list[int]:
        """The period's sums of each series."""
        return [sum(week[n] for week in self.weeks.values()) for n in range(len(SERIES))]


def _counts(session, period: Period, moment, joined, *where):
    hour = utc_hour(moment)
    stmt = (
        select(Citizen.district_id, hour, func.count())
        .select_from(joined)
        .join(Citizen, Citizen.id == joined.citizen_id)
        .where(moment >= period.start, moment < period.end, *where)
        .group_by(Citizen.district_id, hour)
    )
    return session.execute(stmt).all()


def progress_by_week(session, period: Period) -> list[DistrictWeeks]:
    """Every district with its letters sent, bookings made and locks fitted per week."""
    rows: dict[int, list] = {}
    sources = (
        (Letter.posted_at, Letter, (Letter.kind == "information",)),
        (Appointment.booked_at, Appointment, (Appointment.kind == "install",)),
        (LockUnit.installed_at, LockUnit, (LockUnit.kind == "door",)),
    )
    for index, (moment, table, where) in enumerate(sources):
        for district_id, hour, n in _counts(session, period, moment, table, *where):
            values = [0] * len(SERIES)
            values[index] = n
            rows.setdefault(district_id, []).append((hour, *values))
    return [
        DistrictWeeks(d, period.by_week(rows.get(d.id, []), width=len(SERIES)))
        for d in directory.districts(session)
    ]
