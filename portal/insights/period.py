"""The period a page covers (whole local days ending today) and how hour buckets fold into it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """The local days first..last (inclusive) and the UTC instants that bound them."""

    first: date
    last: date
    tz: ZoneInfo

    @classmethod
    def ending_today(cls, now: datetime, tz: str, days: int = DEFAULT_DAYS) -> "Period":
        """The `days` local days up to and including today."""
        zone = ZoneInfo(tz)
        today = now.astimezone(zone).date()
        return cls(today - timedelta(days=days - 1), today, zone)

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """The first local midnight, in UTC."""
        return datetime.combine(self.first, time(), self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The local midnight after the last day, in UTC (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.tz).astimezone(UTC)

    def dates(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def weeks(self) -> list[date]:
        """The Monday of every week the period touches, in order."""
        first = week_of(self.first)
        return [
            first + timedelta(weeks=n) for n in range((week_of(self.last) - first).days // 7 + 1)
        ]

    def local_day(self, hour: str) -> date:
        """The local day of a UTC hour bucket 'YYYY-MM-DD HH'."""
        moment = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
        return moment.astimezone(self.tz).date()

    def by_day(self, rows) -> dict[date, float]:
        """Sum (hour bucket, value...) rows per local day, every day present (0 if none)."""
        totals = dict.fromkeys(self.dates(), 0)
        for hour, value in rows:
            day = self.local_day(hour)
            if day in totals:
                totals[day] += value or 0
        return totals

    def by_week(self, rows, width: int = 1) -> dict[date, list[float]]:
        """Sum (hour bucket, `width` values) rows per week (its Monday), value by value."""
        totals = {monday: [0] * width for monday in self.weeks()}
        for hour, *values in rows:
            sums = totals.get(week_of(self.local_day(hour)))
            if sums is not None:
                for n, value in enumerate(values[:width]):
                    sums[n] += value or 0
        return totals


def week_of(day: date) -> date:
    """The Monday of the ISO week of a day."""
    return day - timedelta(days=day.weekday())
