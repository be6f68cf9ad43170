"""Locksmith jobs: create, plan, assign and cancel (completion lives in completion.py).

`create_job` is the one way a job comes to be: a booking, a battery alert, a coordinator, and
later an entrance consent or a reinstatement all call it. Services flush, never commit.
"""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.access.models import LockUnit
from portal.accounts.models import User
from portal.audit.services import SYSTEM, Actor, record
from portal.citizens.models import Citizen
from portal.consent.models import Entrance
from portal.locksmith.models import OPEN_STATUSES, Job, JobKind, JobStatus
from portal.locksmith.window_models import day_fits


class JobError(Exception):
    """Base class of job errors."""


class JobNotFound(JobError):
    """No such job, or it is another locksmith's (shown as "not found", never "forbidden")."""


class JobClosed(JobError):
    """The job is already completed, failed or cancelled."""


class JobNotDue(JobError):
    """The job's day has not come yet."""


class ChecklistIncomplete(JobError):
    """Every point of the fitting checklist must be ticked."""


class ReasonMissing(JobError):
    """A failed job needs a known reason, and a note when the reason is "other"."""


class NoPlace(JobError):
    """A job needs a place: a citizen, an entrance or a lock unit that exists."""


class NotALocksmith(JobError):
    """Jobs are assigned to active locksmiths only."""


class OutsideWindows(JobError):
    """The owner lets the fitter come on other weekdays only (the job's windows)."""


class BookedTime(JobError):
    """A job from a booking keeps its booked day: move the booking instead."""


def address_of(citizen=None, entrance=None) -> str:
    """The address a locksmith drives to, as one line."""
    if citizen is not None:
        return f"{citizen.address}, {citizen.postcode} {citizen.city}"
    prop = entrance.property
    return f"{prop.address}, {prop.postcode} {prop.city} ({entrance.label})"


def _place(session, citizen_id, entrance_id, lock_unit_id):
    unit = session.get(LockUnit, lock_unit_id) if lock_unit_id is not None else None
    if lock_unit_id is not None and unit is None:
        raise NoPlace()
    if unit is not None:
        citizen_id = citizen_id or unit.citizen_id
        entrance_id = entrance_id or unit.entrance_id
    citizen = session.get(Citizen, citizen_id) if citizen_id is not None else None
    entrance = session.get(Entrance, entrance_id) if entrance_id is not None else None
    if citizen is None and entrance is None:
        raise NoPlace()
    return citizen, entrance


def create_job(
    session,
    kind: JobKind | str,
    *,
    now: datetime,
    actor: Actor,
    citizen_id: int | None = None,
    entrance_id: int | None = None,
    lock_unit_id: int | None = None,
    appointment_id: int | None = None,
    instructions: str | None = None,
    locksmith_id: int | None = None,
    day: date | None = None,
    window: tuple[datetime, datetime] | None = None,
    audit: bool = True,
) -> Job:
    """Make a job at a citizen's door, an entrance or a lock unit, planned when given a day.

    The address is copied now. audit=False is for callers whose own audit record names the
    job (a booking records "appointment_booked" with the job's id).
    """
    citizen, entrance = _place(session, citizen_id, entrance_id, lock_unit_id)
    job = Job(
        kind=JobKind(kind),
        status=JobStatus.OPEN,
        address=address_of(citizen, entrance),
        citizen_id=citizen.id if citizen else None,
        entrance_id=entrance.id if entrance else None,
        lock_unit_id=lock_unit_id,
        appointment_id=appointment_id,
        instructions=(instructions or "").strip()[:2000] or None,
        created_at=now,
        source=actor.describe(),
    )
    if locksmith_id is not None and day is not None:
        _plan(job, locksmith_id, day, window)
    session.add(job)
    session.flush()
    if audit:
        _record(session, actor, "job_created", job, now, {"kind": job.kind})
    return job


def _plan(job: Job, locksmith_id: int, day: date, window=None) -> None:
    job.locksmith_id, job.day = locksmith_id, day
    job.window_start, job.window_end = window or (None, None)
    job.status = JobStatus.PLANNED


def _record(session, actor, action, job, now, data=None) -> None:
    record(session, actor, action, now=now, object_type="job", object_id=job.id, data=data)


