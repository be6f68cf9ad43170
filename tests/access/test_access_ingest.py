"""Lock events: verified against the registered key, stored once, gaps flagged, visits derived,
one battery job per lock."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.access import ingest
from portal.access.models_events import CounterGap, LockEvent, Visit
from portal.keys import Issuer, Lock, Phone, es256
from portal.locksmith.models import Job
from tests.access.support import NOW, citizen_in, make_lock, make_staff, make_world
from tests.factories import make_district, make_provider


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _arrange(db, battery=80):
    w = make_world(db)
    citizen = citizen_in(db, w)
    unit, key = make_lock(db, citizen)
    member = make_staff(db, [w.team_north])
    issuer, phone, clock = Issuer.generate("test", "t1"), Phone.generate(), Clock(NOW)
    lock = Lock(unit.lock_id, key, [issuer.trust_anchor()], clock)
    lock.battery = battery
    shift_key = issuer.issue_shift_key(
        member.staff_number,
        phone.public_key,
        [unit.lock_id],
        NOW,
        NOW + timedelta(hours=9),
        issued_at=NOW,
    )

    def door(action, minutes=10):
        clock.now += timedelta(minutes=minutes)
        return lock.verify(phone.answer(lock.challenge(), shift_key, action))

    door.key, door.issuer, door.phone, door.shift_key = key, issuer, phone, shift_key
    return unit, member, lock, door, citizen


def _count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_valid_events_become_a_visit_with_staff_and_citizen(db):
    unit, member, lock, door, citizen = _arrange(db)
    events = [door("open"), door("close", 25)]
    result = ingest.ingest(db, events, now=NOW)
    assert (result.accepted, result.duplicates, result.rejected) == (2, 0, [])
    visit = db.scalar(select(Visit))
    assert visit.citizen_id == citizen.id and visit.staff_id == member.id
    assert visit.end - visit.start == timedelta(minutes=25)
    stored = db.scalars(select(LockEvent).order_by(LockEvent.counter)).all()
    assert [e.counter for e in stored] == [1, 2] and stored[0].sub == member.staff_number


def test_forged_and_altered_events_are_rejected_and_not_stored(db):
    unit, member, lock, door, _ = _arrange(db)
    good = door("open")
    altered = good[:-5] + bytes([good[-5] ^ 1]) + good[-4:]
    result = ingest.ingest(db, [altered, b"\x00garbage", None, b""], now=NOW)
    assert [r["reason"] for r in result.rejected] == [
        "bad_signature",
        "malformed",
        "malformed",
        "malformed",
    ]
    assert result.accepted == 0 and _count(db, LockEvent) == 0


def test_an_event_signed_by_another_key_for_a_registered_lock_id_is_refused(db):
    unit, member, lock, door, _ = _arrange(db)
    impostor = Lock(
        unit.lock_id, es256.generate_private_key(), [door.issuer.trust_anchor()], Clock(NOW)
    )
    impostor.verify(door.phone.answer(impostor.challenge(), door.shift_key, "open"))
    result = ingest.ingest(db, impostor.events(), now=NOW)
    assert result.rejected == [{"index": 0, "reason": "bad_signature"}]


def test_duplicates_are_acknowledged_and_ignored_but_a_conflicting_counter_is_rejected(db):
    unit, member, lock, door, _ = _arrange(db)
    first = door("open")
    assert ingest.ingest(db, [first], now=NOW).accepted == 1
    again = ingest.ingest(db, [first, first], now=NOW)
    assert (again.accepted, again.duplicates) == (0, 2)
    # A second model of the same lock (same key and id) signs another event with counter 1.
    twin = Lock(
        unit.lock_id, door.key, [door.issuer.trust_anchor()], Clock(NOW + timedelta(minutes=3))
    )
    other = twin.verify(door.phone.answer(twin.challenge(), door.shift_key, "close"))
    assert ingest.ingest(db, [other], now=NOW).rejected == [
        {"index": 0, "reason": "counter_conflict"}
    ]
    assert _count(db, LockEvent) == 1


def test_counter_gaps_are_flagged_and_closed_when_the_events_arrive(db):
    unit, member, lock, door, _ = _arrange(db)
    events = [door("open"), door("close"), door("open"), door("close"), door("open")]
    ingest.ingest(db, [events[0], events[3], events[4]], now=NOW)
    gap = db.scalar(select(CounterGap))
    assert (gap.first, gap.last, gap.closed_at) == (2, 3, None)
    ingest.ingest(db, [events[1], events[2]], now=NOW + timedelta(hours=1))
    db.refresh(gap)
    assert gap.closed_at is not None
    assert db.scalar(select(func.count()).where(CounterGap.closed_at.is_(None))) == 0


def test_visits_are_rebuilt_when_events_arrive_out_of_order(db):
    unit, member, lock, door, _ = _arrange(db)
    o1, c1, o2, c2 = door("open"), door("close", 20), door("open", 120), door("close", 30)
    ingest.ingest(db, [o1, o2], now=NOW)
    assert [v.end for v in db.scalars(select(Visit).order_by(Visit.start))] == [None, None]
    ingest.ingest(db, [c2, c1], now=NOW)
    spans = [(v.end - v.start) for v in db.scalars(select(Visit).order_by(Visit.start))]
    assert spans == [timedelta(minutes=20), timedelta(minutes=30)]


def test_a_low_battery_opens_one_locksmith_job_per_lock(db):
    unit, member, lock, door, _ = _arrange(db, battery=15)
    ingest.ingest(db, [door("open")], now=NOW)
    ingest.ingest(db, [door("close")], now=NOW)
    assert _count(db, Job) == 1
    job = db.scalar(select(Job))
    assert job.kind == "battery" and job.status == "open" and job.lock_unit_id == unit.id
    db.refresh(unit)
    assert unit.battery == 15
    job.status = "done"  # the locksmith changed it
    db.commit()
    lock.battery = 12
    ingest.ingest(db, [door("open")], now=NOW)
    assert db.scalar(select(func.count()).where(Job.status == "open")) == 1
    assert _count(db, Job) == 2


def test_a_healthy_battery_opens_no_job(db):
    unit, member, lock, door, _ = _arrange(db, battery=20)
    ingest.ingest(db, [door("open")], now=NOW)
    assert _count(db, Job) == 0


def test_unknown_lock_is_reported(db):
    unit, member, lock, door, _ = _arrange(db)
    event = door("open")
    from portal.access.models import LockUnit

    db.get(LockUnit, unit.id).lock_id = 999_999
    db.commit()
    assert ingest.ingest(db, [event], now=NOW).rejected == [{"index": 0, "reason": "unknown_lock"}]


def test_a_visit_keeps_the_district_and_provider_it_began_under(db):
    """A later move or change of employer does not rewrite earlier visits; a rebuild keeps
    them; the next visit is filed under the district and provider of its own time."""
    unit, member, lock, door, citizen = _arrange(db)
    north, first_provider = citizen.district_id, member.provider_id
    ingest.ingest(db, [door("open"), door("close", 25)], now=NOW)
    w_south = make_district(db)
    other = make_provider(db)
    citizen.district_id, member.provider_id = w_south.id, other.id
    db.flush()
    late = door("open", 300)
    ingest.ingest(db, [late, door("close", 30)], now=NOW)
    visits = db.scalars(select(Visit).order_by(Visit.start)).all()
    assert [(v.district_id, v.provider_id) for v in visits] == [
        (north, first_provider),
        (w_south.id, other.id),
    ]
    ingest.ingest(db, [late], now=NOW)  # a duplicate upload re-derives nothing new
    again = db.scalars(select(Visit).order_by(Visit.start)).all()
    assert [(v.district_id, v.provider_id) for v in again] == [
        (north, first_provider),
        (w_south.id, other.id),
    ]
