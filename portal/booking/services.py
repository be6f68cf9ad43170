"""Booking rules: book, rebook and cancel a fitting. The database decides who gets a slot.

Services flush and never commit: the view or command commits once, and the booking's fitting
job, audit record and e-mail go with it. A lost race (IntegrityError) or a locked database
rolls the session back before the error is raised, so a booking starts its unit of work.
The errors they raise are named in `portal.booking.errors`.
"""

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.audit.services import SYSTEM, Actor, record
from portal.booking import fitting_jobs
from portal.booking.details import AccessDetails, new_reference
from portal.booking.errors import (
    AlreadyBooked,
    BookingClosed,
    NoSuchAppointment,
    NotBookable,
    SlotUnavailable,
    TooLate,
)
from portal.booking.models import Appointment, Slot
from portal.booking.words import door_password
from portal.citizens import closures, lifecycle
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.unit_of_work import after_commit, with_retries

DEFAULT_CUTOFF = timedelta(hours=24)


@cache
def _open_booking_statement():
    return select(Appointment).where(
        Appointment.citizen_id == bindparam("citizen"), Appointment.status == "booked"
    )


def open_booking(session, citizen_id: int) -> Appointment | None:
    """The citizen's open (booked, not yet done) appointment."""
    return session.scalar(_open_booking_statement(), {"citizen": citizen_id})


def _check_slot(slot: Slot | None, citizen: Citizen, not_before: datetime) -> Slot:
    if (
        slot is None
        or slot.status != "published"
        or slot.campaign.status != "running"
        or slot.campaign.district_id != citizen.district_id
        or slot.starts_at < not_before
    ):
        raise SlotUnavailable()
    return slot


def _notify(session, appointment: Appointment, kind: str, now: datetime) -> None:
    """Queue the e-mail in this unit of work; wake the mail consumer once it is committed."""
    from portal.booking.emails import queue_for_appointment
    from portal.notify.tasks import kick

    if queue_for_appointment(session, appointment, kind, now=now) is not None:
        after_commit(session, kick)


def book_slot(
    session,
    citizen_id: int,
    slot_id: int,
    *,
    now: datetime,
    actor: Actor | None = None,
    details: AccessDetails | None = None,
    cutoff: timedelta = DEFAULT_CUTOFF,
    rng=None,
) -> Appointment:
    """Book a slot for a citizen; raise SlotUnavailable when somebody else got it first."""
    return with_retries(
        session,
        lambda: _book(session, citizen_id, slot_id, now, actor or SYSTEM, details, cutoff, rng),
    )


def book_found_slot(
    session,
    citizen_id: int,
    slot_id: int,
    *,
    now: datetime,
    actor: Actor | None = None,
    details: AccessDetails | None = None,
    cutoff: timedelta = DEFAULT_CUTOFF,
) -> Appointment:
    """book_slot for a slot the caller has just found free for this citizen.

    The caller's query asked the same questions as book_slot's checks (published, running
    campaign in the citizen's district, after the cut-off, not taken), so the slot is not
    loaded and checked a second time. As in book_slot, the partial unique index decides who
    gets it when two people book at once.
    """
    return with_retries(
        session,
        lambda: _book(
            session, citizen_id, slot_id, now, actor or SYSTEM, details, cutoff, None, found=True
        ),
    )


def _may_book(status) -> bool:
    # A second booking is not refused here: the partial unique index does that (AlreadyBooked).
    return status == CitizenStatus.BOOKED or lifecycle.allowed("booked", status)


def _enter_booked(citizen) -> CitizenStatus:
    """Mark the citizen booked; return where a cancelled booking takes them back to."""
    if citizen.status == CitizenStatus.BOOKED:
        return CitizenStatus.REGISTERED
    return lifecycle.booked(citizen)


