"""The booking as a calendar file (RFC 5545) via icalendar; a cancellation as RFC 5546 CANCEL."""

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress


def sequence(appointment) -> int:
    """A small SEQUENCE that grows by one with every change: 0 booked, 1 moved, 2 cancelled..."""
    return appointment.sequence or 0


def calendar_file(
    appointment,
    *,
    summary: str,
    description: str,
    location: str,
    host: str,
    now: datetime,
    tz: str = "Europe/Copenhagen",
    organizer: tuple[str, str | None] | None = None,
) -> bytes:
    """One VEVENT for the fitting; the UID stays the same when the time is moved or cancelled.

    An open fitting is published (METHOD:PUBLISH, STATUS:CONFIRMED). A cancelled one is the
    organiser's cancellation of that published event (RFC 5546 3.2.1 and 3.2.5): METHOD:CANCEL,
    STATUS:CANCELLED, the same UID and a higher SEQUENCE, so a calendar that imported the
    booking removes it or marks it cancelled. organizer: (name, email) of the municipality,
    which RFC 5546 requires in both methods. Start and end carry TZID=tz (the municipality's
    zone) with its VTIMEZONE, so a phone abroad still shows the fitting at the local time.
    """
    cancelled = appointment.status == "cancelled"
    cal = Calendar()
    cal.add("prodid", "-//Keyless Care Portal//booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.reference}@{host}")
    event.add("dtstamp", now)
    zone = ZoneInfo(tz)
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    event.add("dtend", appointment.ends_at.astimezone(zone))
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
    cal.add_missing_timezones()
    return cal.to_ical()
