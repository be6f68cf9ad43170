"""Working days and slot times: public holidays and eves skipped, local time turned into UTC."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# Days off that are not public holidays in the package's default category but on which no
# municipality books fittings: the Danish eves and Grundlovsdag, the Swedish "de facto" days.
_DK_EXTRA = ((6, 5, "Grundlovsdag"), (12, 24, "Juleaftensdag"), (12, 31, "Nytårsaftensdag"))
_SE_EXTRA = ((12, 24, "Julafton"), (12, 31, "Nyårsafton"))


def _midsummer_eve(year: int) -> date:
    """Midsommarafton: the Friday between 19 and 25 June."""
    day = date(year, 6, 19)
    return day + timedelta(days=(4 - day.weekday()) % 7)


@lru_cache(maxsize=64)
def days_off(country: str, year: int) -> dict[date, str]:
    """Public holidays of the country plus the eves treated as days off, for one year."""
    found = dict(holidays.country_holidays(country, years=year).items())
    if country == "DK":
        for month, day, name in _DK_EXTRA:
            found.setdefault(date(year, month, day), name)
    elif country == "SE":
        for month, day, name in _SE_EXTRA:
            found.setdefault(date(year, month, day), name)
        found.setdefault(_midsummer_eve(year), "Midsommarafton")
    return found


def is_day_off(country: str, day: date) -> bool:
    """True on a public holiday or one of the eves."""
    return day in days_off(country, day.year)


def working_days(start: date, end: date, weekdays: set[int], country: str) -> list[date]:
    """Days from start to end (inclusive) on the given weekdays that are not days off."""
    out, day = [], start
    while day <= end:
        if day.weekday() in weekdays and not is_day_off(country, day):
            out.append(day)
        day += timedelta(days=1)
    return out


def next_working_day(after: date, country: str, weekdays: frozenset = frozenset(range(5))) -> date:
    """The first working day after the given date."""
    day = after + timedelta(days=1)
    while day.weekday() not in weekdays or is_day_off(country, day):
        day += timedelta(days=1)
    return day


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime | None:
    """A wall-clock time on a day as UTC; None when the clock skips it (spring forward)."""
    local = datetime.combine(day, at, tzinfo=tz)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return as_utc


def day_slots(
    day: date, start: time, end: time, slot_minutes: int, buffer_minutes: int, tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of each slot that fits between the local start and end times."""
    slots = []
    step = timedelta(minutes=slot_minutes + buffer_minutes)
    length = timedelta(minutes=slot_minutes)
    cursor = datetime.combine(day, start)
    last = datetime.combine(day, end)
    while cursor + length <= last:
        begins = local_to_utc(day, cursor.time(), tz)
        finishes = local_to_utc(day, (cursor + length).time(), tz)
        if begins is not None and finishes is not None and finishes > begins:
            slots.append((begins, finishes))
        cursor += step
    return slots


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar day of a UTC moment in the municipality's time zone."""
    return moment.astimezone(tz).date()
