"""The coordinator's follow-up queue holds every failed job, not only fittings: a battery
change or a repair nobody could do waits there until the coordinator makes a new job or marks
it handled, each with an audit record."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portal import clock
from portal.audit.models import AuditRecord
from portal.audit.services import Actor
from portal.locksmith import follow_up, queries, services
from portal.locksmith.models import Job, JobKind, JobStatus
from tests.factories import make_user
from tests.locksmith.follow_up_support import failed_jobs, planned_jobs


def _coordinator(db):
    user = make_user(db, "coordinator")
    db.commit()
    return Actor("user", user.id, user.name)


def test_failed_jobs_of_every_kind_are_in_the_follow_up_queue(db):
    place = failed_jobs(db)
    waiting = queries.follow_up(db)
    assert {job.kind for job in waiting} == set(JobKind)
    assert all(job.status == JobStatus.FAILED and job.reason == "not_home" for job in waiting)
    assert all(job.reported_at is not None for job in waiting)
    assert place.citizen.status == "follow_up"  # the fitting, as before


def test_jobs_still_planned_or_done_are_not_in_the_queue(db):
    planned_jobs(db, kinds=(JobKind.BATTERY, JobKind.REPAIR))
    assert queries.follow_up(db) == []


@pytest.mark.parametrize("kind", [k for k in JobKind if k != JobKind.FITTING])
def test_marking_a_failed_job_handled_takes_it_off_with_an_audit_record(db, kind):
    place = failed_jobs(db, kinds=(kind,))
    job = place.jobs[str(kind)]
    actor = _coordinator(db)
    follow_up.mark_handled(db, job, now=clock.now(), actor=actor)
    db.commit()
    assert queries.follow_up(db) == []
    audit = db.scalar(select(AuditRecord).where(AuditRecord.action == "job_followed_up"))
    assert (audit.object_type, audit.object_id) == ("job", str(job.id))
    assert audit.actor.startswith(f"user:{actor.id}") and audit.data["outcome"] == "handled"
    assert (job.followed_up_at, job.followed_up_by) == (audit.at, audit.actor)
    with pytest.raises(follow_up.NotWaiting):
        follow_up.mark_handled(db, job, now=clock.now(), actor=actor)


@pytest.mark.parametrize("kind", [JobKind.BATTERY, JobKind.REPAIR, JobKind.REMOVAL])
def test_a_new_job_goes_to_the_same_place_and_the_failed_one_leaves(db, kind):
    place = failed_jobs(db, kinds=(kind,))
    failed = place.jobs[str(kind)]
    new = follow_up.new_job_after(db, failed, now=clock.now(), actor=_coordinator(db))
    db.commit()
    assert new.id != failed.id and new.status == JobStatus.OPEN
    assert (new.kind, new.citizen_id, new.lock_unit_id, new.address) == (
        failed.kind,
        failed.citizen_id,
        failed.lock_unit_id,
        failed.address,
    )
    assert queries.follow_up(db) == []
    audit = db.scalar(select(AuditRecord).where(AuditRecord.action == "job_followed_up"))
    assert audit.data["outcome"] == "new_job" and audit.data["new_job"] == new.id


def test_a_fitting_is_rebooked_from_the_schedule_not_followed_up_here(db):
    place = failed_jobs(db, kinds=(JobKind.FITTING,))
    with pytest.raises(follow_up.NotWaiting):
        follow_up.mark_handled(db, place.jobs["fitting"], now=clock.now(), actor=_coordinator(db))


def test_a_battery_change_opened_meanwhile_is_reused(db):
    place = failed_jobs(db, kinds=(JobKind.BATTERY,))
    failed = place.jobs["battery"]
    low_again = services.open_battery_job(db, failed.lock_unit, now=clock.now())  # a new report
    db.commit()
    again = follow_up.new_job_after(db, failed, now=clock.now(), actor=_coordinator(db))
    db.commit()
    assert again.id == low_again.id
    jobs = db.scalars(select(Job).where(Job.lock_unit_id == failed.lock_unit_id)).all()
    assert sum(j.status == JobStatus.OPEN for j in jobs) == 1
    assert queries.follow_up(db) == []


def test_of_two_coordinators_acting_at_once_only_one_follows_up(db):
    place = failed_jobs(db, kinds=(JobKind.REPAIR,))
    job = place.jobs["repair"]
    actor = _coordinator(db)
    # The other coordinator's follow-up has bumped the job's version since this one read it.
    bump = update(Job).where(Job.id == job.id).values(version=Job.version + 1)
    db.execute(bump.execution_options(synchronize_session=False))
    with pytest.raises(follow_up.NotWaiting):
        follow_up.new_job_after(db, job, now=clock.now(), actor=actor)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Job)) == 1


def test_the_follow_up_is_written_on_the_job_with_its_audit_record(db, clock):
    place = failed_jobs(db, kinds=(JobKind.REPAIR,))
    job = place.jobs["repair"]
    actor = _coordinator(db)
    clock.advance(timedelta(minutes=5))
    follow_up.new_job_after(db, job, now=clock(), actor=actor)
    db.commit()
    db.expire_all()
    assert job.followed_up_at == clock() and job.followed_up_at.tzinfo is not None
    assert job.followed_up_by == actor.describe() and job.version == 3  # made, failed, followed


def test_the_queue_reads_the_job_not_the_audit_log(db, clock):
    place = failed_jobs(db, kinds=(JobKind.BATTERY, JobKind.REPAIR))
    battery, repair = place.jobs["battery"], place.jobs["repair"]
    battery.followed_up_at, battery.followed_up_by = clock(), "user:1 Coordinator"
    db.commit()
    assert [job.id for job in queries.follow_up(db)] == [repair.id]
    with pytest.raises(follow_up.NotWaiting):
        follow_up.mark_handled(db, battery, now=clock(), actor=_coordinator(db))
