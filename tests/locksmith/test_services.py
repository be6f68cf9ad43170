"""Completing and failing jobs: the lock unit, the checklist, statuses, and whose job it is."""

import base64
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from portal.access.lock_units import DuplicateLockUnit, InvalidLockKey
from portal.access.models import LockUnit
from portal.audit.services import Actor
from portal.booking import services as booking
from portal.booking.models import Appointment
from portal.locksmith import services
from portal.locksmith.models import CHECKLIST, JobReport
from tests.booking.support import TZ, make_world

ALL = set(CHECKLIST)


def pem(curve=None) -> str:
    key = ec.generate_private_key(curve or ec.SECP256R1()).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def der_b64() -> str:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


@pytest.fixture
def job(db, now):
    world = make_world(db, now=now)
    slot = world.slots(db)[0]
    appointment = booking.book_slot(db, world.citizens[0].id, slot.id, now=now)
    on_the_day = slot.starts_at + timedelta(minutes=5)
    return appointment, world.locksmiths[0], on_the_day


def _complete(db, job, **kw):
    appointment, smith, when = job
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
    return services.complete_job(db, appointment.id, **values)


def test_complete_registers_the_unit_and_the_citizen_is_fitted(db, job):
    report = _complete(db, job)
    appointment = db.get(Appointment, job[0].id)
    assert report.outcome == "completed" and appointment.status == "completed"
    assert appointment.citizen.status == "fitted"
    unit = db.get(LockUnit, report.lock_unit_id)
    assert unit.serial == "SN-1" and unit.citizen_id == appointment.citizen_id
    assert "BEGIN PUBLIC KEY" in unit.public_key_pem


def test_base64_keys_are_accepted(db, job):
    assert _complete(db, job, public_key_text=der_b64()).lock_unit_id


@pytest.mark.parametrize("text", ["", "not a key", "A" * 10_000, "<script>alert(1)</script>"])
def test_invalid_keys_change_nothing(db, job, text):
    with pytest.raises(InvalidLockKey):
        _complete(db, job, public_key_text=text)
    db.rollback()
    assert db.get(Appointment, job[0].id).status == "booked"
    assert db.scalars(select(LockUnit)).all() == []


def test_a_p384_key_is_refused(db, job):
    with pytest.raises(InvalidLockKey):
        _complete(db, job, public_key_text=pem(ec.SECP384R1()))


def test_duplicate_serial_is_refused(db, job, now):
    _complete(db, job)
    world = make_world(db, now=now)
    other = booking.book_slot(db, world.citizens[0].id, world.slots(db)[0].id, now=now)
    with pytest.raises(DuplicateLockUnit):
        _complete(db, (other, world.locksmiths[0], job[2]))


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


def test_fail_puts_the_citizen_on_follow_up(db, job):
    appointment, smith, when = job
    report = services.fail_job(
        db,
        appointment.id,
        locksmith_id=smith.id,
        reason="not_home",
        note=None,
        now=when,
        actor=Actor("user", smith.id),
        tz=TZ,
    )
    assert report.outcome == "failed" and report.reason == "not_home"
    assert db.get(Appointment, appointment.id).citizen.status == "follow_up"


@pytest.mark.parametrize("reason,note", [("other", ""), ("other", "   "), ("bogus", "x")])
def test_fail_needs_a_known_reason_and_a_note_for_other(db, job, reason, note):
    appointment, smith, when = job
    with pytest.raises(services.ReasonMissing):
        services.fail_job(
            db,
            appointment.id,
            locksmith_id=smith.id,
            reason=reason,
            note=note,
            now=when,
            actor=Actor("user", smith.id),
            tz=TZ,
        )
    assert db.scalars(select(JobReport)).all() == []


def test_my_days_lists_only_my_jobs_in_time_order(db, now):
    world = make_world(db, citizens=3, locksmiths=2, now=now)
    slots = world.slots(db)
    mine = [s for s in slots if s.locksmith_id == world.locksmiths[0].id]
    theirs = [s for s in slots if s.locksmith_id != world.locksmiths[0].id]
    booking.book_slot(db, world.citizens[0].id, mine[3].id, now=now)
    booking.book_slot(db, world.citizens[1].id, mine[1].id, now=now)
    booking.book_slot(db, world.citizens[2].id, theirs[0].id, now=now)
    days = services.my_days(db, world.locksmiths[0].id, today=world.first_day)
    jobs = [j for d in days for j in d.jobs]
    assert [j.slot_id for j in jobs] == [mine[1].id, mine[3].id]
    assert days[0].day == world.first_day
