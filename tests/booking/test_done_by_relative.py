"""The citizen's booking page says when a relative booked the fitting or last changed it (name,
"relative", day), from what the portal stores: the appointment's booked_by and the audit trail.
Nothing is said of the citizen's own bookings and changes, or of the municipality's."""

from datetime import timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import select

from portal.booking import services
from portal.booking.models import Appointment
from portal.citizens.models import Relative
from tests.booking.support import make_world, walk_to_check
from tests.booking.test_relative_wording import RELATIVE, _client, main_text
from tests.factories import make_user

NAME = "Karen Jensen"
WORDS = {
    "en": ("Booked by {name} (relative) on {date}.", "Changed by {name} (relative) on {date}."),
    "da": ("Booket af {name} (pårørende) den {date}.", "Ændret af {name} (pårørende) den {date}."),
    "sv": ("Bokad av {name} (anhörig) den {date}.", "Ändrad av {name} (anhörig) den {date}."),
}
SAID = {"en": "(relative)", "da": "(pårørende)", "sv": "(anhörig)"}


def _long_date(app, lang, moment):
    with app.test_request_context(headers={"Accept-Language": lang}):
        return format_date(moment, "long")


def _book(client):
    walk_to_check(client)
    done = client.post("/citizen/booking/check")
    assert done.status_code == 303, done.get_data(as_text=True)[:500]


def _change(client):
    assert client.get("/citizen/booking/change").status_code == 303
    walk_to_check(client, start=None, time_index=1)
    assert client.post("/citizen/booking/check").status_code == 303


def _appointment(db):
    db.expire_all()
    return db.scalar(select(Appointment).where(Appointment.status == "booked"))


@pytest.mark.parametrize("lang", ["da", "sv", "en"])
def test_the_citizen_reads_that_a_relative_booked_and_changed_the_fitting(app, db, clock, lang):
    world = make_world(db)
    citizen = world.citizens[0]
    citizen.name = NAME
    db.commit()
    relative = _client(app, citizen, lang, as_relative=True)
    _book(relative)
    own = _client(app, citizen, lang, as_relative=False)
    booked_words, changed_words = WORDS[lang]
    appointment = _appointment(db)
    booked = booked_words.format(
        name=RELATIVE["name"], date=_long_date(app, lang, appointment.booked_at)
    )
    text = main_text(own.get("/citizen/booking/"))
    assert booked in text and changed_words.split(" ")[0] not in text
    clock.advance(timedelta(minutes=10))
    _change(relative)
    appointment = _appointment(db)
    assert appointment.changed_at is not None
    changed = changed_words.format(
        name=RELATIVE["name"], date=_long_date(app, lang, appointment.changed_at)
    )
    text = main_text(own.get("/citizen/booking/"))
    assert booked in text and changed in text
    # The relative who did it reads the same lines on the citizen's behalf.
    assert changed in main_text(relative.get("/citizen/booking/"))


def test_the_citizens_own_booking_and_change_say_nothing_of_relatives(app, db, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    db.commit()
    own = _client(app, citizen, "en", as_relative=False)
    _book(own)
    text = main_text(own.get("/citizen/booking/"))
    assert "(relative)" not in text and "Booked by" not in text
    _change(own)
    assert "(relative)" not in main_text(own.get("/citizen/booking/"))


def test_a_change_by_the_citizen_after_a_relative_booked_keeps_only_the_booking_line(
    app, db, clock
):
    world = make_world(db)
    citizen = world.citizens[0]
    db.commit()
    _book(_client(app, citizen, "en", as_relative=True))
    own = _client(app, citizen, "en", as_relative=False)
    _change(own)
    text = main_text(own.get("/citizen/booking/"))
    assert f"Booked by {RELATIVE['name']} (relative) on" in text
    assert "Changed by" not in text


def test_a_booking_by_the_municipality_names_no_relative(app, db, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    coordinator = make_user(db, "coordinator")
    db.commit()
    slot = world.slots(db)[0]
    services.book_slot(db, citizen.id, slot.id, now=clock(), actor=coordinator.actor)
    db.commit()
    text = main_text(_client(app, citizen, "en", as_relative=False).get("/citizen/booking/"))
    assert "(relative)" not in text and coordinator.name not in text


def test_the_relatives_name_is_text_never_markup(app, db, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    db.commit()
    relative = _client(app, citizen, "en", as_relative=True)
    _book(relative)
    db.expire_all()
    rel = db.scalar(select(Relative).where(Relative.citizen_id == citizen.id))
    rel.name = "<b>Rita</b>"
    db.commit()
    own = _client(app, citizen, "en", as_relative=False)
    page = own.get("/citizen/booking/").get_data(as_text=True)
    assert "<b>Rita</b>" not in page and "Booked by &lt;b&gt;Rita&lt;/b&gt; (relative)" in page
