"""A locksmith completes a relocation or a removal: checklist, parts, keys, optional photo.

Relocation: the old door is restored and the same unit is fitted at the citizen's new home
(inventory "move"; the citizen is fitted again). Removal: the door is restored, the unit goes
off the door (inventory "remove": no place, no door rights), the original parts are returned,
and the physical keys the provider kept are handed back and signed for by name; the citizen's
door is restored in the lifecycle. Failing such a job is `completion.fail_job`, as for any job.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from portal.access import inventory
from portal.access.models import PARTS_PLACES
from portal.audit.services import Actor, record
from portal.citizens import lifecycle
from portal.locksmith import photos
from portal.locksmith.change_jobs import fitted_door_unit
from portal.locksmith.completion import _close, _note, open_job
from portal.locksmith.models import Job, JobKind, JobStatus
from portal.locksmith.registry import keys_held
from portal.locksmith.services import ChecklistIncomplete, JobError, JobNotFound
from portal.locksmith.signals import removal_done

RELOCATION_CHECKLIST = ("door_restored", "parts_returned", "unit_fitted", "turns_both_ways")
REMOVAL_CHECKLIST = ("door_restored", "parts_returned")
KEYS_ITEM = "keys_returned"


class UnitGone(JobError):
    """The job's unit is no longer fitted at this citizen's door (removed or moved already)."""


class SignatureMissing(JobError):
    """Keys were handed back: the name of the person who took them is needed."""


class PartsPlaceMissing(JobError):
    """A relocation says where the new door's original parts are kept (home or depot)."""


def checklist_for(session, job: Job) -> tuple[str, ...]:
    """The points to tick for this job (the keys only when the provider holds some)."""
    if job.kind == JobKind.RELOCATION:
        return RELOCATION_CHECKLIST
    return REMOVAL_CHECKLIST + ((KEYS_ITEM,) if keys_held(session, job.citizen_id) else ())


def _event(event, citizen, session, actor, now) -> None:
    """Move the citizen on; a status the event does not fit is logged, never forced."""
    try:
        event(citizen)
    except lifecycle.IllegalTransition as exc:
        record(
            session,
            actor,
            "lifecycle.skipped",
            now=now,
            object_type="citizen",
            object_id=citizen.id,
            data={"event": event.__name__, "error": str(exc)},
        )


def complete_change(
    session,
    job_id: int,
    *,
    locksmith_id: int,
    checklist: set[str],
    signed_by: str | None = None,
    parts_stored: str | None = None,
    note: str | None = None,
    photo: bytes | None = None,
    now: datetime,
    actor: Actor,
    tz: ZoneInfo,
) -> Job:
    """Close a relocation or removal job done (see the module docstring)."""
    job = open_job(session, job_id, locksmith_id, now, tz)
    if job.kind not in (JobKind.RELOCATION, JobKind.REMOVAL):
        raise JobNotFound()
    needed = checklist_for(session, job)
    if set(needed) - set(checklist):
        raise ChecklistIncomplete()
    signed_by = (signed_by or "").strip()[:200] or None
    if KEYS_ITEM in needed and signed_by is None:
        raise SignatureMissing()
    if job.kind == JobKind.RELOCATION and parts_stored not in PARTS_PLACES[:2]:
        raise PartsPlaceMissing()
    unit = job.lock_unit
    if unit is None and job.citizen_id is not None:  # a coordinator's job named the citizen
        unit = fitted_door_unit(session, job.citizen_id)
        job.lock_unit_id = unit.id if unit is not None else None
    if unit is None or unit.state != "fitted" or unit.citizen_id != job.citizen_id:
        raise UnitGone()
    if photo:
        photos.store(session, job, photo, now=now, uploader_id=locksmith_id)
    if job.kind == JobKind.RELOCATION:
        inventory.move(
            session, unit, place=job.destination, now=now, actor=actor, note=f"from {job.address}"
        )
        unit.parts_stored = parts_stored
        if job.citizen is not None:
            _event(lifecycle.fitted, job.citizen, session, actor, now)
    else:
        inventory.remove(session, unit, now=now, actor=actor, note=f"from {job.address}")
        unit.parts_stored = "returned"
        job.signed_by = signed_by
        if job.citizen is not None:
            _event(lifecycle.door_restored, job.citizen, session, actor, now)
    job.checklist, job.note = ",".join(needed), _note(note)
    _close(session, job, JobStatus.DONE, locksmith_id, now, actor)
    if job.kind == JobKind.REMOVAL:
        removal_done.send(session, job=job, signed_by=signed_by, now=now, actor=actor)
    return job
