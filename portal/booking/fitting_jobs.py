"""A booking's fitting job: made with the booking, moved with it, cancelled with it; and the
appointment follows the job's result. Booking calls locksmith, never the other way round."""

from portal.booking.models import Appointment, Slot
from portal.locksmith import services as jobs
from portal.locksmith.models import JobKind, JobStatus

# Appointment kinds (as booked) and the locksmith job each one becomes.
KINDS = {
    "install": JobKind.FITTING,
    "remove": JobKind.REMOVAL,
    "relocate": JobKind.RELOCATION,
    "battery": JobKind.BATTERY,
    "entrance": JobKind.ENTRANCE_UNIT,
}
OUTCOMES = {JobStatus.DONE: "completed", JobStatus.FAILED: "failed"}


def _plan(slot: Slot) -> dict:
    return {
        "locksmith_id": slot.locksmith_id,
        "day": slot.local_date,
        "window": (slot.starts_at, slot.ends_at),
    }


def make_job(session, appointment: Appointment, slot: Slot, *, now, actor):
    """The job for a new booking, planned in its slot (the booking's audit record names it)."""
    return jobs.create_job(
        session,
        KINDS.get(appointment.kind, JobKind.FITTING),
        now=now,
        actor=actor,
        citizen_id=appointment.citizen_id,
        appointment_id=appointment.id,
        audit=False,
        **_plan(slot),
    )


def move_job(session, appointment: Appointment, slot: Slot, *, now, actor) -> None:
    """The booking moved: its job goes to the new slot's locksmith, day and time."""
    job = jobs.job_of_appointment(session, appointment.id)
    if job is not None and job.is_open:
        jobs.move_to_slot(session, job, now=now, actor=actor, **_plan(slot))


def cancel_job(session, appointment: Appointment, *, now, actor) -> None:
    """The booking is cancelled: so is its job."""
    job = jobs.job_of_appointment(session, appointment.id)
    if job is not None and job.is_open:
        jobs.cancel_job(session, job, now=now, actor=actor)


def on_job_closed(session, *, job, **_extra) -> None:
    """Receiver of locksmith's job_closed: the booked appointment is completed or failed."""
    if job.appointment_id is None or job.status not in OUTCOMES:
        return
    appointment = session.get(Appointment, job.appointment_id)
    if appointment is not None and appointment.status == "booked":
        appointment.status = OUTCOMES[job.status]
