"""Visit figures for the charts: per day, time at the citizen per week, outside the window.

The data holds no planned visit times (no care plans, no rota). The window a visit is held
against is the shift the staff member declared when starting it: the validity (not before,
expires) of the shift key that opened the door. A visit is outside when it began before that
shift or ended after it. Locks allow five minutes' leeway, so what this mostly finds is
visits that ran over the end of the shift or were closed with a later key. Visits opened
without a shift key on record (none today) are counted apart, never guessed.

`provider_id` narrows every figure to visits by that provider's staff (a provider admin's).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from portal.access.models_events import LockEvent, Visit
from portal.access.models_keys import ShiftKey
from portal.insights.period import Period
from portal.insights.sql import seconds_between, utc_hour


@dataclass
class WindowWeek:
    """One week's visits held against their shift: inside, outside, no shift key on record."""

    week: date
    visits: int
    outside: int
    unknown: int

    @property
    def share(self) -> float | None:
        """Outside as a share of the visits that have a shift (None when there are none)."""
        known = self.visits - self.unknown
        return self.outside / known if known else None


def _in_period(period: Period, provider_id: int | None):
    conditions = [Visit.start >= period.start, Visit.start < period.end]
    if provider_id is not None:
        conditions.append(Visit.provider_id == provider_id)
    return conditions


def visits_per_day(session, period: Period, provider_id: int | None = None) -> dict[date, int]:
    """How many visits began on each local day."""
    hour = utc_hour(Visit.start)
    stmt = select(hour, func.count()).where(*_in_period(period, provider_id)).group_by(hour)
    return {day: int(n) for day, n in period.by_day(session.execute(stmt)).items()}


def hours_per_week(session, period: Period, provider_id: int | None = None) -> dict[date, float]:
    """Hours at the citizen per week: closed visits, by the week they began in."""
    hour = utc_hour(Visit.start)
    stmt = (
        select(hour, func.sum(seconds_between(Visit.start, Visit.end)))
        .where(*_in_period(period, provider_id), Visit.end.is_not(None))
        .group_by(hour)
    )
    return {
        week: round(s / 3600, 2) for week, (s,) in period.by_week(session.execute(stmt)).items()
    }


def outside_window(session, period: Period, provider_id: int | None = None) -> list[WindowWeek]:
    """Per week: visits, those outside their shift key's validity, those without a key."""
    opened = LockEvent
    ends = func.coalesce(Visit.end, Visit.start)
    outside = or_(Visit.start < ShiftKey.not_before, ends > ShiftKey.expires_at)
    hour = utc_hour(Visit.start)
    stmt = (
        select(
            hour,
            func.count(),
            func.sum(case((and_(ShiftKey.id.is_not(None), outside), 1), else_=0)),
            func.sum(case((ShiftKey.id.is_(None), 1), else_=0)),
        )
        .select_from(Visit)
        .join(opened, opened.id == Visit.open_event_id)
        .outerjoin(ShiftKey, ShiftKey.cti == opened.cti)
        .where(*_in_period(period, provider_id))
        .group_by(hour)
    )
    weeks = period.by_week(session.execute(stmt), width=3)
    return [WindowWeek(week, int(v), int(o), int(u)) for week, (v, o, u) in weeks.items()]
