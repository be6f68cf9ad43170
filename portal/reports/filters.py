"""What a report is asked for: whose visits (the scope), which (the filters), and where a page
starts (the cursor).

The scope is decided by who asks, never by the query string: a coordinator reads every visit,
a provider admin only visits by their own provider's staff. Filters narrow further and are
never trusted to widen anything. A period is a pair of the municipality's calendar days, both
inclusive, turned into UTC instants at local midnight (so a DST day has 23 or 25 hours).

A cursor is the sort key and id of the last row shown, as URL-safe base64 text. It is not
secret and needs no signature: it only says where to resume, and the scope is applied to every
page whatever the cursor says. A cursor that does not parse raises `BadCursor`.
"""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SORTS = ("arrival_desc", "arrival_asc", "duration_desc", "duration_asc")
DOOR_KINDS = ("door", "entrance")
MAX_CURSOR = 120
MAX_INT = 2**31 - 1  # the database's integer: a larger bound would be an SQL error


class BadCursor(ValueError):
    """A cursor that is not one this report wrote."""


@dataclass(frozen=True)
class Scope:
    """Whose visits: every visit (provider_id None) or only those by one provider's staff."""

    provider_id: int | None = None

    @classmethod
    def everything(cls) -> "Scope":
        """A coordinator's scope: every visit."""
        return cls(None)

    @classmethod
    def provider(cls, provider_id: int) -> "Scope":
        """A provider admin's scope: visits by that provider's staff only."""
        if not provider_id:
            raise ValueError("a provider scope needs a provider")
        return cls(provider_id)


@dataclass(frozen=True)
class VisitFilters:
    """The report's filters; None means "any". `on` is the day whose care group counts."""

    citizen_id: int | None = None
    citizen_text: str = ""
    staff_id: int | None = None
    staff_text: str = ""
    care_group_id: int | None = None
    district_id: int | None = None
    provider_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    door_kind: str | None = None
    sort: str = "arrival_desc"
    tz: str = "Europe/Copenhagen"
    on: date | None = field(default=None)

    def __post_init__(self):
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}")

    @property
    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as UTC instants [from, to): local midnights of date_from and date_to + 1."""
        return local_midnight(self.date_from, self.tz), local_midnight(
            self.date_to + timedelta(days=1) if self.date_to else None, self.tz
        )

    @property
    def care_group_day(self) -> date:
        """The day whose provider assignment names a citizen's care group."""
        return self.on or self.date_to or date(9999, 12, 31)


def local_midnight(day: date | None, tz: str) -> datetime | None:
    """The UTC instant at which `day` begins in the time zone `tz`."""
    if day is None:
        return None
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def encode_cursor(sort: str, key, row_id: int) -> str:
    """The cursor after a row: its sort key (arrival instant or seconds) and id."""
    key_text = key.astimezone(UTC).isoformat() if isinstance(key, datetime) else str(int(key))
    raw = f"{sort}|{key_text}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str, sort: str):
    """(key, id) from a cursor written for `sort`; BadCursor otherwise."""
    if not text or len(text) > MAX_CURSOR or not text.isascii():
        raise BadCursor("cursor missing or too long")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        cursor_sort, key_text, id_text = raw.split("|")
        row_id = int(id_text)
        if cursor_sort != sort or not 0 < row_id <= MAX_INT:
            raise BadCursor("cursor for another sort")
        if sort.startswith("arrival"):
            key = datetime.fromisoformat(key_text)
            if key.tzinfo is None:
                raise BadCursor("cursor time without zone")
            return key.astimezone(UTC), row_id
        seconds = int(key_text)
        if not -1 <= seconds <= MAX_INT:
            raise BadCursor("cursor duration out of range")
        return seconds, row_id
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError) as error:
        raise BadCursor(str(error)) from error
