"""Booking rules: book, rebook and cancel a fitting. The database decides who gets a slot."""

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload

from portal.audit.services import SYSTEM, Actor, record
from portal.booking.models import Appointment, Slot
from portal.booking.words import door_password
from portal.citizens import lifecycle
from portal.citizens.letter_codes import ALPHABET
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen

DEFAULT_CUTOFF = timedelta(hours=24)
OPENERS = ("self", "relative", "home_care")
_RETRIES = 3


class BookingError(Exception):
    """Base class of the booking domain errors."""


class SlotUnavailable(BookingError):
    """The slot is taken, withdrawn, too soon, or not in the citizen's district."""


class AlreadyBooked(BookingError):
    """The citizen already has an open booking: change that one instead."""


class NotBookable(BookingError):
    """The citizen cannot book (no longer active, or the lock is already fitted)."""


class TooLate(BookingError):
    """The appointment is inside the cut-off: only the municipality can change it now."""


class NoSuchAppointment(BookingError):
    """No open booking with that id."""


@dataclass
class AccessDetails:
    """What the locksmith needs to get in: who opens, whom to call, codes, interpreter, notes."""

    opener: str = "self"
    call_phone: str | None = None
    door_code: str | None = None
    interpreter: bool = False
    interpreter_language: str | None = None
    note: str | None = None

    @classmethod
    def from_dict(cls, data: dict | None) -> "AccessDetails":
        """Build from a plain dict (as kept in the session), ignoring unknown keys."""
        data = data or {}
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__ if k in data})

    @classmethod
    def of(cls, appointment: Appointment) -> "AccessDetails":
        """The details stored on an appointment."""
        return cls(**{k: getattr(appointment, k) for k in cls.__dataclass_fields__})

    def to_dict(self) -> dict:
        """A plain dict for the session."""
        return asdict(self)

    def apply(self, appointment: Appointment) -> None:
        """Copy onto an appointment (an unknown opener becomes "self")."""
        appointment.opener = self.opener if self.opener in OPENERS else "self"
        appointment.call_phone = self.call_phone or None
        appointment.door_code = (self.door_code or "").strip()[:40] or None
        appointment.interpreter = bool(self.interpreter)
        language = (self.interpreter_language or "").strip()[:60]
        appointment.interpreter_language = language if self.interpreter and language else None
        appointment.note = (self.note or "").strip()[:500] or None


def new_reference(rng=None) -> str:
    """A booking reference such as "KF-7QX2-M4PD" (no look-alike characters)."""
    rng = rng or secrets.SystemRandom()
    body = "".join(rng.choice(ALPHABET) for _ in range(8))
    return f"KF-{body[:4]}-{body[4:]}"


def _retryable(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01") or "database is locked" in str(exc.orig)


def _with_retries(session, func):
    for attempt in range(_RETRIES):
        try:
            return func()
        except OperationalError as exc:
            session.rollback()
            if attempt == _RETRIES - 1 or not _retryable(exc):
                raise
    raise AssertionError("unreachable")


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


def _notify(session, appointment: Appointment, kind: str, now: datetime):
    from portal.booking.emails import queue_for_appointment

    return queue_for_appointment(session, appointment, kind, now=now)


def _commit(session, message) -> None:
    from portal.notify.tasks import kick

    session.commit()
    if message is not None:
        kick()


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
    return _with_retries(
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
    return _with_retries(
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
    if not found:
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
    record(
        session,
        actor,
        "appointment_booked",
        now=now,
        object_type="appointment",
        object_id=appointment.id,
        data={"citizen": citizen.id, "slot": slot_id, "reference": appointment.reference},
    )
    _commit(session, _notify(session, appointment, "booked", now))
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
    return _with_retries(
        session, lambda: _rebook(session, appointment_id, slot_id, now, actor, details, cutoff)
    )


def _rebook(session, appointment_id, slot_id, now, actor, details, cutoff) -> Appointment:
    appointment = open_or_raise(session, appointment_id)
    if not may_change(appointment, now, cutoff):
        raise TooLate()
    old_slot = appointment.slot
    slot = session.get(Slot, slot_id)
    if slot is not None and slot.id == old_slot.id:
        if details is not None:
            details.apply(appointment)
            appointment.changed_at = now
            record(
                session,
                actor,
                "appointment_details_changed",
                now=now,
                object_type="appointment",
                object_id=appointment.id,
            )
            session.commit()
        return appointment
    _check_slot(slot, appointment.citizen, now + (cutoff or timedelta(0)))
    appointment.slot = slot
    appointment.changed_at = now
    if details is not None:
        details.apply(appointment)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise SlotUnavailable() from None
    record(
        session,
        actor,
        "appointment_moved",
        now=now,
        object_type="appointment",
        object_id=appointment.id,
        data={"from_slot": old_slot.id, "to_slot": slot.id},
    )
    _commit(session, _notify(session, appointment, "changed", now))
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
    lifecycle.booking_cancelled(appointment.citizen, appointment.previous_status)
    record(
        session,
        actor,
        "appointment_cancelled",
        now=now,
        object_type="appointment",
        object_id=appointment.id,
        data={"slot": appointment.slot_id},
    )
    _commit(session, _notify(session, appointment, "cancelled", now))
    return appointment
