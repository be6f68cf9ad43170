"""The booking as a calendar file (RFC 5545) via icalendar; a cancellation as RFC 5546 CANCEL."""

from datetime import datetime

from icalendar import Calendar, Event, vCalAddress


def sequence(appointment) -> int:
    """A SEQUENCE that grows with every change: booked, moved, cancelled (seconds since 1970)."""
    moments = (appointment.booked_at, appointment.changed_at, appointment.cancelled_at)
    return int(max(m for m in moments if m is not None).timestamp()) % 2_000_000_000


def calendar_file(
    appointment,
    *,
    summary: str,
    description: str,
    location: str,
    host: str,
    now: datetime,
    organizer: tuple[str, str | None] | None = None,
) -> bytes:
    """One VEVENT for the fitting; the UID stays the same when the time is moved or cancelled.

    An open fitting is published (METHOD:PUBLISH, STATUS:CONFIRMED). A cancelled one is the
    organiser's cancellation of that published event (RFC 5546 3.2.1 and 3.2.5): METHOD:CANCEL,
    STATUS:CANCELLED, the same UID and a higher SEQUENCE, so a calendar that imported the
    booking removes it or marks it cancelled. organizer: (name, email) of the municipality,
    which RFC 5546 requires in both methods.
    """
    cancelled = appointment.status == "cancelled"
    cal = Calendar()
    cal.add("prodid", "-//Keyless Care Portal//booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.reference}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", sequence(appointment))
    if organizer and organizer[1]:
        address = vCalAddress(f"mailto:{organizer[1]}")
        address.params["cn"] = organizer[0]
        event.add("organizer", address)
    cal.add_component(event)
    return cal.to_ical()
