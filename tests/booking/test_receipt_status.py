"""The booking's own page says only what is true: an open booking has a door password, next
steps and a calendar file; a cancelled, completed or failed one has none of them. The calendar
file never carries the door password, and a cancellation is an RFC 5546 CANCEL."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from icalendar import Calendar

from portal.audit.services import SYSTEM
from portal.booking import services
from portal.booking.ics import calendar_file
from tests.booking.support import make_world
from tests.factories import NOW
from tests.helpers import sign_in_citizen

RELATIVE = {"name": "Karen Hansen", "phone": "20 30 40 50", "relation": "child"}
NEXT_STEPS = "Hvad sker der nu"
UNTIL = "indtil"


def _event(body: bytes):
    cal = Calendar.from_ical(body)
    return cal, next(iter(cal.walk("VEVENT")))


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _h1(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()


@pytest.fixture
def booked(db, clock):
    """A citizen (with an email address) booked into the first free time."""
    world = make_world(db)
    citizen = world.citizens[0]
    citizen.email = "agnes@example.org"
    db.commit()
    slot = world.slots(db)[0]
    appointment = services.book_slot(db, citizen.id, slot.id, now=NOW, cutoff=timedelta(0))
    appointment.signer = citizen  # the factory's citizen: it knows the plain letter code
    return appointment


def test_an_open_booking_shows_password_next_steps_and_calendar(db, client, booked, clock):
    sign_in_citizen(client, booked.signer)
    html = client.get(f"/citizen/booking/{booked.id}").get_data(as_text=True)
    assert booked.door_password in html and NEXT_STEPS in html and UNTIL in html
    assert f"/citizen/booking/{booked.id}/calendar.ics" in html
    assert "Vi sender dig en e-mail dagen før" in html
    assert _title(html).startswith(_h1(html) + " –") and _h1(html) == "Din montering er booket"


@pytest.mark.parametrize("status", ["cancelled", "completed", "failed"])
def test_a_closed_booking_shows_only_what_is_true(db, client, booked, status, clock):
    password = booked.door_password
    if status == "cancelled":
        services.cancel(db, booked.id, now=NOW, actor=SYSTEM, cutoff=None)
    else:
        booked.status = status
        db.commit()
    sign_in_citizen(client, booked.signer)
    html = client.get(f"/citizen/booking/{booked.id}").get_data(as_text=True)
    assert booked.reference in html
    assert password not in html and NEXT_STEPS not in html and UNTIL not in html
    assert "Sæt tiden i din kalender" not in html and "påmindelse" not in html
    assert _title(html).startswith(_h1(html) + " –")
    calendar_link = f"/citizen/booking/{booked.id}/calendar.ics" in html
    assert calendar_link == (status == "cancelled")  # only to take it out of a calendar
    printable = client.get(f"/citizen/booking/{booked.id}/print")
    assert printable.status_code == 303 and printable.location.endswith(f"/booking/{booked.id}")


def test_a_cancelled_booking_offers_a_new_time(db, client, booked, clock):
    services.cancel(db, booked.id, now=NOW, actor=SYSTEM, cutoff=None)
    sign_in_citizen(client, booked.signer)
    html = client.get(f"/citizen/booking/{booked.id}").get_data(as_text=True)
    assert _h1(html) == "Tiden er aflyst" and "Låsesmeden kommer ikke" in html
    assert "Book en ny tid" in html


def test_the_calendar_file_never_carries_the_door_password(db, client, booked, clock):
    sign_in_citizen(client, booked.signer)
    body = client.get(f"/citizen/booking/{booked.id}/calendar.ics").get_data()
    cal, event = _event(body)
    text = body.decode()
    assert booked.door_password not in text and booked.door_password.split()[1] not in text
    assert "Dørens kodeord" not in str(event["description"])
    assert booked.reference in str(event["description"])
    assert str(cal["method"]) == "PUBLISH" and str(event["status"]) == "CONFIRMED"
    # The confirmation page and the printable confirmation keep it.
    assert booked.door_password in client.get(f"/citizen/booking/{booked.id}").get_data(True)
    printable = client.get(f"/citizen/booking/{booked.id}/print").get_data(as_text=True)
    assert booked.door_password in printable


def test_the_calendar_file_of_a_cancelled_booking_cancels_the_same_event(db, client, booked, clock):
    sign_in_citizen(client, booked.signer)
    _, before = _event(client.get(f"/citizen/booking/{booked.id}/calendar.ics").get_data())
    clock.advance(timedelta(seconds=5))
    services.cancel(db, booked.id, now=clock(), actor=SYSTEM, cutoff=None)
    body = client.get(f"/citizen/booking/{booked.id}/calendar.ics").get_data()
    cal, after = _event(body)
    assert str(cal["method"]) == "CANCEL" and str(after["status"]) == "CANCELLED"
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert str(after["organizer"]).startswith("mailto:")
    assert booked.door_password not in body.decode()


def test_calendar_file_without_http():
    """RFC 5546: PUBLISH and CANCEL both name the organiser; the SEQUENCE grows with changes."""
    booked_at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    appointment = SimpleNamespace(
        reference="KF-ABCD-EFGH",
        status="booked",
        starts_at=booked_at + timedelta(days=10),
        ends_at=booked_at + timedelta(days=10, minutes=20),
        booked_at=booked_at,
        changed_at=None,
        cancelled_at=None,
        sequence=0,
    )
    kwargs = {
        "summary": "Fitting",
        "description": "Ref",
        "location": "Testvej 1",
        "host": "portal.example",
        "now": booked_at,
        "organizer": ("Demo Kommune", "hjemmepleje@demo.example"),
    }
    cal, event = _event(calendar_file(appointment, **kwargs))
    assert str(cal["method"]) == "PUBLISH" and str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:hjemmepleje@demo.example"
    assert event["organizer"].params["CN"] == "Demo Kommune"
    appointment.changed_at, appointment.sequence = booked_at + timedelta(hours=1), 1
    _, moved = _event(calendar_file(appointment, **kwargs))
    appointment.status, appointment.cancelled_at = "cancelled", booked_at + timedelta(hours=2)
    appointment.sequence = 2
    cal, cancelled = _event(calendar_file(appointment, **kwargs))
    assert str(cal["method"]) == "CANCEL" and str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == str(event["uid"]) == "KF-ABCD-EFGH@portal.example"
    assert int(event["sequence"]) < int(moved["sequence"]) < int(cancelled["sequence"])


def test_a_relative_is_told_the_reminder_goes_to_the_citizen(db, client, booked, clock):
    sign_in_citizen(client, booked.signer, relative=RELATIVE)
    html = client.get(f"/citizen/booking/{booked.id}").get_data(as_text=True)
    assert (
        f"Dagen før får {booked.citizen.name} en påmindelse på sin egen e-mail."
        " Du får ingen påmindelse." in html
    )
    assert "Vi sender dig en e-mail" not in html


def test_nobody_is_promised_an_email_when_the_citizen_has_none(db, client, booked, clock):
    booked.citizen.email = None
    db.commit()
    for relative in (None, RELATIVE):
        sign_in_citizen(client, booked.signer, relative=relative)
        html = client.get(f"/citizen/booking/{booked.id}").get_data(as_text=True)
        assert "påmindelse" not in html and "e-mail" not in html
        client.post("/sign-out")


def test_the_home_page_does_not_repeat_the_badge_word(db, client, booked, clock):
    sign_in_citizen(client, booked.signer)
    html = client.get("/citizen/").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Booket" in text and "Booket Booket" not in text
    assert f"Låsesmeden {booked.locksmith_first_name} kommer" in text


def test_the_rebook_confirmation_title_matches_its_heading(db, client, booked, clock):
    sign_in_citizen(client, booked.signer)
    html = client.get(f"/citizen/booking/{booked.id}?done=changed").get_data(as_text=True)
    assert _h1(html) == "Din tid er flyttet" and _title(html).startswith("Din tid er flyttet")
    assert "booket" not in _title(html)
