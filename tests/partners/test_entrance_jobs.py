"""Entrance-unit jobs from consent's signals: made with the owner's windows, planned inside
them, completed with the unit's key; a withdrawal cancels and makes a removal job."""

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from portal.access.models import LockUnit
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.consent.signals import entrance_granted, entrance_withdrawn
from portal.locksmith import completion, services
from portal.locksmith.models import Job, JobKind, JobStatus
from portal.locksmith.window_models import JobWindow
from tests.access.support import make_lock
from tests.factories import NOW, make_property, make_user
from tests.helpers import sign_in_staff
from tests.locksmith.support import CHECKS, pem
from tests.web.support import english_client

TZ = __import__("zoneinfo").ZoneInfo("Europe/Copenhagen")
WINDOWS = [(0, time(8), time(12)), (3, time(13), time(16))]  # Monday morning, Thursday


@pytest.fixture
def granted(db, clock):
    prop = make_property(db)
    entrance = prop.entrances[0]
    entrance.consent_status = "granted"
    entrance_granted.send(db, entrance=entrance, windows=WINDOWS, now=NOW, actor=SYSTEM)
    db.commit()
    job = db.scalar(select(Job).where(Job.entrance_id == entrance.id))
    return entrance, job


def _jobs(db, entrance_id):
    return list(db.scalars(select(Job).where(Job.entrance_id == entrance_id).order_by(Job.id)))


def test_a_grant_makes_one_entrance_unit_job_with_the_owners_windows(db, granted):
    entrance, job = granted
    assert job.kind == JobKind.ENTRANCE_UNIT and job.status == JobStatus.OPEN
    assert job.citizen_id is None and entrance.property.address in job.address
    assert [(w.weekday, w.starts, w.ends) for w in job.windows] == WINDOWS
    # A second grant (the owner changes the windows) keeps one job with the new windows.
    entrance_granted.send(
        db, entrance=entrance, windows=[(4, time(9), time(10))], now=NOW, actor=SYSTEM
    )
    db.commit()
    assert _jobs(db, entrance.id) == [job]
    db.refresh(job)
    assert [(w.weekday, w.starts, w.ends) for w in job.windows] == [(4, time(9), time(10))]
    assert db.scalar(select(AuditRecord).where(AuditRecord.action == "job_created")) is not None


def test_bad_windows_from_a_sender_are_skipped_not_fatal(db, clock):
    entrance = make_property(db).entrances[0]
    bad = [
        (7, time(8), time(9)),
        (1, time(10), time(9)),
        (2, time(8), time(9)),
        (2, time(8), time(9)),
    ]
    entrance_granted.send(db, entrance=entrance, windows=bad, now=NOW, actor=SYSTEM)
    job = _jobs(db, entrance.id)[0]
    assert [(w.weekday, w.starts) for w in job.windows] == [(2, time(8))]
    entrance_granted.send(
        db, entrance=make_property(db).entrances[0], windows=None, now=NOW, actor=SYSTEM
    )


def test_planning_respects_the_windows(db, granted):
    _, job = granted
    smith = make_user(db, "locksmith")
    tuesday = NOW.date() + timedelta(days=1)
    with pytest.raises(services.OutsideWindows):
        services.assign(db, job, smith.id, tuesday, now=NOW, actor=SYSTEM)
    services.assign(db, job, smith.id, NOW.date() + timedelta(days=3), now=NOW, actor=SYSTEM)
    assert job.status == JobStatus.PLANNED and job.window_start is None


