"""The booking as a calendar file (RFC 5545) via icalendar."""

from datetime import datetime

from icalendar import Calendar, Event


def calendar_file(
    appointment, *, summary: str, description: str, location: str, host: str, now: datetime
) -> bytes:
    """One VEVENT for the fitting; the UID stays the same when the time is moved."""
    cal = Calendar()
    cal.add("prodid", "-//Keyless Care Portal//booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.reference}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", location)
    changed = appointment.changed_at or appointment.booked_at
    event.add("sequence", int(changed.timestamp()) % 2_000_000_000)
    cal.add_component(event)
    return cal.to_ical()
