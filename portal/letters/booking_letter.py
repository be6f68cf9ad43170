"""The booking confirmation letter: when, who comes, the door password, what happens next."""

from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date, format_time

from portal import clock
from portal.accounts.roles import actor_name
from portal.i18n import force_locale
from portal.letters import content

BOOKING_TEMPLATE = "letters/print/booking_confirmation.html"


class AppointmentNotFound(LookupError):
    """No such appointment, or it was cancelled (nothing to confirm)."""


def _appointment_model():
    from portal.booking.models import Appointment  # the booking feature owns it

    return Appointment


def get_appointment(session, appointment_id: int):
    """The appointment, unless missing or cancelled."""
    appointment = session.get(_appointment_model(), appointment_id)
    if appointment is None or getattr(appointment, "status", "booked") == "cancelled":
        raise AppointmentNotFound(appointment_id)
    return appointment


def _first_name(appointment) -> str:
    name = getattr(appointment, "locksmith_first_name", None)
    if name:
        return name
    locksmith = getattr(getattr(appointment, "slot", None), "locksmith", None)
    return (getattr(locksmith, "name", "") or "").split(" ")[0]


def _times(appointment):
    starts = getattr(appointment, "starts_at", None) or appointment.slot.starts_at
    ends = getattr(appointment, "ends_at", None) or appointment.slot.ends_at
    return starts, ends


def _booked_by_relative(appointment) -> str | None:
    """The relative's name when a relative booked on the citizen's behalf, else None."""
    booked_by = getattr(appointment, "booked_by", "") or ""
    return (actor_name(booked_by) or None) if booked_by.startswith("relative") else None


def _reminder(appointment, config) -> bool:
    from portal.booking.emails import gets_reminder  # the booking feature owns the reminders

    return gets_reminder(appointment, ZoneInfo(config["TIMEZONE"]))


def booking_context(appointment, *, config, now) -> dict:
    """Everything the confirmation letter shows, in the citizen's language."""
    citizen = appointment.citizen
    lang = content.language_of(citizen, config)
    starts, ends = _times(appointment)
    context = content.common_context(config, lang, now)
    with force_locale(lang):
        context.update(
            when_day=format_date(starts, "full"),
            when_from=format_time(starts, "short"),
            when_to=format_time(ends, "short"),
        )
    context.update(
        recipient=content.recipient_of(citizen),
        reference=getattr(appointment, "reference", None) or content.reference_of(citizen, config),
        kind=getattr(appointment, "kind", "install"),
        minutes=max(5, int((ends - starts).total_seconds() // 60)),
        locksmith_first_name=_first_name(appointment),
        door_password=getattr(appointment, "door_password", "") or "",
        portal_address=content.portal_address(config),
        booked_by_relative=_booked_by_relative(appointment),
        reminder=_reminder(appointment, config),
    )
    return context


def booking_confirmation_html(session, appointment_id: int, *, config=None, now=None, **options):
    """The confirmation letter's HTML."""
    config = config if config is not None else current_app.config
    appointment = get_appointment(session, appointment_id)
    context = booking_context(appointment, config=config, now=now or clock.now())
    return content.render_letter(BOOKING_TEMPLATE, context, **options)


def booking_confirmation_pdf(session, appointment_id: int, *, config=None, now=None) -> bytes:
    """The booking confirmation as a tagged PDF in the citizen's language."""
    config = config if config is not None else current_app.config
    html = booking_confirmation_html(session, appointment_id, config=config, now=now)
    return content.letter_pdf(html, config)