def test_completing_registers_the_entrance_unit_and_withdrawal_removes_it(db, granted):
    entrance, job = granted
    smith = make_user(db, "locksmith")
    services.assign(db, job, smith.id, NOW.date(), now=NOW, actor=SYSTEM)
    completion.complete_fitting(
        db,
        job.id,
        locksmith_id=smith.id,
        serial="ENT-1",
        public_key_text=pem(),
        checklist=set(CHECKS),
        now=NOW,
        actor=SYSTEM,
        tz=TZ,
    )
    unit = db.scalar(select(LockUnit).where(LockUnit.serial == "ENT-1"))
    assert unit.entrance_id == entrance.id and unit.citizen_id is None and unit.kind == "entrance"
    assert job.status == JobStatus.DONE
    # Withdrawal: a removal job for the fitted unit (one, however often the signal comes).
    for _ in range(2):
        entrance_withdrawn.send(
            db, entrance=entrance, on=NOW.date() + timedelta(days=30), now=NOW, actor=SYSTEM
        )
    removals = [j for j in _jobs(db, entrance.id) if j.kind == JobKind.REMOVAL]
    assert len(removals) == 1 and removals[0].lock_unit_id == unit.id
    removal = removals[0]
    services.assign(db, removal, smith.id, NOW.date(), now=NOW, actor=SYSTEM)
    completion.complete_job(
        db, removal.id, locksmith_id=smith.id, note="", now=NOW, actor=SYSTEM, tz=TZ
    )
    assert unit.active is False and removal.status == JobStatus.DONE
    assert db.scalar(select(AuditRecord).where(AuditRecord.action == "lock_unit_removed"))


def test_a_withdrawal_cancels_the_open_entrance_job(db, granted):
    entrance, job = granted
    entrance_withdrawn.send(db, entrance=entrance, on=None, now=NOW, actor=SYSTEM)
    assert job.status == JobStatus.CANCELLED
    assert [j.kind for j in _jobs(db, entrance.id)] == [JobKind.ENTRANCE_UNIT]  # nothing fitted


def test_a_door_removal_leaves_the_unit_to_its_own_flow(db, clock):
    from tests.factories import make_citizen

    citizen = make_citizen(db)
    unit, _ = make_lock(db, citizen)
    smith = make_user(db, "locksmith")
    job = services.create_job(
        db,
        JobKind.REMOVAL,
        now=NOW,
        actor=SYSTEM,
        lock_unit_id=unit.id,
        locksmith_id=smith.id,
        day=NOW.date(),
    )
    completion.complete_job(
        db, job.id, locksmith_id=smith.id, note=None, now=NOW, actor=SYSTEM, tz=TZ
    )
    assert unit.active is True


def test_my_day_and_the_job_page_show_the_windows_and_the_locksmith_fits(app, db, granted):
    entrance, job = granted
    smith, coordinator = make_user(db, "locksmith"), make_user(db, "coordinator")
    services.assign(db, job, smith.id, NOW.date(), now=NOW, actor=SYSTEM)
    db.commit()
    boss = english_client(app)
    sign_in_staff(boss, coordinator)
    page = boss.get(f"/coordinator/jobs/{job.id}").get_data(as_text=True)
    assert "When the owner lets the fitter come" in page and "Monday 08:00–12:00" in page
    wrong_day = boss.post(
        f"/coordinator/jobs/{job.id}/assign",
        data={"locksmith": smith.id, "day": str(NOW.date() + timedelta(days=1))},
    )
    assert "Choose a day on which the owner lets the fitter come" in wrong_day.get_data(
        as_text=True
    )
    client = english_client(app)
    sign_in_staff(client, smith)
    day = client.get("/locksmith/").get_data(as_text=True)
    assert "Thursday 13:00–16:00" in day and entrance.label in day
    form = client.get(f"/locksmith/jobs/{job.id}/complete").get_data(as_text=True)
    assert "The owner&#39;s contact knows the unit is fitted" in form
    done = client.post(
        f"/locksmith/jobs/{job.id}/complete",
        data={"serial": "ENT-9", "public_key": pem(), **CHECKS},
    )
    assert done.status_code == 303
    assert db.scalar(select(LockUnit).where(LockUnit.serial == "ENT-9")).entrance_id == entrance.id


def test_the_window_rows_are_checked_by_the_database(db, granted):
    from sqlalchemy.exc import IntegrityError

    _, job = granted
    db.add(JobWindow(job_id=job.id, weekday=9, starts=time(8), ends=time(9)))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
