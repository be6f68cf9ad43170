"""Time policy and conversions: messages carry whole seconds since the epoch (NumericDate)."""

from datetime import UTC, datetime, timedelta

LEEWAY = timedelta(minutes=5)
MAX_LIFETIME = timedelta(hours=10)
LEEWAY_S = int(LEEWAY.total_seconds())
MAX_LIFETIME_S = int(MAX_LIFETIME.total_seconds())
# 9999-12-31T23:59:59Z: anything later cannot become a datetime, so it is malformed.
MAX_TIME = 253402300799


def to_epoch(moment: datetime) -> int:
    """Return whole seconds since the epoch of an aware datetime (naive ones are refused)."""
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError("times must be timezone-aware datetimes")
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    """Return the aware UTC datetime of a NumericDate."""
    return datetime.fromtimestamp(seconds, UTC)


def is_time(value: object) -> bool:
    """True for an int NumericDate in the range a datetime can hold."""
    return type(value) is int and 0 <= value <= MAX_TIME
