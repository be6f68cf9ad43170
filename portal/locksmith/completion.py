"""A locksmith reports a job: done (per kind: the fitted unit, the new battery level, a note)
or failed with a reason. Only the assigned locksmith, only on or after the job's day."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm.exc import StaleDataError

from portal.access.lock_units import register_lock_unit
from portal.access.models import LockUnit
from portal.audit.services import Actor, record
from portal.citizens import lifecycle
from portal.locksmith.entrance_jobs import complete_removal
from portal.locksmith.models import CHECKLIST, FAIL_REASONS, Job, JobKind, JobStatus
from portal.locksmith.queries import job_for
from portal.locksmith.services import ChecklistIncomplete, JobClosed, JobNotDue, ReasonMissing
from portal.locksmith.signals import job_closed


def open_job(session, job_id: int, locksmith_id: int, now: datetime, tz: ZoneInfo) -> Job:
    """The locksmith's own job, still to be done and due today or earlier."""
    job = job_for(session, job_id, locksmith_id)
    if not job.is_open:
        raise JobClosed()
    if job.day is None or job.day > now.astimezone(tz).date():
        raise JobNotDue()
    return job


def _note(text: str | None) -> str | None:
    return (text or "").strip()[:500] or None


def complete_fitting(
    session,
    job_id: int,
    *,
    locksmith_id: int,
    serial: str,
    public_key_text: str,
    checklist: set[str],
    now: datetime,
    actor: Actor,
    tz: ZoneInfo,
) -> Job:
    """Register the fitted lock unit, close the job, and mark the citizen fitted.

    Raises InvalidLockKey / DuplicateLockUnit from the lock-unit registry unchanged.
    """
    job = open_job(session, job_id, locksmith_id, now, tz)
    if set(CHECKLIST) - set(checklist):
        raise ChecklistIncomplete()
    unit = register_lock_unit(
        session,
        serial=serial,
        public_key_text=public_key_text,
        kind="entrance" if job.kind == JobKind.ENTRANCE_UNIT else "door",
        citizen_id=None if job.kind == JobKind.ENTRANCE_UNIT else job.citizen_id,
        entrance_id=job.entrance_id if job.kind == JobKind.ENTRANCE_UNIT else None,
        now=now,
        actor=actor,
    )
    job.lock_unit_id = unit.id
    job.checklist = ",".join(CHECKLIST)
    if job.kind == JobKind.FITTING and job.citizen is not None:
        lifecycle.fitted(job.citizen)
    return _close(session, job, JobStatus.DONE, locksmith_id, now, actor)


def complete_battery(
    session, job_id: int, *, locksmith_id: int, level: int, note, now, actor, tz
) -> Job:
    """The battery is changed: keep the level read after the change on the job and the lock."""
    job = open_job(session, job_id, locksmith_id, now, tz)
    job.battery_level, job.note = level, _note(note)
    unit = session.get(LockUnit, job.lock_unit_id) if job.lock_unit_id else None
    if unit is not None:
        unit.battery, unit.battery_at = level, now
    return _close(session, job, JobStatus.DONE, locksmith_id, now, actor)


def complete_job(session, job_id: int, *, locksmith_id: int, note, now, actor, tz) -> Job:
    """Any other kind of job is done (a removal, relocation or repair), with a note."""
    job = open_job(session, job_id, locksmith_id, now, tz)
    job.note = _note(note)
    complete_removal(session, job, now=now, actor=actor)  # an entrance unit taken down
    return _close(session, job, JobStatus.DONE, locksmith_id, now, actor)


def fail_job(
    session,
    job_id: int,
    *,
    locksmith_id: int,
    reason: str,
    note: str | None,
    now: datetime,
    actor: Actor,
    tz: ZoneInfo,
) -> Job:
    """Close the job as failed; a failed fitting puts the citizen on the follow-up list."""
    job = open_job(session, job_id, locksmith_id, now, tz)
    note = _note(note)
    if reason not in FAIL_REASONS or (reason == "other" and not note):
        raise ReasonMissing()
    job.reason, job.note = reason, note
    if job.kind == JobKind.FITTING and job.citizen is not None:
        lifecycle.fitting_failed(job.citizen)
    return _close(session, job, JobStatus.FAILED, locksmith_id, now, actor)


def _close(session, job: Job, status: JobStatus, locksmith_id: int, now, actor) -> Job:
    job.status = status
    job.reported_at, job.reported_by = now, locksmith_id
    try:
        session.flush()
    except StaleDataError:  # reported or cancelled meanwhile; the caller rolls back
        raise JobClosed() from None
    job_closed.send(session, job=job, now=now)
    record(
        session,
        actor,
        f"job_{status}",
        now=now,
        object_type="job",
        object_id=job.id,
        data={
            "kind": job.kind,
            "citizen": job.citizen_id,
            "reason": job.reason,
            "lock_unit": job.lock_unit_id,
        },
    )
    return job
