"""An upload is stored as one batch: a fixed number of reads whatever its size, gaps and visits
right for several doors at once, and a race with another phone still stores each event once."""

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import func, select

from portal.access import ingest
from portal.access.models_events import CounterGap, LockEvent, Visit
from portal.keys.events import sign_event
from tests.access.support import NOW, citizen_in, make_lock, make_staff, make_world
from tests.helpers import statements


@contextmanager
def _selects(app):
    with statements(app, full=True) as seen:
        selects = []
        yield selects
    selects.extend(s for s in seen if s.lstrip().upper().startswith("SELECT"))


def _doors(db, count):
    w = make_world(db)
    member = make_staff(db, [w.team_north])
    doors = [make_lock(db, citizen_in(db, w)) for _ in range(count)]
    db.commit()
    return member, doors


def _events(member, door, counters, start=NOW):
    unit, key = door
    return [
        sign_event(
            key,
            lock_id=unit.lock_id,
            counter=c,
            time=int((start + timedelta(minutes=10 * c)).timestamp()),
            action="open" if c % 2 else "close",
            result="ok",
            battery=80,
            sub=member.staff_number,
        )
        for c in counters
    ]


def test_the_reads_of_an_upload_do_not_grow_with_its_doors_or_events(app, db):
    member, doors = _doors(db, 12)
    small = [e for door in doors[:2] for e in _events(member, door, [1, 2])]
    large = [e for door in doors[2:] for e in _events(member, door, [1, 2, 3, 4])]
    # As in a request, the session starts with nothing loaded: a lock unit read for the upload
    # and then looked up again by id once nothing held it would be one more SELECT per door.
    db.expunge_all()
    with _selects(app) as few:
        assert ingest.ingest(db, small, now=NOW).accepted == 4
    with _selects(app) as many:
        assert ingest.ingest(db, large, now=NOW).accepted == 40
    assert len(many) == len(few), (few, many)
    assert db.scalar(select(func.count(Visit.id))) == 2 + 20


def test_gaps_at_several_doors_in_one_upload(db):
    member, (a, b) = _doors(db, 2)
    first = _events(member, a, [1, 4]) + _events(member, b, [1, 2, 6])
    ingest.ingest(db, first, now=NOW)
    gaps = {
        (g.lock_unit_id, g.first, g.last)
        for g in db.scalars(select(CounterGap).where(CounterGap.closed_at.is_(None)))
    }
    assert gaps == {(a[0].id, 2, 3), (b[0].id, 3, 5)}
    # Door a's gap is filled, door b's shrinks: 3 and 4 arrive, 5 is still missing.
    ingest.ingest(db, _events(member, a, [2, 3]) + _events(member, b, [3, 4]), now=NOW)
    still = {
        (g.lock_unit_id, g.first, g.last)
        for g in db.scalars(select(CounterGap).where(CounterGap.closed_at.is_(None)))
    }
    assert still == {(b[0].id, 5, 5)}


def test_a_gap_below_the_new_events_is_left_as_it_is(db):
    member, (a,) = _doors(db, 1)
    ingest.ingest(db, _events(member, a, [1, 3]), now=NOW)
    ingest.ingest(db, _events(member, a, [4, 5, 7]), now=NOW)
    gaps = sorted(
        (g.first, g.last)
        for g in db.scalars(select(CounterGap).where(CounterGap.closed_at.is_(None)))
    )
    assert gaps == [(2, 2), (6, 6)]


def test_an_event_another_phone_stored_meanwhile_is_a_duplicate_and_the_rest_are_stored(
    db, monkeypatch
):
    member, (a,) = _doors(db, 1)
    events = _events(member, a, [1, 2, 3])
    assert ingest.ingest(db, events[:1], now=NOW).accepted == 1
    db.commit()
    # As if the other phone's upload committed between our read and our insert.
    monkeypatch.setattr(ingest, "_stored_raw", lambda session, pairs: {})
    result = ingest.ingest(db, events, now=NOW)
    assert (result.accepted, result.duplicates, result.rejected) == (2, 1, [])
    assert db.scalar(select(func.count(LockEvent.id))) == 3
    visit = db.scalar(select(Visit).order_by(Visit.start))
    assert visit.end - visit.start == timedelta(minutes=10)


def test_the_same_new_event_twice_in_one_upload_is_stored_once(db):
    member, (a,) = _doors(db, 1)
    (one,) = _events(member, a, [1])
    result = ingest.ingest(db, [one, one], now=NOW)
    assert (result.accepted, result.duplicates) == (1, 1)
