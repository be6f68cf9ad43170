"""The coordinator's own booking actions once care is ending (a death reported): moving the
booking on the board and a phone booking (also from the follow-up list's "Book a new time")
say in words why not, naming the request, instead of a 500 or a bare "not a valid choice"
(en, da, sv)."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.booking import services as booking
from portal.booking.models import Appointment
from portal.changes import services
from tests.booking.support import make_world, options
from tests.changes.support import CITIZEN, NOW, on, policy
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.web.support import isolated_client

HTMX = {"HX-Request": "true"}
WORDS = {
    "en": "No time can be booked or moved for {name}: care is ending, as a death has been "
    "reported (request {ref}).",
    "da": "Der kan ikke bookes eller flyttes en tid for {name}: plejen slutter, da der er meldt "
    "et dødsfald (anmodning {ref}).",
    "sv": "Ingen tid kan bokas eller flyttas för {name}: omsorgen upphör, eftersom ett dödsfall "
    "har anmälts (ärende {ref}).",
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "da", "sv"])


def _text(response) -> str:
    body = response.get_data(as_text=True)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def _world(app, db, *, booked: bool):
    world = make_world(db, citizens=2, now=NOW)
    citizen = world.citizens[0]
    appointment = None
    if booked:
        slot = world.slots(db)[0]
        appointment = booking.book_slot(db, citizen.id, slot.id, now=NOW, cutoff=timedelta(0))
    return world, citizen, appointment, report_death(app, db, citizen)


def report_death(app, db, citizen, day: str = "2026-12-18"):
    """A relative reports the citizen's death (not decided yet); committed."""
    req = services.submit(
        db,
        citizen,
        "leave",
        on(day, reason="deceased", estate_contact="Ole Olsen"),
        source="relative",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )
    db.commit()
    return req


def _coordinator(app, db, language):
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return client


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(Appointment))


@LANGUAGES
def test_moving_a_booking_when_care_is_ending_says_why(app, db, clock, language):
    world, citizen, appointment, req = _world(app, db, booked=True)
    client = _coordinator(app, db, language)
    words = WORDS[language].format(name=citizen.name, ref=req.reference)
    url = f"/coordinator/appointments/{appointment.id}/move"
    page = client.get(url)
    assert page.status_code == 200 and words in _text(page)
    assert not options(page.get_data(as_text=True), f"move{appointment.id}-slot")
    assert f"/coordinator/appointments/{appointment.id}/cancel" in page.get_data(as_text=True)
    free = world.slots(db)[-1]
    for headers in ({}, HTMX):  # a form opened before the report: the POST says it too
        answer = client.post(
            url, data={f"move{appointment.id}-slot": str(free.id)}, headers=headers
        )
        assert answer.status_code == 200 and words in _text(answer)
    db.expire_all()
    assert db.get(Appointment, appointment.id).slot_id == appointment.slot_id


@LANGUAGES
def test_a_phone_booking_when_care_is_ending_says_why(app, db, clock, language):
    world, citizen, _, req = _world(app, db, booked=False)
    client = _coordinator(app, db, language)
    words = WORDS[language].format(name=citizen.name, ref=req.reference)
    slot = world.slots(db)[1]
    url = f"/coordinator/slots/{slot.id}/book"
    data = {"citizen": str(citizen.id), "opener": "self", "call_phone": "20 12 34 56"}
    answer = client.post(url, data=data | {"interpreter": "no", "door_code": "4711"})
    assert answer.status_code == 200
    text = _text(answer)
    assert words in text
    assert 'value="4711"' in answer.get_data(as_text=True)  # what was typed is kept
    assert _count(db) == 0
    # The follow-up list's "Book a new time" opens the board and the form with ?citizen=.
    board = client.get(f"/coordinator/schedule?campaign={world.campaign.id}&citizen={citizen.id}")
    assert words in _text(board)
    note = board.get_data(as_text=True).split('data-testid="booking-closed"', 1)[1]
    assert f'href="/coordinator/changes/{req.id}"' in note.split("</div>", 3)[0]  # opens it
    form = client.get(f"{url}?citizen={citizen.id}")
    assert form.status_code == 200 and words in _text(form)


def test_a_phone_booking_racing_the_report_says_why(app, db, clock, monkeypatch):
    """The citizen was still bookable when the form was read, and the report came before the
    booking service's own check."""
    world, citizen, _, req = _world(app, db, booked=False)
    client = _coordinator(app, db, "en")
    from portal.booking import for_citizen, views_phone_booking

    monkeypatch.setattr(
        views_phone_booking,
        "bookable",
        lambda district_id, value: db.get(type(citizen), int(value)),
    )
    monkeypatch.setattr(views_phone_booking, "_matches", lambda district_id, text: [citizen])
    assert for_citizen.bookable(world.district.id, citizen.id) is None  # the closure filters
    slot = world.slots(db)[1]
    data = {"citizen": str(citizen.id), "opener": "self", "call_phone": "20 12 34 56"}
    answer = client.post(f"/coordinator/slots/{slot.id}/book", data=data | {"interpreter": "no"})
    assert answer.status_code == 200
    assert WORDS["en"].format(name=citizen.name, ref=req.reference) in _text(answer)
    assert _count(db) == 0
