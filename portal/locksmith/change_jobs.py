"""Relocation and removal jobs, made when the register says a citizen moves or leaves.

Receivers of `portal.citizens.signals.citizen_relocating` / `citizen_leaving` (connected in
init_app). They run in the sender's transaction and return what came of it, so the sender can
say so: the new `Job`, or `NoJob(reason)`:

- "no_unit": the citizen has no fitted door unit (never fitted, or a fitting still to come):
  no job, only the data change. An open fitting job not from a booking is cancelled (leaving)
  or sent to the new address, `to_address` (moving); a booked fitting follows its booking, which the sender
  moves or cancels through booking.
- "unit_gone": the unit was removed already (a removal job is done, or the unit is no longer
  fitted): nothing to restore.

A second signal for the same unit replaces the open change job (a move, then care ends: the
removal job replaces the relocation; the same leaving twice keeps the one removal job).
"""

from dataclasses import dataclass

from sqlalchemy import select

from portal.access.models import LockUnit
from portal.audit.services import record
from portal.locksmith.models import LEAVE_REASONS, OPEN_STATUSES, Job, JobKind, JobStatus
from portal.locksmith.services import address_of, cancel_job, create_job

CHANGE_KINDS = (JobKind.RELOCATION, JobKind.REMOVAL)


@dataclass(frozen=True)
class NoJob:
    """No job was made, and why ("no_unit" or "unit_gone")."""

    reason: str


def fitted_door_unit(session, citizen_id: int) -> LockUnit | None:
    """The citizen's fitted door unit, if any."""
    return session.scalar(
        select(LockUnit)
        .where(
            LockUnit.citizen_id == citizen_id,
            LockUnit.kind == "door",
            LockUnit.state == "fitted",
        )
        .order_by(LockUnit.id.desc())
    )


def _gone(session, citizen_id: int) -> bool:
    removed = select(Job.id).where(
        Job.citizen_id == citizen_id, Job.kind == JobKind.REMOVAL, Job.status == JobStatus.DONE
    )
    off_door = select(LockUnit.id).where(
        LockUnit.citizen_id == citizen_id, LockUnit.state != "fitted"
    )
    return session.scalar(removed.limit(1)) is not None or (
        session.scalar(off_door.limit(1)) is not None
    )


def _open_jobs(session, citizen_id: int, kinds) -> list[Job]:
    return list(
        session.scalars(
            select(Job)
            .where(Job.citizen_id == citizen_id, Job.kind.in_(kinds), Job.status.in_(OPEN_STATUSES))
            .order_by(Job.id)
        )
    )


def _no_job(session, citizen, reason: str, event: str, *, now, actor) -> NoJob:
    gone = "unit_gone" if _gone(session, citizen.id) else "no_unit"
    data = {"event": event, "why": gone, "reason": reason}
    record(
        session,
        actor,
        "change_job.none",
        now=now,
        object_type="citizen",
        object_id=citizen.id,
        data=data,
    )
    return NoJob(gone)


def _adapt_fittings(session, citizen, *, leaving: bool, now, actor, to_address=None) -> None:
    for job in _open_jobs(session, citizen.id, (JobKind.FITTING,)):
        if job.appointment_id is not None:
            continue  # a booked fitting follows its booking
        if leaving:
            cancel_job(session, job, now=now, actor=actor, note="citizen leaving")
        else:
            job.address = (to_address or address_of(citizen))[:330]
            session.flush()
            record(
                session,
                actor,
                "job_moved",
                now=now,
                object_type="job",
                object_id=job.id,
                data={"address": job.address},
            )


def on_citizen_relocating(session, *, citizen, from_address, to_address, on, now, actor, **_extra):
    """A relocation job: restore the door at from_address, fit the same unit at to_address."""
    _adapt_fittings(session, citizen, leaving=False, now=now, actor=actor, to_address=to_address)
    unit = fitted_door_unit(session, citizen.id)
    if unit is None:
        return _no_job(session, citizen, "moving", "relocating", now=now, actor=actor)
    restore_at = (from_address or "").strip()[:330]
    for old in _open_jobs(session, citizen.id, CHANGE_KINDS):
        restore_at = old.address  # a job not done yet: the unit is still on that door
        cancel_job(session, old, now=now, actor=actor, note="replaced by a new relocation")
    job = create_job(
        session,
        JobKind.RELOCATION,
        now=now,
        actor=actor,
        citizen_id=citizen.id,
        lock_unit_id=unit.id,
        audit=False,
    )
    job.address = restore_at or job.address
    job.destination, job.effective_on = (to_address or "").strip()[:330] or None, on
    session.flush()
    _created(session, job, now=now, actor=actor)
    return job


def on_citizen_leaving(session, *, citizen, reason, on, now, actor, estate_contact=None, **_extra):
    """A removal job: door restored, parts and keys returned (estate contact for a death)."""
    _adapt_fittings(session, citizen, leaving=True, now=now, actor=actor)
    reason = reason if reason in LEAVE_REASONS else "care_ended"
    unit = fitted_door_unit(session, citizen.id)
    if unit is None:
        return _no_job(session, citizen, reason, "leaving", now=now, actor=actor)
    address = None
    for old in _open_jobs(session, citizen.id, CHANGE_KINDS):
        if old.kind == JobKind.REMOVAL:  # the same leaving twice: one removal job
            _describe_leaving(old, reason, on, estate_contact)
            session.flush()
            data = {"reason": reason, "on": str(on)}
            record(
                session,
                actor,
                "job_updated",
                now=now,
                object_type="job",
                object_id=old.id,
                data=data,
            )
            return old
        address = old.address  # a move not done yet: the unit is still at the old home
        cancel_job(session, old, now=now, actor=actor, note="replaced by a removal")
    job = create_job(
        session,
        JobKind.REMOVAL,
        now=now,
        actor=actor,
        citizen_id=citizen.id,
        lock_unit_id=unit.id,
        audit=False,
    )
    job.address = address or job.address
    _describe_leaving(job, reason, on, estate_contact)
    session.flush()
    _created(session, job, now=now, actor=actor)
    return job


def _describe_leaving(job: Job, reason: str, on, estate_contact) -> None:
    job.leave_reason, job.effective_on = reason, on
    contact = (estate_contact or "").strip()[:300] or None
    job.estate_contact = contact if reason == "deceased" else None


def _created(session, job: Job, *, now, actor) -> None:
    data = {"kind": job.kind, "lock_unit": job.lock_unit_id, "on": str(job.effective_on)}
    record(session, actor, "job_created", now=now, object_type="job", object_id=job.id, data=data)


def cancel_change_jobs(session, citizen_id: int, on, *, now, actor, note: str) -> list[Job]:
    """Cancel the citizen's open relocation and removal jobs for the change on `on` (the
    change behind them was cancelled); returns them."""
    jobs = [j for j in _open_jobs(session, citizen_id, CHANGE_KINDS) if j.effective_on == on]
    for job in jobs:
        cancel_job(session, job, now=now, actor=actor, note=note)
    return jobs
