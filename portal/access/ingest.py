"""Lock events uploaded by phones: verify against the registered lock key, store each once,
flag counter gaps (counter_gaps), derive visits, and signal `battery_low` when a lock runs low.

A rejected event is reported by its index and never stops the others. Duplicates (same lock,
same counter, same bytes) are acknowledged and ignored; the same counter with other bytes is
rejected as `counter_conflict` (a lock never signs two events with one counter).
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.access import visits
from portal.access.counter_gaps import sync_gaps
from portal.access.models import LockUnit, Staff
from portal.access.models_events import LockEvent
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


def _read_all(raw_events: list[bytes | None]) -> list:
    """Each upload item parsed (unverified) or the reason it cannot be read."""
    claimed = []
    for raw in raw_events:
        if not isinstance(raw, bytes | bytearray):
            claimed.append("malformed")
            continue
        try:
            claimed.append(read_event(raw))
        except Denied as denied:
            claimed.append(denied.reason)
    return claimed


def _verify_all(session, raw_events: list[bytes | None]) -> list:
    """(unit, verified event) or a rejection reason per item; one look-up for all the locks."""
    claimed = _read_all(raw_events)
    lock_ids = {c.lock_id for c in claimed if not isinstance(c, str)}
    units = (
        {
            u.lock_id: u
            for u in session.scalars(select(LockUnit).where(LockUnit.lock_id.in_(lock_ids)))
        }
        if lock_ids
        else {}
    )
    verdicts = []
    for raw, item in zip(raw_events, claimed, strict=True):
        if isinstance(item, str):
            verdicts.append(item)
            continue
        unit = units.get(item.lock_id)
        if unit is None:
            verdicts.append("unknown_lock")
            continue
        try:
            verdicts.append((unit, verify_event(raw, _lock_key(unit.public_key_pem))))
        except Denied as denied:
            verdicts.append(denied.reason)
    return verdicts


def _stored_raw(session, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The bytes already stored for these (lock unit, counter) pairs."""
    if not pairs:
        return {}
    found = {}
    units = {u for u, _ in pairs}
    counters = {c for _, c in pairs}
    rows = session.execute(
        select(LockEvent.lock_unit_id, LockEvent.counter, LockEvent.raw).where(
            LockEvent.lock_unit_id.in_(units), LockEvent.counter.in_(counters)
        )
    )
    for unit_id, counter, raw in rows:
        if (unit_id, counter) in pairs:
            found[(unit_id, counter)] = raw
    return found


def _staff_ids(session, events) -> tuple[dict[str, int], dict[str, int]]:
    """Staff ids by shift key id (cti) and by staff number (sub), one query each."""
    ctis = {ev.cti.hex() for ev in events if ev.cti}
    subs = {ev.sub for ev in events if ev.sub}
    by_cti, by_sub = {}, {}
    if ctis:
        query = select(ShiftKey.cti, ShiftKey.staff_id).where(ShiftKey.cti.in_(ctis))
        by_cti = dict(session.execute(query).all())
    if subs:
        query = select(Staff.staff_number, Staff.id).where(Staff.staff_number.in_(subs))
        by_sub = dict(session.execute(query).all())
    return by_cti, by_sub


def _row(unit, ev, raw, now, shift_id, by_cti, by_sub) -> LockEvent:
    cti = ev.cti.hex() if ev.cti else None
    staff_id = by_cti.get(cti) if cti else None
    if staff_id is None and ev.sub:
        staff_id = by_sub.get(ev.sub)
    return LockEvent(
        lock_unit_id=unit.id,
        counter=ev.counter,
        time=ev.time,
        action=ev.action,
        result=ev.result,
        battery=ev.battery,
        sub=ev.sub,
        cti=cti,
        device_thumbprint=ev.device.hex() if ev.device else None,
        staff_id=staff_id,
        raw=raw,
        received_at=now,
        uploaded_with_id=shift_id,
    )


def _insert_one(session, row: LockEvent) -> bool:
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False  # the same event arrived through another phone at the same moment
    return True


def store_events(
    session, raw_events: list[bytes | None], *, now: datetime, shift_id: int | None = None
) -> tuple[list, dict[int, LockUnit]]:
    """Verify and store a batch: per item the new LockEvent, "duplicate", or a reason string,
    and the lock units of the verified events by id.

    Locks, stored counters and staff are read with one query each; the new rows go in with one
    flush. If another upload stored one of them meanwhile, each row is retried on its own. The
    units are handed back because the session holds what it loaded only weakly: looked up again
    by id once nothing refers to them, each costs a SELECT (25 per upload of 50 events).
    """
    verdicts = _verify_all(session, raw_events)
    verified = [(i, v) for i, v in enumerate(verdicts) if not isinstance(v, str)]
    units = {unit.id: unit for _, (unit, _) in verified}
    stored = _stored_raw(session, {(unit.id, ev.counter) for _, (unit, ev) in verified})
    by_cti, by_sub = _staff_ids(session, [ev for _, (_, ev) in verified])
    outcomes: list = list(verdicts)
    fresh: dict[tuple[int, int], tuple[int, LockEvent]] = {}
    for i, (unit, ev) in verified:
        raw = raw_events[i]
        key = (unit.id, ev.counter)
        if key in stored or key in fresh:
            earlier = stored.get(key) if key in stored else fresh[key][1].raw
            outcomes[i] = "duplicate" if earlier == raw else "counter_conflict"
            continue
        fresh[key] = (i, _row(unit, ev, raw, now, shift_id, by_cti, by_sub))
    try:
        with session.begin_nested():
            session.add_all([row for _, row in fresh.values()])
    except IntegrityError:
        for i, row in fresh.values():
            outcomes[i] = row if _insert_one(session, row) else "duplicate"
        return outcomes, units
    for i, row in fresh.values():
        outcomes[i] = row
    return outcomes, units


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
    outcomes, units = store_events(
        session, raw_events, now=now, shift_id=shift.id if shift else None
    )
    for index, outcome in enumerate(outcomes):
        if outcome == "duplicate":
            result.duplicates += 1
        elif isinstance(outcome, str):
            result.rejected.append({"index": index, "reason": outcome})
        else:
            result.accepted += 1
            unit = units[outcome.lock_unit_id]
            touched.setdefault(unit.id, (unit, []))[1].append(outcome)
    lowest = {u: min(e.counter for e in events) for u, (_, events) in touched.items()}
    sync_gaps(session, lowest, now=now)
    for unit, new_events in touched.values():
        for event in sorted(new_events, key=lambda e: e.counter):
            note_battery(unit, event)
        if unit.battery is not None and unit.battery < threshold:
            # Whoever does battery changes (locksmith) opens one, once per lock, same transaction.
            battery_low.send(session, unit=unit, now=now)
    visits.rebuild_many(
        session, [unit for unit, _ in touched.values()], {u: e for u, (_, e) in touched.items()}
    )
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
