"""Counter gaps: a run of a lock's event counters that has not reached the portal.

A lock numbers its events with a counter that grows by one; a missing run means events that
a phone has not uploaded yet (or that were lost). A gap is opened when a later counter arrives
and closed when the missing events do.
"""

from datetime import datetime

from sqlalchemy import and_, func, or_, select

from portal.access.models_events import CounterGap, LockEvent


def _since(session, lowest: dict[int, int]) -> dict[int, int]:
    """Per lock, the counter stored just before its lowest new one (or that one itself)."""
    before = [
        and_(LockEvent.lock_unit_id == unit_id, LockEvent.counter < counter)
        for unit_id, counter in lowest.items()
    ]
    found = session.execute(
        select(LockEvent.lock_unit_id, func.max(LockEvent.counter))
        .where(or_(*before))
        .group_by(LockEvent.lock_unit_id)
    )
    since = dict(lowest)
    since.update({unit_id: counter for unit_id, counter in found if counter is not None})
    return since


def sync_gaps(session, lowest: dict[int, int], *, now: datetime) -> list[CounterGap]:
    """Open a gap for every missing run of counters; close gaps that have been filled.

    `lowest` maps each lock unit id to the lowest counter just stored. Only counters from the
    one stored before it onward are read (gaps below it cannot change), for all the locks of
    an upload in three queries: a lock's history is not read again on every upload.
    """
    if not lowest:
        return []
    since = _since(session, lowest)
    counters: dict[int, list[int]] = {unit_id: [] for unit_id in since}
    for unit_id, counter in session.execute(
        select(LockEvent.lock_unit_id, LockEvent.counter)
        .where(
            or_(
                *[
                    and_(LockEvent.lock_unit_id == u, LockEvent.counter >= c)
                    for u, c in since.items()
                ]
            )
        )
        .order_by(LockEvent.lock_unit_id, LockEvent.counter)
    ):
        counters[unit_id].append(counter)
    missing = set()
    for unit_id, seen in counters.items():
        for before, after in zip(seen, seen[1:], strict=False):
            if after > before + 1:
                missing.add((unit_id, before + 1, after - 1))
    gaps = list(
        session.scalars(
            select(CounterGap).where(
                CounterGap.closed_at.is_(None),
                or_(
                    *[
                        and_(CounterGap.lock_unit_id == u, CounterGap.first > c)
                        for u, c in since.items()
                    ]
                ),
            )
        )
    )
    for gap in gaps:
        if (gap.lock_unit_id, gap.first, gap.last) not in missing:
            gap.closed_at = now
    known = {(g.lock_unit_id, g.first, g.last) for g in gaps}
    for unit_id, first, last in sorted(missing - known):
        session.add(CounterGap(lock_unit_id=unit_id, first=first, last=last, detected_at=now))
    session.flush()
    return [g for g in gaps if g.closed_at is None]
