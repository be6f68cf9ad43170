"""The calendar file: local time with TZID and a VTIMEZONE, and a small SEQUENCE counter."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from icalendar import Calendar

from portal.audit.services import SYSTEM
from portal.booking import services
from portal.booking.ics import calendar_file
from tests.booking.support import make_world
from tests.factories import NOW

KWARGS = {
    "summary": "Fitting",
    "description": "Ref",
    "location": "Storgatan 1",
    "host": "portal.example",
    "now": datetime(2026, 11, 2, 9, tzinfo=UTC),
}


def _appointment(**extra):
    starts = datetime(2026, 6, 20, 7, 0, tzinfo=UTC)  # 09:00 in Stockholm (summer time)
    values = dict(
        reference="KF-ABCD-EFGH",
        status="booked",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        booked_at=starts - timedelta(days=10),
        changed_at=None,
        cancelled_at=None,
        sequence=0,
    )
    return SimpleNamespace(**(values | extra))


def test_the_start_is_local_time_with_tzid_and_a_vtimezone():
    body = calendar_file(_appointment(), tz="Europe/Stockholm", **KWARGS).decode()
    assert "DTSTART;TZID=Europe/Stockholm:20260620T090000" in body
    assert "DTEND;TZID=Europe/Stockholm:20260620T094500" in body
    assert "BEGIN:VTIMEZONE" in body and "TZID:Europe/Stockholm" in body
    cal = Calendar.from_ical(body)
    event = next(c for c in cal.walk("VEVENT"))
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 6, 20, 7, tzinfo=UTC)


def test_the_sequence_is_a_small_counter_that_grows_with_each_change(db, clock):
    world = make_world(db)
    slots = world.slots(db)
    citizen = world.citizens[0]
    booked = services.book_slot(db, citizen.id, slots[0].id, now=NOW, actor=SYSTEM)
    assert booked.sequence == 0
    services.rebook(db, booked.id, slots[1].id, now=NOW, actor=SYSTEM)
    assert booked.sequence == 1
    services.cancel(db, booked.id, now=NOW, actor=SYSTEM)
    assert booked.sequence == 2
    body = calendar_file(booked, **KWARGS).decode()
    assert "SEQUENCE:2" in body
