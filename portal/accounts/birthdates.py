"""A date of birth the way people write it: in one box or three, in either order.

"1938-04-12", "19380412", "12-04-1938", "12.4.1938", "12 4 1938" in one box; or the parts in
the day / month / year boxes, also when a Swede types the year first. A two-digit or
five-digit year is refused with its own reason rather than "not a date".
"""

import re
from datetime import date

# Reasons a caller turns into a message.
MISSING, NOT_NUMBERS, SHORT_YEAR, NOT_A_DATE = "missing", "numbers", "short_year", "date"


def order_for(language: str) -> str:
    """The order people write dates in: year-month-day in Swedish, day-month-year otherwise."""
    return "ymd" if language == "sv" else "dmy"


def _digits(text: str) -> bool:
    # isdigit() alone lets "²" and other scripts' digits through; only 0-9 are numbers here.
    return text.isascii() and text.isdigit()


def _whole(text: str) -> tuple[str, str, str] | str:
    """(day, month, year) from a date written in one box, or a reason."""
    compact = text.strip()
    if _digits(compact) and len(compact) == 8:
        if 1800 <= int(compact[:4]) <= 2200:
            return compact[6:], compact[4:6], compact[:4]
        return compact[:2], compact[2:4], compact[4:]
    if _digits(compact) and len(compact) == 6:
        return SHORT_YEAR
    parts = [p for p in re.split(r"[\s\-./]+", compact) if p]
    if len(parts) != 3:
        return NOT_A_DATE if parts and all(_digits(p) for p in parts) else NOT_NUMBERS
    if len(parts[0]) == 4:
        return parts[2], parts[1], parts[0]
    return parts[0], parts[1], parts[2]


def parse(day: str, month: str, year: str, today: date) -> date | str:
    """The date of birth typed into the three boxes (or the whole date in one), or a reason."""
    parts = [(p or "").strip() for p in (day, month, year)]
    filled = [p for p in parts if p]
    if len(filled) == 1:
        found = _whole(filled[0])
        if isinstance(found, str):
            return found
        parts = list(found)
    elif len(filled) != 3:
        return MISSING
    if not all(_digits(p) for p in parts):
        return NOT_NUMBERS
    d, m, y = parts
    if len(d) == 4 and len(y) <= 2:  # the year typed first, in the day box
        d, y = y, d
    if len(y) != 4:
        return SHORT_YEAR
    try:
        value = date(int(y), int(m), int(d))
    except (ValueError, OverflowError):  # a 20-digit "day" overflows before it is checked
        return NOT_A_DATE
    if value.year < 1890 or value > today:
        return NOT_A_DATE
    return value