def _book(session, citizen_id, slot_id, now, actor, details, cutoff, rng, found=False):
    citizen = session.get(Citizen, citizen_id)
    if citizen is None or not _may_book(citizen.status):
        raise NotBookable()
    if closures.closure(session, citizen_id) is not None:
        raise BookingClosed()
    if found:  # loaded by the caller's query: the identity map answers, no SELECT
        slot = session.get(Slot, slot_id)
    else:
        slot = session.get(Slot, slot_id, options=[joinedload(Slot.campaign)])
        slot_id = _check_slot(slot, citizen, now + cutoff).id
    # No read-then-write check for an open booking: the partial unique index decides at the
    # flush below (and a lost race is told apart from a taken slot after the rollback).
    came_from = _enter_booked(citizen)  # written in the same flush; a lost race rolls both back
    appointment = Appointment(
        reference=new_reference(rng),
        citizen_id=citizen.id,
        slot_id=slot_id,
        status="booked",
        previous_status=came_from,
        door_password=door_password(citizen.language, rng),
        booked_at=now,
        booked_by=actor.describe(),
    )
    (details or AccessDetails(call_phone=citizen.phone)).apply(appointment)
    session.add(appointment)
    try:
        session.flush()  # the partial unique indexes decide here, before anything else is written
    except IntegrityError:
        session.rollback()
        if open_booking(session, citizen_id) is not None:
            raise AlreadyBooked() from None
        raise SlotUnavailable() from None
    job = fitting_jobs.make_job(session, appointment, slot, now=now, actor=actor)
    record(
        session,
        actor,
        "appointment_booked",
        now=now,
        object_type="appointment",
        object_id=appointment.id,
        data={
            "citizen": citizen.id,
            "slot": slot_id,
            "reference": appointment.reference,
            "job": job.id,
        },
    )
    _notify(session, appointment, "booked", now)
    return appointment


def open_or_raise(session, appointment_id: int) -> Appointment:
    """The open appointment with that id, or NoSuchAppointment."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.status != "booked":
        raise NoSuchAppointment()
    return appointment


def may_change(appointment: Appointment, now: datetime, cutoff: timedelta | None) -> bool:
    """True while the appointment is still before the cut-off (None: no cut-off)."""
    return before_cutoff(appointment.slot.starts_at, now, cutoff)


def before_cutoff(starts_at: datetime, now: datetime, cutoff: timedelta | None) -> bool:
    """True while a fitting starting then may still be changed by the citizen."""
    return cutoff is None or starts_at >= now + cutoff


def rebook(
    session,
    appointment_id: int,
    slot_id: int,
    *,
    now: datetime,
    actor: Actor,
    details: AccessDetails | None = None,
    cutoff: timedelta | None = DEFAULT_CUTOFF,
) -> Appointment:
    """Move a booking to another slot in one UPDATE: never two bookings, never none."""
    return with_retries(
        session, lambda: _rebook(session, appointment_id, slot_id, now, actor, details, cutoff)
    )


def _rebook(session, appointment_id, slot_id, now, actor, details, cutoff) -> Appointment:
    appointment = open_or_raise(session, appointment_id)
    if not may_change(appointment, now, cutoff):
        raise TooLate()
    if closures.closure(session, appointment.citizen_id) is not None:
        raise BookingClosed()
    old_slot = appointment.slot
    slot = session.get(Slot, slot_id)
    if slot is not None and slot.id == old_slot.id:
        if details is not None:
            details.apply(appointment)
            appointment.changed_at = now
            appointment.sequence = (appointment.sequence or 0) + 1
            record(
                session,
                actor,
                "appointment_details_changed",
                now=now,
                object_type="appointment",
                object_id=appointment.id,
            )
        return appointment
    _check_slot(slot, appointment.citizen, now + (cutoff or timedelta(0)))
    appointment.slot = slot
    appointment.changed_at = now
    appointment.sequence = (appointment.sequence or 0) + 1
    if details is not None:
        details.apply(appointment)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise SlotUnavailable() from None
    fitting_jobs.move_job(session, appointment, slot, now=now, actor=actor)
    record(
        session,
        actor,
        "appointment_moved",
        now=now,
        object_type="appointment",
        object_id=appointment.id,
        data={"from_slot": old_slot.id, "to_slot": slot.id},
    )
    _notify(session, appointment, "changed", now)
    return appointment


def cancel(
    session,
    appointment_id: int,
    *,
    now: datetime,
    actor: Actor,
    cutoff: timedelta | None = DEFAULT_CUTOFF,
) -> Appointment:
    """Cancel an open booking; the citizen's status goes back to what it was before."""
    appointment = open_or_raise(session, appointment_id)
    if not may_change(appointment, now, cutoff):
        raise TooLate()
    appointment.status = "cancelled"
    appointment.cancelled_at = now
    appointment.sequence = (appointment.sequence or 0) + 1
    lifecycle.booking_cancelled(appointment.citizen, appointment.previous_status)
    fitting_jobs.cancel_job(session, appointment, now=now, actor=actor)
    record(
        session,
        actor,
        "appointment_cancelled",
        now=now,
        object_type="appointment",
        object_id=appointment.id,
        data={"slot": appointment.slot_id},
    )
    _notify(session, appointment, "cancelled", now)
    return appointment
