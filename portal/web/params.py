"""Query parameters parsed in one place: a bad value is ignored (None), never a 500.

`str.isdigit()` is true for "²" and "٣" (which int() refuses), and a 20-digit id overflows
the database's integer: so ids are ASCII digits only and at most 2**31-1, days are ISO dates,
and NUL characters (which PostgreSQL refuses in text) never reach a query.
"""

from datetime import date

from flask import request

MAX_ID = 2**31 - 1
MAX_TEXT = 200


def to_id(value) -> int | None:
    """A database id from text: ASCII digits, 1..2**31-1; else None."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def to_int(value, low: int, high: int) -> int | None:
    """A whole number from text: ASCII digits (an optional minus), low..high; else None."""
    text = str(value if value is not None else "").strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > 10 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if low <= number <= high else None


def to_day(value) -> date | None:
    """A YYYY-MM-DD day from text; else None."""
    text = str(value or "").strip()
    if len(text) != 10 or not text.isascii():
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def to_text(value, limit: int = MAX_TEXT) -> str:
    """Free text from a query: NUL characters dropped, cut to `limit`."""
    return str(value or "").replace("\x00", "")[:limit]


def id_arg(name: str) -> int | None:
    """?name=<id> from the current request (see to_id)."""
    return to_id(request.args.get(name))


def int_arg(name: str, low: int, high: int) -> int | None:
    """?name=<whole number> from the current request, within low..high (see to_int)."""
    return to_int(request.args.get(name), low, high)


def day_arg(name: str) -> date | None:
    """?name=<YYYY-MM-DD> from the current request (see to_day)."""
    return to_day(request.args.get(name))


def text_arg(name: str, limit: int = MAX_TEXT) -> str:
    """?name=<text> from the current request (see to_text)."""
    return to_text(request.args.get(name), limit)


def clean_args() -> dict:
    """request.args as a plain dict with NUL characters dropped and values cut to size, for
    forms built from the query string."""
    return {k: to_text(v, 1000) for k, v in request.args.items()}
