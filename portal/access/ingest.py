"""Lock events uploaded by phones: verify against the registered lock key, store each once,
flag counter gaps, derive visits, and signal `battery_low` when a lock runs low.

A rejected event is reported by its index and never stops the others. Duplicates (same lock,
same counter, same bytes) are acknowledged and ignored; the same counter with other bytes is
rejected as `counter_conflict` (a lock never signs two events with one counter).
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.access import visits
from portal.access.models import LockUnit, Staff
from portal.access.models_events import CounterGap, LockEvent
from portal.access.models_keys import ShiftKey
from portal.access.signals import battery_low
from portal.audit.services import SYSTEM, Actor, record
from portal.keys import Denied, public_key_from_pem_or_base64, read_event, verify_event

_LOCK_KEYS: dict[str, object] = {}


@dataclass
class IngestResult:
    """What the phone is told: counts, and why each rejected event was refused."""

    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)


def _lock_key(pem: str):
    key = _LOCK_KEYS.get(pem)
    if key is None:
        if len(_LOCK_KEYS) > 8192:
            _LOCK_KEYS.clear()
        key = _LOCK_KEYS[pem] = public_key_from_pem_or_base64(pem)
    return key


def _staff_for(session, sub: str | None, cti: str | None) -> int | None:
    if cti:
        found = session.scalar(select(ShiftKey.staff_id).where(ShiftKey.cti == cti))
        if found is not None:
            return found
    if sub:
        return session.scalar(select(Staff.id).where(Staff.staff_number == sub))
    return None


def _verify(session, raw: bytes | None):
    """(unit, parsed event) or a rejection reason."""
    if raw is None:
        return "malformed"
    try:
        claimed = read_event(raw)
    except Denied as denied:
        return denied.reason
    unit = session.scalar(select(LockUnit).where(LockUnit.lock_id == claimed.lock_id))
    if unit is None:
        return "unknown_lock"
    try:
        return unit, verify_event(raw, _lock_key(unit.public_key_pem))
    except Denied as denied:
        return denied.reason


def store_event(session, raw: bytes | None, *, now: datetime, shift_id: int | None = None):
    """Verify and store one event: returns the new LockEvent, "duplicate", or a reason string."""
    verdict = _verify(session, raw)
    if isinstance(verdict, str):
        return verdict
    unit, ev = verdict
    existing = session.scalar(
        select(LockEvent).where(LockEvent.lock_unit_id == unit.id, LockEvent.counter == ev.counter)
    )
    if existing is not None:
        return "duplicate" if existing.raw == raw else "counter_conflict"
    row = LockEvent(
        lock_unit_id=unit.id,
        counter=ev.counter,
        time=ev.time,
        action=ev.action,
        result=ev.result,
        battery=ev.battery,
        sub=ev.sub,
        cti=ev.cti.hex() if ev.cti else None,
        device_thumbprint=ev.device.hex() if ev.device else None,
        staff_id=_staff_for(session, ev.sub, ev.cti.hex() if ev.cti else None),
        raw=raw,
        received_at=now,
        uploaded_with_id=shift_id,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return "duplicate"  # the same event arrived through another phone at the same moment
    return row


def sync_gaps(session, unit: LockUnit, *, now: datetime) -> list[CounterGap]:
    """Open a gap for every missing run of counters; close gaps that have been filled."""
    counters = sorted(
        session.scalars(select(LockEvent.counter).where(LockEvent.lock_unit_id == unit.id))
    )
    missing = []
    for before, after in zip(counters, counters[1:], strict=False):
        if after > before + 1:
            missing.append((before + 1, after - 1))
    gaps = list(
        session.scalars(
            select(CounterGap).where(
                CounterGap.lock_unit_id == unit.id, CounterGap.closed_at.is_(None)
            )
        )
    )
    wanted = set(missing)
    for gap in gaps:
        if (gap.first, gap.last) not in wanted:
            gap.closed_at = now
    known = {(g.first, g.last) for g in gaps}
    for first, last in missing:
        if (first, last) not in known:
            session.add(CounterGap(lock_unit_id=unit.id, first=first, last=last, detected_at=now))
    session.flush()
    return [g for g in gaps if g.closed_at is None]


def note_battery(unit: LockUnit, event: LockEvent) -> None:
    """Keep the newest battery level."""
    if unit.battery_at is None or event.time >= unit.battery_at:
        unit.battery, unit.battery_at = event.battery, event.time


def ingest(
    session,
    raw_events: list[bytes | None],
    *,
    now: datetime,
    threshold: int = 20,
    shift: ShiftKey | None = None,
    actor: Actor | None = None,
) -> IngestResult:
    """Store a batch of uploaded events and everything derived from them (flushes; the caller commits once)."""
    result = IngestResult()
    touched: dict[int, tuple[LockUnit, list[LockEvent]]] = {}
    for index, raw in enumerate(raw_events):
        outcome = store_event(session, raw, now=now, shift_id=shift.id if shift else None)
        if outcome == "duplicate":
            result.duplicates += 1
        elif isinstance(outcome, str):
            result.rejected.append({"index": index, "reason": outcome})
        else:
            result.accepted += 1
            unit = session.get(LockUnit, outcome.lock_unit_id)
            touched.setdefault(unit.id, (unit, []))[1].append(outcome)
    for unit, new_events in touched.values():
        sync_gaps(session, unit, now=now)
        for event in sorted(new_events, key=lambda e: e.counter):
            note_battery(unit, event)
        if unit.battery is not None and unit.battery < threshold:
            # Whoever does battery changes (locksmith) opens one, once per lock, same transaction.
            battery_low.send(session, unit=unit, now=now)
        visits.rebuild_for(session, unit, new_events)
    record(
        session,
        actor or SYSTEM,
        "lock_events_uploaded",
        now=now,
        object_type="shift_key",
        object_id=shift.cti if shift else None,
        data={
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "rejected": len(result.rejected),
        },
    )
    return result
