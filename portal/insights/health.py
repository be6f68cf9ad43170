"""Operational health: shift keys issued, denied openings by reason, phones and staff blocked,
bulletins published and how far the newest one has spread.

Spread: no lock reports which bulletin it holds in a signed event (the sequence travels only in
the unsigned challenge). But a lock refuses a key carrying a bulletin sequence it has not seen
(portal.keys, "revoked"), so an accepted opening ("ok", signed by the lock) with a shift key
issued under sequence S proves the lock held bulletin S or newer. A lock has confirmed the
newest bulletin when such an event exists since it was published.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from portal.access.models import Device, LockUnit, Staff
from portal.access.models_events import LockEvent
from portal.access.models_keys import Bulletin, ShiftKey
from portal.insights.period import Period
from portal.insights.sql import utc_hour


@dataclass
class Spread:
    """The newest bulletin and the share of fitted locks that have confirmed it."""

    seq: int
    issued_at: datetime
    entries: int
    confirmed: int
    fitted: int

    @property
    def share(self) -> float | None:
        """Confirmed as a share of fitted locks (None without fitted locks)."""
        return self.confirmed / self.fitted if self.fitted else None


@dataclass
class Blocked:
    """Phones and staff blocked in the period, and phones blocked now."""

    devices: int
    staff: int
    devices_now: int


def keys_per_day(session, period: Period) -> dict[date, int]:
    """Shift keys issued on each local day."""
    hour = utc_hour(ShiftKey.issued_at)
    stmt = (
        select(hour, func.count())
        .where(ShiftKey.issued_at >= period.start, ShiftKey.issued_at < period.end)
        .group_by(hour)
    )
    return {day: int(n) for day, n in period.by_day(session.execute(stmt)).items()}


def denied_by_reason(session, period: Period) -> list[tuple[str, int]]:
    """Refused openings in the period per reason, the most frequent first."""
    n = func.count().label("n")
    stmt = (
        select(LockEvent.result, n)
        .where(LockEvent.time >= period.start, LockEvent.time < period.end)
        .where(LockEvent.result != "ok")
        .group_by(LockEvent.result)
        .order_by(n.desc(), LockEvent.result)
    )
    return [(reason, int(count)) for reason, count in session.execute(stmt)]


def blocked(session, period: Period) -> Blocked:
    """Phones and staff blocked in the period; phones blocked now."""

    def count(column):
        return session.scalar(
            select(func.count()).where(column >= period.start, column < period.end)
        )

    now_blocked = session.scalar(select(func.count()).where(Device.status == "blocked"))
    return Blocked(int(count(Device.blocked_at)), int(count(Staff.blocked_at)), int(now_blocked))


def bulletins_in(session, period: Period) -> int:
    """Bulletins published in the period."""
    return int(
        session.scalar(
            select(func.count()).where(
                Bulletin.issued_at >= period.start, Bulletin.issued_at < period.end
            )
        )
    )


def spread(session) -> Spread | None:
    """How far the newest bulletin has reached (None before the first)."""
    newest = session.scalar(select(Bulletin).order_by(Bulletin.seq.desc()).limit(1))
    if newest is None:
        return None
    fitted = LockUnit.state == "fitted"
    confirmed = session.scalar(
        select(func.count(func.distinct(LockEvent.lock_unit_id)))
        .join(ShiftKey, ShiftKey.cti == LockEvent.cti)
        .join(LockUnit, LockUnit.id == LockEvent.lock_unit_id)
        .where(
            LockEvent.time >= newest.issued_at,
            LockEvent.result == "ok",
            ShiftKey.bulletin_seq >= newest.seq,
            fitted,
        )
    )
    total = session.scalar(select(func.count()).select_from(LockUnit).where(fitted))
    return Spread(newest.seq, newest.issued_at, newest.entry_count, int(confirmed), int(total))
