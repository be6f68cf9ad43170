"""The locksmith's jobs: their day, completing a job with its lock unit, or failing it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.access.lock_units import register_lock_unit
from portal.audit.services import Actor, record
from portal.booking.models import Appointment, Slot
from portal.citizens import lifecycle
from portal.locksmith.models import CHECKLIST, FAIL_REASONS, JobReport


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


@dataclass
class Day:
    """One day of a locksmith's jobs."""

    day: date
    jobs: list[Appointment]


def my_days(session, locksmith_id: int, *, today: date, days_ahead: int = 14) -> list[Day]:
    """Open and finished jobs from today on, grouped by day, each day in time (route) order."""
    rows = session.scalars(
        select(Appointment)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(
            Slot.locksmith_id == locksmith_id,
            Slot.local_date >= today,
            Slot.local_date <= today + timedelta(days=days_ahead),
            Appointment.status.in_(("booked", "completed", "failed")),
        )
        .options(joinedload(Appointment.slot), joinedload(Appointment.citizen))
        .order_by(Slot.starts_at)
    ).all()
    days: dict[date, Day] = {}
    for appointment in rows:
        key = appointment.slot.local_date
        days.setdefault(key, Day(key, [])).jobs.append(appointment)
    if today not in days:
        days[today] = Day(today, [])
    return sorted(days.values(), key=lambda d: d.day)


def job_for(session, appointment_id: int, locksmith_id: int) -> Appointment:
    """The appointment if it is this locksmith's job; JobNotFound otherwise."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.slot.locksmith_id != locksmith_id:
        raise JobNotFound()
    return appointment


def _open_job(session, appointment_id, locksmith_id, now: datetime, tz: ZoneInfo) -> Appointment:
    appointment = job_for(session, appointment_id, locksmith_id)
    if appointment.status != "booked":
        raise JobClosed()
    if appointment.slot.local_date > now.astimezone(tz).date():
        raise JobNotDue()
    return appointment


def complete_job(
    session,
    appointment_id: int,
    *,
    locksmith_id: int,
    serial: str,
    public_key_text: str,
    checklist: set[str],
    now: datetime,
    actor: Actor,
    tz: ZoneInfo,
) -> JobReport:
    """Register the fitted lock unit, close the job, and mark the citizen fitted (commits).

    Raises InvalidLockKey / DuplicateLockUnit from the lock-unit registry unchanged.
    """
    appointment = _open_job(session, appointment_id, locksmith_id, now, tz)
    if set(CHECKLIST) - set(checklist):
        raise ChecklistIncomplete()
    unit = register_lock_unit(
        session,
        serial=serial,
        public_key_text=public_key_text,
        kind="door",
        citizen_id=appointment.citizen_id,
        now=now,
        actor=actor,
    )
    report = JobReport(
        appointment_id=appointment.id,
        outcome="completed",
        lock_unit_id=unit.id,
        checklist=",".join(CHECKLIST),
        reported_at=now,
        reported_by=locksmith_id,
    )
    return _close(session, appointment, report, "completed", lifecycle.fitted, now, actor)


def fail_job(
    session,
    appointment_id: int,
    *,
    locksmith_id: int,
    reason: str,
    note: str | None,
    now: datetime,
    actor: Actor,
    tz: ZoneInfo,
) -> JobReport:
    """Close the job as failed; the citizen goes on the coordinator's follow-up list (commits)."""
    appointment = _open_job(session, appointment_id, locksmith_id, now, tz)
    note = (note or "").strip()[:500] or None
    if reason not in FAIL_REASONS or (reason == "other" and not note):
        raise ReasonMissing()
    report = JobReport(
        appointment_id=appointment.id,
        outcome="failed",
        reason=reason,
        note=note,
        reported_at=now,
        reported_by=locksmith_id,
    )
    return _close(session, appointment, report, "failed", lifecycle.fitting_failed, now, actor)


def _close(session, appointment, report, outcome, citizen_event, now, actor) -> JobReport:
    session.add(report)
    appointment.status = outcome
    citizen_event(appointment.citizen)
    try:
        session.flush()
    except IntegrityError:  # a second report for the same job (double submit)
        session.rollback()
        raise JobClosed() from None
    record(
        session,
        actor,
        f"job_{outcome}",
        now=now,
        object_type="appointment",
        object_id=appointment.id,
        data={
            "citizen": appointment.citizen_id,
            "reason": report.reason,
            "lock_unit": report.lock_unit_id,
        },
    )
    session.commit()
    return report
