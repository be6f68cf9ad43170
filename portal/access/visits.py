"""Visits derived from a door's signed events, and the visit logs people may read.

Per lock and staff member, in counter order: an accepted "open" starts a visit, further opens
by the same person within RUN_GAP belong to it, and their next "close" ends it. Events may
arrive late and out of order (several phones carry them), so each upload re-derives the visits
of the affected person at that lock from their last close before the new events onward.
"""

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import aliased, joinedload

from portal.access.models import LockUnit, Staff
from portal.access.models_events import LockEvent, Visit

RUN_GAP = timedelta(hours=2)


def _runs(events: list[LockEvent]) -> list[tuple[LockEvent, LockEvent | None]]:
    runs, start, last_open = [], None, None
    for ev in events:
        if ev.action == "open":
            if start is not None and ev.time - last_open > RUN_GAP:
                runs.append((start, None))  # a door left unlocked: the visit has no end
                start = None
            start = start or ev
            last_open = ev.time
        elif ev.action == "close" and start is not None:
            runs.append((start, ev))
            start = None
    if start is not None:
        runs.append((start, None))
    return runs


def _rebuild_person(session, unit: LockUnit, sub: str, min_counter: int) -> None:
    ok = (LockEvent.lock_unit_id == unit.id, LockEvent.sub == sub, LockEvent.result == "ok")
    anchor = session.scalar(
        select(func.max(LockEvent.counter)).where(
            *ok, LockEvent.action == "close", LockEvent.counter < min_counter
        )
    )
    anchor = -1 if anchor is None else anchor
    events = list(
        session.scalars(
            select(LockEvent).where(*ok, LockEvent.counter > anchor).order_by(LockEvent.counter)
        )
    )
    opened = aliased(LockEvent)
    existing = {
        v.open_event_id: v
        for v in session.scalars(
            select(Visit)
            .join(opened, opened.id == Visit.open_event_id)
            .where(Visit.lock_unit_id == unit.id, Visit.sub == sub, opened.counter > anchor)
        )
    }
    wanted = set()
    for start, end in _runs(events):
        wanted.add(start.id)
        visit = existing.get(start.id) or Visit(
            lock_unit_id=unit.id, citizen_id=unit.citizen_id, sub=sub, open_event_id=start.id
        )
        visit.staff_id, visit.start = start.staff_id, start.time
        visit.end = end.time if end else None
        visit.close_event_id = end.id if end else None
        session.add(visit)
    stale = [v.id for open_id, v in existing.items() if open_id not in wanted]
    if stale:
        session.execute(delete(Visit).where(Visit.id.in_(stale)))
    session.flush()


def rebuild_for(session, unit: LockUnit, new_events: list[LockEvent]) -> None:
    """Re-derive the visits the new events of a door lock can change."""
    if unit.citizen_id is None:
        return  # entrance units log passages, not visits
    lowest: dict[str, int] = {}
    for ev in new_events:
        if ev.result == "ok" and ev.sub and ev.action in ("open", "close"):
            lowest[ev.sub] = min(lowest.get(ev.sub, ev.counter), ev.counter)
    for sub, counter in lowest.items():
        _rebuild_person(session, unit, sub, counter)


def for_citizen(session, citizen_id: int, limit: int = 50) -> list[Visit]:
    """The newest visits at a citizen's door, with staff and provider loaded."""
    return list(
        session.scalars(
            select(Visit)
            .where(Visit.citizen_id == citizen_id)
            .options(joinedload(Visit.staff).joinedload(Staff.provider))
            .order_by(Visit.start.desc())
            .limit(limit)
        )
    )


def for_provider(session, provider_id: int, *, limit: int = 100) -> list[Visit]:
    """The newest visits by a provider's staff (a provider admin's report)."""
    return list(
        session.scalars(
            select(Visit)
            .join(Staff, Staff.id == Visit.staff_id)
            .where(Staff.provider_id == provider_id)
            .options(
                joinedload(Visit.staff), joinedload(Visit.lock_unit).joinedload(LockUnit.citizen)
            )
            .order_by(Visit.start.desc())
            .limit(limit)
        )
    )
