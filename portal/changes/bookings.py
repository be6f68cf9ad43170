"""A booked fitting and a change of home: a citizen who leaves keyless care has a future
fitting cancelled (through `portal.booking.services`); a move inside the municipality leaves
the booking alone, and the coordinator is warned that it is at the old address."""

from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.services import Actor, record
from portal.booking import services as booking
from portal.booking.models import Appointment
from portal.changes.models import OPEN, UNDECIDED, ChangeRequest


def cancel_future_fitting(session, req: ChangeRequest, *, now: datetime, actor: Actor):
    """Cancel the citizen's booked fitting if it is still to come (audited with the request);
    returns the cancelled appointment, or None."""
    appointment = booking.open_booking(session, req.citizen_id)
    if appointment is None or appointment.slot.starts_at <= now:
        return None
    booking.cancel(session, appointment.id, now=now, actor=actor, cutoff=None)
    session.flush()
    record(
        session,
        actor,
        "change.fitting_cancelled",
        now=now,
        object_type="change_request",
        object_id=req.id,
        data={"reference": req.reference, "appointment_id": appointment.id},
    )
    return appointment


def _leaving(req: ChangeRequest) -> bool:
    return req.kind == "leave" or (req.kind == "move" and req.inside is False)


def notes(session, req: ChangeRequest, *, now: datetime) -> list[tuple[str, str]]:
    """What the coordinator should know about the citizen's booked fitting, as (category,
    text): cancelled with this change, or booked at the old address of a move."""
    if _leaving(req) and req.status in ("approved", "done") and req.decided_at is not None:
        cancelled = session.scalar(
            select(Appointment)
            .where(
                Appointment.citizen_id == req.citizen_id,
                Appointment.status == "cancelled",
                Appointment.cancelled_at == req.decided_at,
            )
            .order_by(Appointment.id.desc())
        )
        if cancelled is not None:
            when = format_datetime(cancelled.slot.starts_at, "medium")
            text = _(
                "The fitting booked for %(when)s has been cancelled, because the citizen "
                "leaves keyless care.",
                when=when,
            )
            return [("info", text)]
    if _leaving(req) and req.status in UNDECIDED:
        booked = booking.open_booking(session, req.citizen_id)
        if booked is not None and booked.slot.starts_at > now:
            when = format_datetime(booked.slot.starts_at, "medium")
            text = _(
                "A fitting is booked for %(when)s. It is cancelled when you approve this "
                "request, so no locksmith comes after care has ended.",
                when=when,
            )
            return [("warning", text)]
    if req.kind == "move" and req.inside and req.status in OPEN:
        booked = booking.open_booking(session, req.citizen_id)
        if booked is not None and booked.slot.starts_at > now:
            when = format_datetime(booked.slot.starts_at, "medium")
            text = _(
                "A fitting is booked for %(when)s at the old address. It is not moved: "
                "rebook or cancel it with the citizen if the lock should be fitted at the "
                "new home.",
                when=when,
            )
            return [("warning", text)]
    return []
