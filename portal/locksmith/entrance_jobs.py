"""Entrance units: consent's signals become locksmith jobs, and their completion changes which
unit hangs at the entrance.

`entrance_granted` makes one entrance-unit job per entrance (kept to one while it is open) with
the owner's weekday windows: no citizen has to be at home, so the job has no time slot, and
planning refuses a day outside the windows (`services.assign`). `entrance_withdrawn` cancels
the open jobs at the entrance and makes a removal job for each fitted unit; completing that
removal takes the unit out of service (`complete_removal`), so no key lists it again.
"""

from datetime import date, datetime

from sqlalchemy import select

from portal.access.models import LockUnit
from portal.audit.services import Actor, record
from portal.locksmith.models import OPEN_STATUSES, Job, JobKind
from portal.locksmith.services import cancel_job, create_job
from portal.locksmith.window_models import JobWindow


def _open_jobs(session, entrance_id: int, kinds=None) -> list[Job]:
    stmt = select(Job).where(Job.entrance_id == entrance_id, Job.status.in_(OPEN_STATUSES))
    if kinds is not None:
        stmt = stmt.where(Job.kind.in_([str(k) for k in kinds]))
    return list(session.scalars(stmt.order_by(Job.id)))


def _set_windows(session, job: Job, windows) -> None:
    for old in list(job.windows):
        session.delete(old)
    session.flush()
    seen = set()
    for weekday, starts, ends in windows or ():
        key = (int(weekday), starts, ends)
        if key in seen or not 0 <= key[0] <= 6 or not starts < ends:
            continue  # consent checked the windows; a bad one here is skipped, not fatal
        seen.add(key)
        session.add(JobWindow(job_id=job.id, weekday=key[0], starts=starts, ends=ends))
    session.flush()
    session.expire(job, ["windows"])


def entrance_unit_job(session, entrance, windows, *, now: datetime, actor: Actor) -> Job:
    """The open entrance-unit job at `entrance` with these windows (made if there is none)."""
    found = _open_jobs(session, entrance.id, [JobKind.ENTRANCE_UNIT])
    job = found[0] if found else None
    if job is None:
        job = create_job(
            session, JobKind.ENTRANCE_UNIT, now=now, actor=actor, entrance_id=entrance.id
        )
    _set_windows(session, job, windows)
    return job


def on_entrance_granted(session, *, entrance, windows=(), now, actor, **_extra) -> None:
    """Receiver of consent's entrance_granted (same session, same transaction)."""
    entrance_unit_job(session, entrance, windows, now=now, actor=actor)


def withdraw_jobs(session, entrance, on: date | None, *, now: datetime, actor: Actor) -> list[Job]:
    """Cancel the open jobs at the entrance; a removal job for each fitted unit (returned).

    The unit keeps opening until `on` (derived in `portal.access.derivation`), so the removal
    may be planned for any day; the locksmith takes it out of service on completion.
    """
    for job in _open_jobs(session, entrance.id):
        if job.kind != JobKind.REMOVAL:
            cancel_job(session, job, now=now, actor=actor)
    units = session.scalars(
        select(LockUnit).where(LockUnit.entrance_id == entrance.id, LockUnit.active.is_(True))
    )
    pending = {j.lock_unit_id for j in _open_jobs(session, entrance.id, [JobKind.REMOVAL])}
    made = []
    for unit in units:
        if unit.id in pending:
            continue
        made.append(
            create_job(
                session,
                JobKind.REMOVAL,
                now=now,
                actor=actor,
                entrance_id=entrance.id,
                lock_unit_id=unit.id,
            )
        )
    return made


def on_entrance_withdrawn(session, *, entrance, on=None, now, actor, **_extra) -> dict:
    """Receiver of consent's entrance_withdrawn (same session, same transaction); tells consent
    how many booked visits (a job with a locksmith or a day) it cancelled."""
    booked = [
        j
        for j in _open_jobs(session, entrance.id)
        if j.kind != JobKind.REMOVAL and (j.locksmith_id is not None or j.day is not None)
    ]
    withdraw_jobs(session, entrance, on, now=now, actor=actor)
    return {"cancelled_jobs": len(booked)}


def complete_removal(session, job: Job, *, now: datetime, actor: Actor) -> None:
    """A removal at an entrance is done: the unit is out of service (no key lists it again)."""
    if job.kind != JobKind.REMOVAL or job.entrance_id is None or job.lock_unit_id is None:
        return
    unit = session.get(LockUnit, job.lock_unit_id)
    if unit is None or not unit.active:
        return
    unit.active = False
    session.flush()
    record(
        session,
        actor,
        "lock_unit_removed",
        now=now,
        object_type="lock_unit",
        object_id=unit.id,
        data={"serial": unit.serial, "entrance": job.entrance_id, "job": job.id},
    )
