"""The coordinator's follow-up of failed jobs.

A failed fitting waits while its citizen is in the follow-up status (booking them again from
the schedule ends it). Any other failed job (a battery change, a repair, a relocation, a
removal, an entrance unit) waits until the coordinator acts on it: a new job of the same kind
at the same place, or "handled" (called, sorted out another way). That action is written once,
on the job (`followed_up_at`, `followed_up_by`, which the queue reads) and as the audit record
`job_followed_up`, in one transaction.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.services import Actor, record
from portal.locksmith.models import OPEN_STATUSES, Job, JobKind, JobStatus
from portal.locksmith.queries import FOLLOWED_UP
from portal.locksmith.services import JobError, create_job
from portal.locksmith.window_models import JobWindow

# What a new job carries over from the failed one: the address too, as the unit is still where
# the failed job was (a relocation's old home), whatever the citizen's address is now.
CARRIED = ("address", "destination", "effective_on", "leave_reason", "estate_contact")


class NotWaiting(JobError):
    """The job is not waiting for the coordinator: not failed, a fitting, or already handled."""


def is_waiting(job: Job) -> bool:
    """A failed job other than a fitting that nobody has followed up yet."""
    if job.status != JobStatus.FAILED or job.kind == JobKind.FITTING:
        return False
    return job.followed_up_at is None


def _check(job: Job) -> None:
    if not is_waiting(job):
        raise NotWaiting()


def _record(session, job: Job, *, now: datetime, actor: Actor, **data) -> None:
    # The UPDATE bumps the job's version: of two coordinators acting at once, the second one's
    # UPDATE finds the version gone (the optimistic lock of models.Job): one follow-up is written.
    job.followed_up_at, job.followed_up_by = now, actor.describe()[:300]
    try:
        session.flush()
    except StaleDataError:  # the caller rolls back
        raise NotWaiting() from None
    data = {"kind": job.kind, "citizen": job.citizen_id, **data}
    record(session, actor, FOLLOWED_UP, now=now, object_type="job", object_id=job.id, data=data)


def mark_handled(session, job: Job, *, now: datetime, actor: Actor) -> Job:
    """The coordinator has dealt with the failed job without a new visit."""
    _check(job)
    _record(session, job, now=now, actor=actor, outcome="handled")
    return job


def _open_battery_job(session, job: Job) -> Job | None:
    if job.kind != JobKind.BATTERY or job.lock_unit_id is None:
        return None
    return session.scalar(
        select(Job).where(
            Job.lock_unit_id == job.lock_unit_id,
            Job.kind == JobKind.BATTERY,
            Job.status.in_(OPEN_STATUSES),
        )
    )


def new_job_after(session, job: Job, *, now: datetime, actor: Actor) -> Job:
    """A new job of the same kind at the same place, still to be planned, and the failed one
    followed up. A battery change already open at the lock (a newer low report) is reused."""
    _check(job)
    new = _open_battery_job(session, job)
    if new is None:
        new = create_job(
            session,
            job.kind,
            now=now,
            actor=actor,
            citizen_id=job.citizen_id,
            entrance_id=job.entrance_id,
            lock_unit_id=job.lock_unit_id,
            instructions=job.instructions,
        )
        for name in CARRIED:
            setattr(new, name, getattr(job, name))
        for w in job.windows:
            session.add(JobWindow(job_id=new.id, weekday=w.weekday, starts=w.starts, ends=w.ends))
        session.flush()
    _record(session, job, now=now, actor=actor, outcome="new_job", new_job=new.id)
    return new
