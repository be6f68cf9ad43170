"""Where jobs come from and how they are planned: bookings, battery alerts, coordinators."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.access import ingest
from portal.access.models import LockUnit
from portal.access.signals import battery_low
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM, Actor
from portal.booking import services as booking
from portal.extensions import db as _db
from portal.keys.events import sign_event
from portal.locksmith import completion, queries, services
from portal.locksmith.models import Job
from portal.locksmith.services import job_of_appointment
from tests.access.support import citizen_in, make_lock
from tests.access.support import make_world as access_world
from tests.booking.support import TZ, make_world
from tests.factories import make_user

ACTOR = Actor("user", 1, "Koordinator")


def _count(db, **where):
    return db.scalar(select(func.count()).select_from(Job).filter_by(**where))


def test_a_booking_makes_its_fitting_job_in_the_same_transaction(db, now):
    world = make_world(db, now=now)
    slot = world.slots(db)[0]
    appointment = booking.book_slot(db, world.citizens[0].id, slot.id, now=now)
    job = job_of_appointment(db, appointment.id)
    citizen = world.citizens[0]
    assert job.kind == "fitting" and job.status == "planned"
    assert (job.locksmith_id, job.day) == (slot.locksmith_id, slot.local_date)
    assert (job.window_start, job.window_end) == (slot.starts_at, slot.ends_at)
    assert job.address == f"{citizen.address}, {citizen.postcode} {citizen.city}"
    booked = db.scalar(select(AuditRecord).where(AuditRecord.action == "appointment_booked"))
    assert booked.data["job"] == job.id
    db.rollback()  # the view never committed: neither booking nor job exists
    assert _count(db) == 0


def test_the_address_is_a_copy_the_job_keeps_when_the_citizen_moves(db, now):
    world = make_world(db, now=now)
    appointment = booking.book_slot(db, world.citizens[0].id, world.slots(db)[0].id, now=now)
    world.citizens[0].address = "Nyvej 99"
    db.flush()
    assert "Nyvej" not in job_of_appointment(db, appointment.id).address


def test_a_rebooking_moves_the_job_and_a_cancellation_cancels_it(db, now):
    world = make_world(db, now=now, locksmiths=2)
    slots = world.slots(db)
    target = next(s for s in slots[1:] if s.locksmith_id != slots[0].locksmith_id)
    appointment = booking.book_slot(db, world.citizens[0].id, slots[0].id, now=now)
    booking.rebook(db, appointment.id, target.id, now=now, actor=ACTOR)
    job = job_of_appointment(db, appointment.id)
    assert (job.locksmith_id, job.window_start) == (target.locksmith_id, target.starts_at)
    booking.cancel(db, appointment.id, now=now, actor=ACTOR)
    assert job.status == "cancelled"
    # A new booking is a new appointment with a job of its own.
    again = booking.book_slot(db, world.citizens[0].id, slots[0].id, now=now)
    assert job_of_appointment(db, again.id).id != job.id
    assert _count(db, status="planned") == 1


def test_a_low_battery_report_opens_one_battery_job(db, now):
    w = access_world(db)
    unit, _key = make_lock(db, citizen=citizen_in(db, w))
    battery_low.send(db, unit=unit, now=now)
    battery_low.send(db, unit=unit, now=now)  # the next report: still one job
    jobs = db.scalars(select(Job)).all()
    assert len(jobs) == 1 and jobs[0].kind == "battery" and jobs[0].status == "open"
    assert jobs[0].lock_unit_id == unit.id and jobs[0].citizen_id == unit.citizen_id
    assert jobs[0].source.startswith("system")
    jobs[0].status = "done"
    db.flush()
    battery_low.send(db, unit=unit, now=now)  # after the change, a new low report: a new job
    assert _count(db, kind="battery", status="open") == 1


def test_ingest_sends_the_signal_only_below_the_threshold(db, now):
    w = access_world(db)
    unit, key = make_lock(db, citizen=citizen_in(db, w))

    def event(counter, battery):
        return sign_event(
            key,
            lock_id=unit.lock_id,
            counter=counter,
            time=int(now.timestamp()) + counter,
            action="open",
            result="ok",
            battery=battery,
        )

    assert ingest.ingest(db, [event(1, 50)], now=now, threshold=20).accepted == 1
    assert _count(db, kind="battery") == 0
    assert ingest.ingest(db, [event(2, 20)], now=now, threshold=20).accepted == 1
    assert _count(db, kind="battery") == 0  # at the threshold is not below it
    assert ingest.ingest(db, [event(3, 12)], now=now, threshold=20).accepted == 1
    assert _count(db, kind="battery") == 1


def test_concurrent_low_reports_leave_exactly_one_open_battery_job(app, db, now):
    w = access_world(db)
    unit, _key = make_lock(db, citizen=citizen_in(db, w))
    unit_id = unit.id  # the threads must not load anything through `db`
    db.commit()
    barrier, results = threading.Barrier(8), []

    def report(level):
        with app.app_context(), Session(_db.engine) as session:
            barrier.wait()
            fresh = session.get(LockUnit, unit_id)
            fresh.battery = level  # as an upload writes its events before the alert
            session.flush()
            results.append(services.open_battery_job(session, fresh, now=now))
            session.commit()

    threads = [threading.Thread(target=report, args=(10 + i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.expire_all()
    assert _count(db, kind="battery", status="open") == 1
    assert len([r for r in results if r is not None]) == 1


def test_the_database_refuses_a_second_open_battery_job(db, now, monkeypatch):
    """Past the look-up (as a concurrent upload would be), the partial unique index decides."""
    w = access_world(db)
    unit, _key = make_lock(db, citizen=citizen_in(db, w))
    first = services.open_battery_job(db, unit, now=now)
    monkeypatch.setattr(
        services, "_open_battery_statement", lambda _id: select(Job.id).where(False)
    )
    assert services.open_battery_job(db, unit, now=now) is None
    assert first.status == "open" and _count(db, kind="battery") == 1
    repair = services.create_job(db, "repair", now=now, actor=ACTOR, lock_unit_id=unit.id)
    assert repair.id  # other kinds at the same lock are not limited


def test_assign_plans_a_job_for_a_locksmith_only(db, now):
    w = access_world(db)
    unit, _key = make_lock(db, citizen=citizen_in(db, w))
    job = services.create_job(db, "repair", now=now, actor=ACTOR, lock_unit_id=unit.id)
    smith, coordinator = make_user(db, "locksmith"), make_user(db, "coordinator")
    with pytest.raises(services.NotALocksmith):
        services.assign(db, job, coordinator.id, now.date(), now=now, actor=ACTOR)
    services.assign(db, job, smith.id, now.date(), now=now, actor=ACTOR)
    assert (job.status, job.locksmith_id, job.day) == ("planned", smith.id, now.date())
    services.cancel_job(db, job, now=now, actor=ACTOR)
    with pytest.raises(services.JobClosed):
        services.assign(db, job, smith.id, now.date(), now=now, actor=ACTOR)


def test_a_booked_job_keeps_its_day_but_may_change_hands(db, now):
    world = make_world(db, now=now)
    appointment = booking.book_slot(db, world.citizens[0].id, world.slots(db)[0].id, now=now)
    job = job_of_appointment(db, appointment.id)
    other = make_user(db, "locksmith")
    with pytest.raises(services.BookedTime):
        services.assign(db, job, other.id, job.day + timedelta(days=1), now=now, actor=ACTOR)
    services.assign(db, job, other.id, job.day, now=now, actor=ACTOR)
    assert job.locksmith_id == other.id and job.window_start is not None


def test_a_job_needs_a_place(db, now):
    with pytest.raises(services.NoPlace):
        services.create_job(db, "repair", now=now, actor=ACTOR)
    with pytest.raises(services.NoPlace):
        services.create_by_hand(
            db,
            "repair",
            lock_number="999999",
            citizen_external_id=None,
            entrance_id=None,
            instructions="x",
            locksmith_id=None,
            day=None,
            now=now,
            actor=ACTOR,
        )


@pytest.fixture
def unit_and_smith(db, now):
    w = access_world(db)
    unit, _key = make_lock(db, citizen=citizen_in(db, w))
    return unit, make_user(db, "locksmith")


def _today(now):
    return now.astimezone(TZ).date()


def test_a_battery_job_is_done_with_the_new_level(db, now, unit_and_smith):
    unit, smith = unit_and_smith
    job = services.open_battery_job(db, unit, now=now)
    services.assign(db, job, smith.id, _today(now), now=now, actor=SYSTEM)
    completion.complete_battery(
        db, job.id, locksmith_id=smith.id, level=97, note="", now=now, actor=SYSTEM, tz=TZ
    )
    assert (job.status, job.battery_level, unit.battery) == ("done", 97, 97)


@pytest.mark.parametrize("kind", ["repair", "removal", "relocation"])
def test_other_jobs_are_done_or_failed_with_a_note(db, now, unit_and_smith, kind):
    unit, smith = unit_and_smith
    citizen_status = unit.citizen.status
    plan = {"lock_unit_id": unit.id, "locksmith_id": smith.id, "day": _today(now)}
    done, failed = (services.create_job(db, kind, now=now, actor=SYSTEM, **plan) for _ in range(2))
    args = {"locksmith_id": smith.id, "now": now, "actor": SYSTEM, "tz": TZ}
    completion.complete_job(db, done.id, note=" Skiftet beslag ", **args)
    completion.fail_job(db, failed.id, reason="not_home", note=None, **args)
    assert (done.status, done.note) == ("done", "Skiftet beslag")
    assert (failed.status, failed.reason) == ("failed", "not_home")
    assert unit.citizen.status == citizen_status  # only fittings move the citizen


def test_my_day_puts_timed_jobs_first_then_the_rest_and_keeps_overdue_ones(db, now):
    world = make_world(db, now=now)
    smith = world.locksmiths[0]
    appointment = booking.book_slot(db, world.citizens[0].id, world.slots(db)[0].id, now=now)
    fitting = job_of_appointment(db, appointment.id)
    day = fitting.day
    other = dict(now=now, actor=SYSTEM, citizen_id=world.citizens[0].id, locksmith_id=smith.id)
    repair = services.create_job(db, "repair", day=day, **other)
    overdue = services.create_job(db, "removal", day=day - timedelta(days=3), **other)
    services.create_job(db, "repair", day=day + timedelta(days=30), **other)  # too far ahead
    days = queries.my_days(db, smith.id, today=day)
    assert [j.id for j in days[0].jobs] == [overdue.id, fitting.id, repair.id]
    assert len(days) == 1
