"""Visits derived from a door's signed events, and the visit logs people may read.

Per lock and staff member, in counter order: an accepted "open" starts a visit, further opens
by the same person within RUN_GAP belong to it, and their next "close" ends it. Events may
arrive late and out of order (several phones carry them), so each upload re-derives the visits
of the affected person at that lock from their last close before the new events onward.
"""

from datetime import timedelta

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from portal.access.models import LockUnit, Staff
from portal.access.models_events import LockEvent, Visit
from portal.citizens.models import Citizen

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


def _per_person(units: list[LockUnit], new_events: dict[int, list[LockEvent]]):
    """{(lock unit id, sub): lowest new counter} for the door events that can change visits."""
    lowest: dict[tuple[int, str], int] = {}
    for unit in units:
        if unit.citizen_id is None:
            continue  # entrance units log passages, not visits
        for ev in new_events[unit.id]:
            if ev.result == "ok" and ev.sub and ev.action in ("open", "close"):
                key = (unit.id, ev.sub)
                lowest[key] = min(lowest.get(key, ev.counter), ev.counter)
    return lowest


def _anchors(session, lowest: dict[tuple[int, str], int]) -> dict[tuple[int, str], int]:
    """Per person and door, the last close before their lowest new event (-1 when none)."""
    closes = [
        and_(LockEvent.lock_unit_id == u, LockEvent.sub == sub, LockEvent.counter < counter)
        for (u, sub), counter in lowest.items()
    ]
    found = session.execute(
        select(LockEvent.lock_unit_id, LockEvent.sub, func.max(LockEvent.counter))
        .where(LockEvent.result == "ok", LockEvent.action == "close", or_(*closes))
        .group_by(LockEvent.lock_unit_id, LockEvent.sub)
    )
    anchors = dict.fromkeys(lowest, -1)
    for unit_id, sub, counter in found:
        anchors[(unit_id, sub)] = counter
    return anchors


def rebuild_many(session, units: list[LockUnit], new_events: dict[int, list[LockEvent]]) -> None:
    """Re-derive the visits the new events of these door locks can change (one batch).

    Three queries for the whole batch, whatever the number of doors and people: the anchors,
    the events after them, and the visits that started after them.
    """
    lowest = _per_person(units, new_events)
    if not lowest:
        return
    citizen_of = {u.id: u.citizen_id for u in units}
    with session.no_autoflush:
        anchors = _anchors(session, lowest)
        after = [
            and_(LockEvent.lock_unit_id == u, LockEvent.sub == sub, LockEvent.counter > anchor)
            for (u, sub), anchor in anchors.items()
        ]
        events: dict[tuple[int, str], list[LockEvent]] = {key: [] for key in anchors}
        for ev in session.scalars(
            select(LockEvent)
            .where(LockEvent.result == "ok", or_(*after))
            .order_by(LockEvent.lock_unit_id, LockEvent.sub, LockEvent.counter)
        ):
            events[(ev.lock_unit_id, ev.sub)].append(ev)
        opened = aliased(LockEvent)
        started_after = [
            and_(Visit.lock_unit_id == u, Visit.sub == sub, opened.counter > anchor)
            for (u, sub), anchor in anchors.items()
        ]
        existing = {
            v.open_event_id: v
            for v in session.scalars(
                select(Visit)
                .join(opened, opened.id == Visit.open_event_id)
                .where(or_(*started_after))
            )
        }
    runs = {key: _runs(person_events) for key, person_events in events.items()}
    fresh = [(u, start) for (u, _), found in runs.items() for start, _ in found]
    fresh = [(u, start) for u, start in fresh if start.id not in existing]
    district_of, provider_of = _scope_now(session, fresh, citizen_of)
    wanted = set()
    for (unit_id, sub), found in runs.items():
        for start, end in found:
            wanted.add(start.id)
            visit = existing.get(start.id) or Visit(
                lock_unit_id=unit_id,
                citizen_id=citizen_of[unit_id],
                district_id=district_of.get(citizen_of[unit_id]),
                provider_id=provider_of.get(start.staff_id),
                sub=sub,
                open_event_id=start.id,
            )
            visit.staff_id, visit.start = start.staff_id, start.time
            visit.end = end.time if end else None
            visit.close_event_id = end.id if end else None
            session.add(visit)
    stale = [v.id for open_id, v in existing.items() if open_id not in wanted]
    if stale:
        session.execute(delete(Visit).where(Visit.id.in_(stale)))
    session.flush()


def _scope_now(session, fresh, citizen_of) -> tuple[dict, dict]:
    """For visits about to begin: {citizen id: district id}, {staff id: provider id} (two
    queries for the whole batch, none when no visit is new)."""
    if not fresh:
        return {}, {}
    citizens = {citizen_of[u] for u, _ in fresh}
    staff = {start.staff_id for _, start in fresh if start.staff_id is not None}
    districts = session.execute(
        select(Citizen.id, Citizen.district_id).where(Citizen.id.in_(citizens))
    )
    providers = select(Staff.id, Staff.provider_id).where(Staff.id.in_(staff))
    return dict(districts.all()), dict(session.execute(providers).all()) if staff else {}


def rebuild_for(session, unit: LockUnit, new_events: list[LockEvent]) -> None:
    """Re-derive the visits the new events of one door lock can change."""
    rebuild_many(session, [unit], {unit.id: new_events})


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
            .where(Visit.provider_id == provider_id)
            .options(
                joinedload(Visit.staff), joinedload(Visit.lock_unit).joinedload(LockUnit.citizen)
            )
            .order_by(Visit.start.desc())
            .limit(limit)
        )
    )