def open_battery_job(session, unit: LockUnit, *, now: datetime) -> Job | None:
    """A battery change for a lock running low, unless one is open (None then)."""
    if session.scalar(_open_battery_statement(unit.id)) is not None:
        return None
    try:
        with session.begin_nested():
            job = create_job(session, JobKind.BATTERY, now=now, actor=SYSTEM, lock_unit_id=unit.id)
    except IntegrityError:
        return None  # opened by a concurrent upload: the partial unique index keeps it to one
    except NoPlace:
        return None  # a unit registered nowhere has nobody to visit
    return job


def _open_battery_statement(unit_id: int):
    return select(Job.id).where(
        Job.lock_unit_id == unit_id,
        Job.kind == JobKind.BATTERY,
        Job.status.in_(OPEN_STATUSES),
    )


def on_battery_low(session, *, unit, now, **_extra) -> None:
    """Receiver of access's battery_low signal (same session, same transaction)."""
    open_battery_job(session, unit, now=now)


def _locksmith(session, user_id: int):
    user = session.get(User, user_id)
    if user is None or user.role != "locksmith" or not user.active:
        raise NotALocksmith()
    return user


def assign(session, job: Job, locksmith_id: int, day: date, *, now: datetime, actor: Actor) -> Job:
    """Give an open or planned job to a locksmith on a day (a booked job keeps its day)."""
    if not job.is_open:
        raise JobClosed()
    _locksmith(session, locksmith_id)
    if job.appointment_id is not None and job.day is not None and day != job.day:
        raise BookedTime()
    if not day_fits(job.windows, day):
        raise OutsideWindows()
    keep = (job.window_start, job.window_end) if job.window_start else None
    _plan(job, locksmith_id, day, keep)
    session.flush()
    _record(session, actor, "job_assigned", job, now, {"locksmith": locksmith_id, "day": str(day)})
    return job


def move_to_slot(session, job: Job, *, locksmith_id: int, day: date, window, now, actor) -> Job:
    """A rebooking moves its fitting job to the new slot's locksmith, day and time."""
    if not job.is_open:
        raise JobClosed()
    _plan(job, locksmith_id, day, window)
    session.flush()
    return job


def cancel_job(session, job: Job, *, now: datetime, actor: Actor, note: str | None = None) -> Job:
    """Cancel a job that is still to be done."""
    if not job.is_open:
        raise JobClosed()
    job.status = JobStatus.CANCELLED
    job.note = (note or "").strip()[:500] or None
    job.reported_at = now
    session.flush()
    _record(session, actor, "job_cancelled", job, now)
    return job


def job_of_appointment(session, appointment_id: int) -> Job | None:
    """The job made for a booking, if any."""
    return session.scalar(select(Job).where(Job.appointment_id == appointment_id))


def create_by_hand(
    session,
    kind: str,
    *,
    lock_number: str | None,
    citizen_external_id: str | None,
    entrance_id: int | None,
    instructions: str,
    locksmith_id: int | None,
    day: date | None,
    now: datetime,
    actor: Actor,
) -> Job:
    """A coordinator's job at a lock (by its number), a citizen (external id) or an entrance.

    Raises NoPlace("lock" / "citizen" / "entrance") when the place named does not exist.
    """
    where: dict = {}
    if (lock_number or "").strip():
        unit = session.scalar(select(LockUnit).where(LockUnit.lock_id == int(lock_number)))
        if unit is None:
            raise NoPlace("lock")
        where["lock_unit_id"] = unit.id
    elif (citizen_external_id or "").strip():
        found = session.scalar(
            select(Citizen.id).where(Citizen.external_id == citizen_external_id.strip())
        )
        if found is None:
            raise NoPlace("citizen")
        where["citizen_id"] = found
    elif entrance_id is None or session.get(Entrance, entrance_id) is None:
        raise NoPlace("entrance")
    else:
        where["entrance_id"] = entrance_id
    if locksmith_id is not None:
        _locksmith(session, locksmith_id)
    return create_job(
        session,
        kind,
        now=now,
        actor=actor,
        instructions=instructions,
        locksmith_id=locksmith_id,
        day=day,
        **where,
    )
