"""Time at the citizen per provider per month: the basis a municipality pays providers on.

A visit belongs to the month (in the municipality's time zone) in which it began, and to the
provider of the staff member who made it. Finished visits count and their durations add up;
visits still open (no leave recorded, e.g. a door left unlocked) have no duration and are
counted apart, never guessed. Visits without a known staff member belong to no provider and
are left out.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from portal.access.models_events import Visit
from portal.directory.models import Provider
from portal.reports.filters import Scope, local_midnight
from portal.reports.visits import seconds_between


@dataclass(frozen=True)
class BillingRow:
    """One provider's month: finished visits, their total seconds, and open visits."""

    month: date
    provider_id: int
    provider: str
    visits: int
    seconds: int
    open_visits: int

    @property
    def hours(self) -> float:
        """Total time in hours, to two decimals."""
        return round(self.seconds / 3600, 2)


def month_starts(year: int) -> list[date]:
    """The first day of each month of `year`, and of the next January (the end bound)."""
    return [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]


def billing(session, scope: Scope, year: int, tz: str) -> list[BillingRow]:
    """Every provider's months of `year` with visits, month then provider name."""
    seconds = seconds_between(session, Visit.start, Visit.end)
    finished = Visit.end.is_not(None)
    stmt = (
        select(
            Provider.id,
            Provider.name,
            func.count(case((finished, 1))),
            func.coalesce(func.sum(case((finished, seconds))), 0),
            func.count(case((Visit.end.is_(None), 1))),
        )
        .join(Provider, Provider.id == Visit.provider_id)
        .group_by(Provider.id, Provider.name)
        .order_by(Provider.name)
    )
    if scope.provider_id is not None:
        stmt = stmt.where(Visit.provider_id == scope.provider_id)
    starts = month_starts(year)
    rows = []
    for first, following in zip(starts, starts[1:], strict=False):
        bounded = stmt.where(
            Visit.start >= local_midnight(first, tz), Visit.start < local_midnight(following, tz)
        )
        for pid, name, count, total, still_open in session.execute(bounded):
            rows.append(BillingRow(first, pid, name, count, int(total), still_open))
    return rows
