"""The pages once care is ending: a relative who reported a death sees why no time can be
booked, and the booking questions refuse (GET and POST, also a check page reached before);
after an approved death or move away the pages say what comes instead of "you can ask for
something else"; the lock section says what happens to the lock; the coordinator approving a
move that replaces an approved switch sees the provider the citizen asked for (findings 1, 10,
11, 13)."""

import html
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.booking.models import Appointment
from portal.changes import decisions, services
from tests.booking.support import make_world, walk_to_check
from tests.changes.support import CITIZEN, COORDINATOR, NOW, fitted_citizen, make_town, on, policy
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import isolated_client

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}
DEATH = {"reason": "deceased", "estate_contact": "Ole Olsen"}
AWAY = {"inside": False, "address": "Vej 1", "postcode": "8000", "city": "Aarhus"}


def _text(response) -> str:
    body = response.get_data(as_text=True)
    body = body.split("<main", 1)[1].split("</main>", 1)[0]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def _relative(app, citizen, language="en"):
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    sign_in_citizen(client, citizen, relative=RELATIVE)
    return client


def _report(db, app, citizen, kind="leave", approve=False, **extra):
    req = services.submit(
        db,
        citizen,
        kind,
        on("2026-12-18", **extra),
        source="relative",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )
    if approve:
        decisions.approve(
            db,
            req,
            effective_on=date(2026, 12, 18),
            now=NOW,
            actor=COORDINATOR,
            policy=policy(app),
        )
    db.commit()
    return req


def _appointments(db) -> int:
    return db.scalar(select(func.count()).select_from(Appointment))


def test_a_reported_death_closes_the_booking_pages_for_the_relative(app, db, clock):
    world = make_world(db, now=NOW)
    citizen = world.citizens[0]
    client = _relative(app, citizen)
    walk_to_check(client)  # the check page was reached before the death was reported
    _report(db, app, citizen, **DEATH)
    home = _text(client.get("/citizen/"))
    assert f"A death has been reported for {citizen.name}." in home
    assert "Book a time" not in home and "We will write to" not in home
    start = _text(client.get("/citizen/booking/"))
    assert "No time can be booked for the fitting" in start and "Book a time" not in start
    response = client.post("/citizen/booking/check")  # the booking services refuse
    assert response.status_code == 303 and response.location.endswith("/citizen/booking/")
    for url in ("/citizen/booking/day?start=new", "/citizen/booking/time"):
        response = client.get(url)
        assert response.status_code == 303 and response.location.endswith("/citizen/booking/")
    response = client.post("/citizen/booking/day", data={"day": world.first_day.isoformat()})
    assert response.status_code == 303 and response.location.endswith("/citizen/booking/")
    assert _appointments(db) == 0


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("da", "Der er meldt et dødsfald for"),
        ("sv", "Ett dödsfall har anmälts för"),
    ],
)
def test_the_closed_booking_is_told_in_danish_and_swedish(app, db, clock, language, words):
    world = make_world(db, now=NOW)
    citizen = world.citizens[0]
    _report(db, app, citizen, **DEATH)
    assert words in _text(_relative(app, citizen, language).get("/citizen/"))


def test_after_an_approved_death_nothing_more_is_asked_and_no_lock_is_fitted(app, db, clock):
    world = make_world(db, now=NOW)
    citizen = world.citizens[0]
    req = _report(db, app, citizen, approve=True, **DEATH)
    client = _relative(app, citizen)
    home = _text(client.get("/citizen/"))
    assert "You can ask for something else" not in home
    assert f"The report of the death of {citizen.name} ({req.reference}) has been approved" in home
    assert "There is nothing more to ask for here" in home
    assert "stops from 18 December 2026, so no lock will be fitted." in home
    assert "Book a time" not in home
    changes = _text(client.get("/citizen/changes/"))
    assert "You can ask for something else" not in changes
    assert "the municipality handles the rest" in changes


def test_an_approved_move_away_says_care_ends_and_what_happens_to_the_lock(app, db, clock):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    db.commit()
    _report(db, app, citizen, "move", approve=True, **AWAY)
    home = _text(_relative(app, citizen).get("/citizen/"))
    assert "You can ask for something else" not in home
    assert f"{citizen.name} moves away from the municipality on 18 December 2026" in home
    assert "home care here ends then" in home
    # Not just "Moving": what happens to the lock, in words.
    assert "Home care's keys stop opening the door from 18 December 2026." in home
    assert "a locksmith removes the lock unit" in home


def test_an_undecided_death_shows_the_coordinator_the_booked_fitting(app, db, clock):
    world = make_world(db, now=NOW)
    citizen = world.citizens[0]
    client = _relative(app, citizen)
    walk_to_check(client)
    assert client.post("/citizen/booking/check").status_code == 303
    req = _report(db, app, citizen, **DEATH)
    coordinator = isolated_client(app)
    coordinator.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(coordinator, user)
    page = _text(coordinator.get(f"/coordinator/changes/{req.id}"))
    assert "It is cancelled when you approve this request" in page
    start = _text(client.get("/citizen/booking/"))
    assert "The booked fitting is cancelled when the municipality approves the report" in start
    assert "Choose another time" not in start


def test_a_move_replacing_an_approved_switch_offers_the_provider_asked_for(app, db, clock):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    switch = services.submit(
        db,
        citizen,
        "switch",
        services.Details(effective_on=date(2026, 12, 19), provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )
    decisions.approve(
        db, switch, effective_on=date(2026, 12, 19), now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    move = services.submit(
        db,
        citizen,
        "move",
        on("2026-12-10", inside=True, address="Nyvej 2", postcode="4100", city="Nordby"),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )
    user = make_user(db, "coordinator")
    db.commit()
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_staff(client, user)
    page = client.get(f"/coordinator/changes/{move.id}").get_data(as_text=True)
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))
    assert (
        f"The citizen asked to switch to Omsorg A/S (request {switch.reference}), so it is "
        "chosen here." in text
    )
    assert re.search(rf'<option[^>]*value="{town.omsorg.id}"[^>]*selected', page)
