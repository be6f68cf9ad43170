"""Bad input on every new form: empty, huge, wrong types, script and SQL. Never a 500."""

from datetime import timedelta

import pytest

from portal.booking import services
from portal.locksmith.services import job_of_appointment
from tests.booking.support import make_world
from tests.factories import NOW, make_user
from tests.helpers import sign_in_citizen, sign_in_staff

BAD = [
    "",
    " ",
    "x" * 10_000,
    "<script>alert('x')</script>",
    "'; DROP TABLE appointment; --",
    "1e309",
    "-1",
    "0",
    "nul\x00byte",
    "２０２６-１１-２４",
    "9" * 40,
    "[]",
    "{}",
]
SCRIPT = "<script>alert('x')</script>"


def _check(response, allowed=(200, 303)):
    body = response.get_data(as_text=True)
    assert response.status_code in allowed, (response.status_code, body[:500])
    assert SCRIPT not in body


@pytest.fixture
def world(db, clock):
    world = make_world(db, citizens=2)
    world.extra["coordinator"] = make_user(db, "coordinator")
    db.commit()
    slot = world.slots(db)[0]
    world.extra["booked"] = services.book_slot(
        db, world.citizens[1].id, slot.id, now=NOW, cutoff=timedelta(0)
    )
    return world


def test_citizen_questions_refuse_bad_input(client, world, clock):
    sign_in_citizen(client, world.citizens[0])
    client.get("/citizen/booking/day?start=new")
    for value in BAD:
        _check(client.post("/citizen/booking/day", data={"day": value}))
        _check(client.post("/citizen/booking/day", data={"day": [value, value]}))
    page = client.get("/citizen/booking/day").get_data(as_text=True)
    import re

    day = re.findall(r'name="day" value="([^"]+)"', page)[0]
    client.post("/citizen/booking/day", data={"day": day})
    for value in BAD:
        _check(client.post("/citizen/booking/time", data={"time": value}))
    time = re.findall(
        r'name="time" value="([^"]+)"', client.get("/citizen/booking/time").get_data(as_text=True)
    )[0]
    client.post("/citizen/booking/time", data={"time": time})
    for value in BAD:
        fields = (
            "opener",
            "call_phone",
            "door_code",
            "interpreter",
            "interpreter_language",
            "note",
        )
        _check(client.post("/citizen/booking/details", data=dict.fromkeys(fields, value)))
    response = client.post(
        "/citizen/booking/details",
        data={
            "opener": "self",
            "call_phone": "20123456",
            "interpreter": "no",
            "note": SCRIPT,
            "door_code": "'; DROP TABLE slot; --",
            "interpreter_language": "nul\x00",
        },
    )
    assert response.status_code == 303
    _check(client.get("/citizen/booking/check"))
    assert "&lt;script&gt;" in client.get("/citizen/booking/check").get_data(as_text=True)
    _check(client.post("/citizen/booking/check"))
    for value in BAD:
        _check(client.get("/citizen/booking/day?start=" + value))


def test_long_notes_keep_what_was_typed(client, world, clock):
    sign_in_citizen(client, world.citizens[0])
    import re

    page = client.get("/citizen/booking/day?start=new").get_data(as_text=True)
    client.post(
        "/citizen/booking/day", data={"day": re.findall(r'name="day" value="([^"]+)"', page)[0]}
    )
    time = re.findall(
        r'name="time" value="([^"]+)"', client.get("/citizen/booking/time").get_data(as_text=True)
    )[0]
    client.post("/citizen/booking/time", data={"time": time})
    response = client.post(
        "/citizen/booking/details",
        data={"opener": "self", "call_phone": "20123456", "interpreter": "no", "note": "n" * 501},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Skriv højst 500 tegn" in body
    assert "n" * 501 in body and "Fejl:" in body


def test_coordinator_forms_refuse_bad_input(client, world, clock):
    sign_in_staff(client, world.extra["coordinator"])
    booked, campaign = world.extra["booked"], world.campaign
    for value in BAD:
        campaign_form = dict.fromkeys(
            (
                "name",
                "district",
                "starts_on",
                "ends_on",
                "day_start",
                "day_end",
                "weekdays",
                "slot_minutes",
                "buffer_minutes",
                "open_now",
            ),
            value,
        )
        _check(client.post("/coordinator/campaigns/new", data=campaign_form))
        availability = dict.fromkeys(
            ("locksmith", "campaign", "starts_on", "ends_on", "weekdays", "day_start", "day_end"),
            value,
        )
        _check(
            client.post(f"/coordinator/campaigns/{campaign.id}/availability/new", data=availability)
        )
        _check(
            client.post(
                f"/coordinator/appointments/{booked.id}/move",
                data={f"move{booked.id}-slot": value, "day": value},
            )
        )
        _check(client.get(f"/coordinator/appointments/{booked.id}/move?day={value}"))
        _check(client.get(f"/coordinator/schedule?day={value}&campaign={value}"))
        _check(client.get(f"/coordinator/campaigns/{campaign.id}/not-booked?page={value}"))
        _check(client.post(f"/coordinator/campaigns/{campaign.id}/status", data={"status": value}))
        phone_booking = dict.fromkeys(
            (
                "citizen",
                "opener",
                "call_phone",
                "door_code",
                "interpreter",
                "interpreter_language",
                "note",
            ),
            value,
        )
        free = booked.slot_id + 1
        _check(client.post(f"/coordinator/slots/{free}/book?q={value[:200]}", data=phone_booking))
        _check(client.get(f"/coordinator/slots/{free}/book", query_string={"q": value}))


def test_campaign_form_reports_mistakes_next_to_the_fields(client, world, clock):
    sign_in_staff(client, world.extra["coordinator"])
    response = client.post(
        "/coordinator/campaigns/new",
        data={
            "name": "Bølge",
            "district": str(world.district.id),
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-01",
            "day_start": "15:00",
            "day_end": "08:00",
            "weekdays": ["0"],
            "slot_minutes": "20",
            "buffer_minutes": "10",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Arbejdsdagen skal slutte, efter den begynder" in body
    assert "Sidste dag skal være samme dag som eller efter første dag" in body
    assert 'value="Bølge"' in body


def test_locksmith_forms_refuse_bad_input(client, world, db, clock):
    smith = world.locksmiths[0]
    sign_in_staff(client, smith)
    job = job_of_appointment(db, world.extra["booked"].id).id
    for value in BAD:
        complete = {
            "serial": value,
            "public_key": value,
            "turns_both_ways": value,
            "battery_read": value,
            "door_closes": value,
            "citizen_told": value,
        }
        _check(client.post(f"/locksmith/jobs/{job}/complete", data=complete))
        _check(client.post(f"/locksmith/jobs/{job}/fail", data={"reason": value, "note": value}))
