"""Completing and failing jobs: the lock unit, the checklist, statuses, and whose job it is."""

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from portal.access.lock_units import DuplicateLockUnit, InvalidLockKey
from portal.access.models import LockUnit
from portal.audit.services import Actor
from portal.booking import services as booking
from portal.booking.models import Appointment
from portal.locksmith import completion, queries, services
from portal.locksmith.models import CHECKLIST, Job
from portal.locksmith.services import job_of_appointment
from tests.booking.support import TZ, make_world
from tests.locksmith.support import der_b64, pem

ALL = set(CHECKLIST)


@pytest.fixture
def job(db, now):
    world = make_world(db, now=now)
    slot = world.slots(db)[0]
    appointment = booking.book_slot(db, world.citizens[0].id, slot.id, now=now)
    db.commit()  # as the booking view does
    on_the_day = slot.starts_at + timedelta(minutes=5)
    return job_of_appointment(db, appointment.id), world.locksmiths[0], on_the_day


def _complete(db, job, **kw):
    the_job, smith, when = job
    values = {
        "locksmith_id": smith.id,
        "serial": "SN-1",
        "public_key_text": pem(),
        "checklist": ALL,
        "now": when,
        "actor": Actor("user", smith.id),
        "tz": TZ,
    }
    values.update(kw)
    return completion.complete_fitting(db, the_job.id, **values)


def test_complete_registers_the_unit_and_the_citizen_is_fitted(db, job):
    done = _complete(db, job)
    appointment = db.get(Appointment, done.appointment_id)
    assert done.status == "done" and appointment.status == "completed"
    assert appointment.citizen.status == "fitted"
    unit = db.get(LockUnit, done.lock_unit_id)
    assert unit.serial == "SN-1" and unit.citizen_id == appointment.citizen_id
    assert "BEGIN PUBLIC KEY" in unit.public_key_pem
    assert done.checklist == ",".join(CHECKLIST) and done.reported_by == job[1].id


def test_base64_keys_are_accepted(db, job):
    assert _complete(db, job, public_key_text=der_b64()).lock_unit_id


@pytest.mark.parametrize("text", ["", "not a key", "A" * 10_000, "<script>alert(1)</script>"])
def test_invalid_keys_change_nothing(db, job, text):
    with pytest.raises(InvalidLockKey):
        _complete(db, job, public_key_text=text)
    db.rollback()
    assert db.get(Job, job[0].id).status == "planned"
    assert db.scalars(select(LockUnit)).all() == []


def test_a_p384_key_is_refused(db, job):
    with pytest.raises(InvalidLockKey):
        _complete(db, job, public_key_text=pem(ec.SECP384R1()))


def test_duplicate_serial_is_refused(db, job, now):
    _complete(db, job)
    world = make_world(db, now=now)
    other = booking.book_slot(db, world.citizens[0].id, world.slots(db)[0].id, now=now)
    other_job = job_of_appointment(db, other.id)
    with pytest.raises(DuplicateLockUnit):
        _complete(db, (other_job, world.locksmiths[0], job[2]))


def test_every_checklist_point_is_needed(db, job):
    with pytest.raises(services.ChecklistIncomplete):
        _complete(db, job, checklist=ALL - {"battery_read"})


def test_another_locksmiths_job_does_not_exist(db, job, now):
    stranger = make_world(db, now=now).locksmiths[0]
    with pytest.raises(services.JobNotFound):
        _complete(db, job, locksmith_id=stranger.id)


def test_a_job_on_a_later_day_cannot_be_closed_yet(db, job):
    with pytest.raises(services.JobNotDue):
        _complete(db, job, now=job[2] - timedelta(days=2))


def test_a_job_is_reported_once(db, job):
    _complete(db, job)
    with pytest.raises(services.JobClosed):
        _complete(db, job, serial="SN-2")


def test_a_stale_second_report_loses_to_the_first(app, db, job):
    """Two reports read the job as planned; the version check lets only the first write."""
    from sqlalchemy.orm import Session

    from portal.extensions import db as _db

    db.commit()
    with Session(_db.engine) as other:
        stale = other.get(Job, job[0].id)  # read while still planned
        _complete(db, job)
        db.commit()
        stale.status, stale.note = "failed", "late"
        with pytest.raises(Exception, match="expected to update"):
            other.flush()
    db.expire_all()
    assert db.get(Job, job[0].id).status == "done"


def test_fail_puts_the_citizen_on_follow_up(db, job):
    the_job, smith, when = job
    failed = completion.fail_job(
        db,
        the_job.id,
        locksmith_id=smith.id,
        reason="not_home",
        note=None,
        now=when,
        actor=Actor("user", smith.id),
        tz=TZ,
    )
    assert failed.status == "failed" and failed.reason == "not_home"
    appointment = db.get(Appointment, failed.appointment_id)
    assert appointment.status == "failed" and appointment.citizen.status == "follow_up"


@pytest.mark.parametrize("reason,note", [("other", ""), ("other", "   "), ("bogus", "x")])
def test_fail_needs_a_known_reason_and_a_note_for_other(db, job, reason, note):
    the_job, smith, when = job
    with pytest.raises(services.ReasonMissing):
        completion.fail_job(
            db,
            the_job.id,
            locksmith_id=smith.id,
            reason=reason,
            note=note,
            now=when,
            actor=Actor("user", smith.id),
            tz=TZ,
        )
    assert db.get(Job, the_job.id).status == "planned"


def test_my_days_lists_only_my_jobs_in_time_order(db, now):
    world = make_world(db, citizens=3, locksmiths=2, now=now)
    slots = world.slots(db)
    mine = [s for s in slots if s.locksmith_id == world.locksmiths[0].id]
    theirs = [s for s in slots if s.locksmith_id != world.locksmiths[0].id]
    first = booking.book_slot(db, world.citizens[0].id, mine[3].id, now=now)
    second = booking.book_slot(db, world.citizens[1].id, mine[1].id, now=now)
    booking.book_slot(db, world.citizens[2].id, theirs[0].id, now=now)
    days = queries.my_days(db, world.locksmiths[0].id, today=world.first_day)
    jobs = [j for d in days for j in d.jobs]
    assert [j.appointment_id for j in jobs] == [second.id, first.id]
    assert days[0].day == world.first_day
