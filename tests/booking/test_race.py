"""Twenty people, one last time: the database lets exactly one of them have it."""

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit.services import Actor
from portal.booking import errors, services
from portal.booking.models import ACTIVE_STATUSES, Appointment
from portal.extensions import db as _db
from tests.booking.support import make_world
from tests.factories import make_citizen

THREADS = 20


def _run_together(app, jobs):
    """Run each job(session) in its own thread and session, released at the same moment, and
    commit it as the view would (services never commit)."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        with app.app_context(), Session(_db.engine) as session:
            barrier.wait()
            try:
                results[index] = job(session)
                session.commit()
            except errors.BookingError as exc:
                results[index] = exc

    threads = [threading.Thread(target=worker, args=(i, j)) for i, j in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_twenty_citizens_one_last_slot_exactly_one_wins(app, db, now):
    world = make_world(db, citizens=1, now=now, days=0)
    slots = world.slots(db)
    last = slots[-1]
    for slot in slots[:-1]:
        slot.status = "withdrawn"
    citizens = [make_citizen(db, district=world.district) for _ in range(THREADS)]
    last_id = last.id  # the threads must not load anything through `db`
    db.commit()
    ids = [c.id for c in citizens]

    def job_for(citizen_id):
        return lambda s: (
            services.book_slot(
                s, citizen_id, last_id, now=now, actor=Actor("citizen", citizen_id)
            ).id
        )

    results = _run_together(app, [job_for(i) for i in ids])
    winners = [r for r in results if isinstance(r, int)]
    losers = [r for r in results if isinstance(r, errors.SlotUnavailable)]
    assert len(winners) == 1, results
    assert len(losers) == THREADS - 1, results
    db.expire_all()
    active = select(func.count()).where(Appointment.status.in_(ACTIVE_STATUSES))
    assert db.scalar(active.where(Appointment.slot_id == last.id)) == 1
    assert db.scalar(select(func.count()).select_from(Appointment)) == 1


def test_rebooks_racing_for_one_slot_leave_everyone_with_exactly_one_booking(app, db, now):
    world = make_world(db, citizens=6, now=now)
    slots = world.slots(db)
    target = slots[-1].id  # the id, not the object: the threads must not load through `db`
    booked = [
        services.book_slot(db, c.id, s.id, now=now).id
        for c, s in zip(world.citizens, slots, strict=False)
    ]
    jobs = [
        (lambda a: lambda s: services.rebook(s, a, target, now=now, actor=Actor("citizen", 1)).id)(
            a
        )
        for a in booked
    ]
    db.commit()
    results = _run_together(app, jobs)
    assert sum(isinstance(r, int) for r in results) == 1, results
    db.expire_all()
    for citizen in world.citizens:
        count = select(func.count()).where(
            Appointment.citizen_id == citizen.id, Appointment.status == "booked"
        )
        assert db.scalar(count) == 1
    assert db.scalar(select(func.count()).where(Appointment.slot_id == target)) == 1


def test_one_citizen_booking_twice_at_once_gets_one_booking(app, db, now):
    world = make_world(db, citizens=1, now=now)
    slots = world.slots(db)[:8]
    citizen_id = world.citizens[0].id
    jobs = [
        (
            lambda sid: (
                lambda s: services.book_slot(s, citizen_id, sid, now=now, cutoff=timedelta(0)).id
            )
        )(slot.id)
        for slot in slots
    ]
    results = _run_together(app, jobs)
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert all(isinstance(r, (int, errors.AlreadyBooked)) for r in results), results
