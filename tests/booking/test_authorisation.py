"""Who may open which booking, roll-out and locksmith page: every new route, every role."""

from datetime import timedelta

import pytest

from portal.booking import services
from portal.locksmith.services import job_of_appointment
from tests.booking.support import make_world
from tests.factories import NOW, make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff

ROLES = [
    "anonymous",
    "citizen",
    "other_citizen",
    "relative",
    "coordinator",
    "locksmith",
    "other_locksmith",
    "provider_admin",
    "owner",
]
CITIZENS = {"citizen", "other_citizen", "relative"}

# Which roles may use each kind of route; everyone else gets 403, anonymous goes to sign in.
ALLOWED = {
    "citizen_own": {"citizen", "relative"},  # other citizens: 404
    "citizen_any": CITIZENS,
    "coordinator": {"coordinator"},
    "locksmith_own": {"locksmith"},  # the other locksmith: 404
    "locksmith_any": {"locksmith", "other_locksmith"},
}
NOT_FOUND = {"citizen_own": {"other_citizen"}, "locksmith_own": {"other_locksmith"}}

ROUTES = [
    ("citizen_own", "GET", "/citizen/booking/{mine}"),
    ("citizen_own", "GET", "/citizen/booking/{mine}/print"),
    ("citizen_own", "GET", "/citizen/booking/{mine}/calendar.ics"),
    ("citizen_any", "GET", "/citizen/booking/"),
    ("citizen_any", "GET", "/citizen/booking/day"),
    ("citizen_any", "GET", "/citizen/booking/time"),
    ("citizen_any", "GET", "/citizen/booking/details"),
    ("citizen_any", "GET", "/citizen/booking/check"),
    ("citizen_any", "POST", "/citizen/booking/check"),
    ("citizen_any", "GET", "/citizen/booking/change"),
    ("citizen_any", "GET", "/citizen/booking/cancel"),
    ("coordinator", "GET", "/coordinator/schedule"),
    ("coordinator", "GET", "/coordinator/appointments/{mine}/move"),
    ("coordinator", "POST", "/coordinator/appointments/{mine}/move"),
    ("coordinator", "GET", "/coordinator/appointments/{mine}/cancel"),
    ("coordinator", "GET", "/coordinator/slots/{free}/book"),
    ("coordinator", "POST", "/coordinator/slots/{free}/book"),
    ("coordinator", "GET", "/coordinator/campaigns"),
    ("coordinator", "GET", "/coordinator/campaigns/new"),
    ("coordinator", "POST", "/coordinator/campaigns/new"),
    ("coordinator", "GET", "/coordinator/campaigns/{campaign}"),
    ("coordinator", "POST", "/coordinator/campaigns/{campaign}/status"),
    ("coordinator", "GET", "/coordinator/campaigns/{campaign}/not-booked"),
    ("coordinator", "GET", "/coordinator/campaigns/{campaign}/availability/new"),
    ("coordinator", "POST", "/coordinator/campaigns/{campaign}/availability/new"),
    ("coordinator", "GET", "/coordinator/availability/{availability}"),
    ("coordinator", "GET", "/coordinator/availability/{availability}/remove"),
    ("coordinator", "GET", "/coordinator/follow-up"),
    ("locksmith_any", "GET", "/locksmith/"),
    ("locksmith_own", "GET", "/locksmith/jobs/{my_job}/complete"),
    ("locksmith_own", "POST", "/locksmith/jobs/{my_job}/complete"),
    ("locksmith_own", "GET", "/locksmith/jobs/{my_job}/fail"),
    ("locksmith_own", "POST", "/locksmith/jobs/{my_job}/fail"),
    # The cancellations last: they change what the routes above would see.
    ("coordinator", "POST", "/coordinator/appointments/{theirs}/cancel"),
    ("citizen_any", "POST", "/citizen/booking/cancel"),
    ("coordinator", "POST", "/coordinator/availability/{availability}/remove"),
]


@pytest.fixture
def world(db, clock):
    world = make_world(db, citizens=2, locksmiths=2)
    me, other = world.citizens
    slots = world.slots(db)
    mine = next(s for s in slots if s.locksmith_id == world.locksmiths[0].id)
    theirs = next(s for s in slots if s.locksmith_id == world.locksmiths[1].id)
    a = services.book_slot(db, me.id, mine.id, now=NOW, cutoff=timedelta(0))
    b = services.book_slot(db, other.id, theirs.id, now=NOW, cutoff=timedelta(0))
    free = next(s for s in world.slots(db) if s.id not in (mine.id, theirs.id))
    world.extra = {
        "mine": a.id,
        "my_job": job_of_appointment(db, a.id).id,
        "theirs": b.id,
        "free": free.id,
        "campaign": world.campaign.id,
        "availability": mine.availability_id,
    }
    world.extra["users"] = {
        "coordinator": make_user(db, "coordinator"),
        "provider_admin": make_user(db, "provider_admin"),
        "owner": make_user(db, "owner"),
        "locksmith": world.locksmiths[0],
        "other_locksmith": world.locksmiths[1],
    }
    make_citizen(db, district=world.district)  # someone not booked, for the lists
    db.commit()
    return world


def _sign_in(client, role, world):
    if role == "anonymous":
        return
    if role in ("citizen", "other_citizen"):
        sign_in_citizen(client, world.citizens[0 if role == "citizen" else 1])
    elif role == "relative":
        sign_in_citizen(
            client,
            world.citizens[0],
            relative={"name": "Ida Holm", "phone": "20 30 40 50", "relation": "child"},
        )
    else:
        sign_in_staff(client, world.extra["users"][role])


@pytest.mark.parametrize("role", ROLES)
def test_authorisation_matrix(client, world, role, clock):
    _sign_in(client, role, world)
    wrong = []
    for kind, method, template in ROUTES:
        url = template.format(**world.extra)
        response = client.open(url, method=method)
        code, where = response.status_code, response.headers.get("Location", "")
        if role == "anonymous":
            ok = code == 302 and "/sign-in/" in where
        elif role in NOT_FOUND.get(kind, ()):
            ok = code == 404
        elif role in ALLOWED[kind]:
            ok = code < 400 and "/sign-in/" not in where
        else:
            ok = code == 403
        if not ok:
            wrong.append((method, url, code))
    assert not wrong, f"{role}: {wrong}"


def test_a_citizen_cannot_touch_another_citizens_booking(client, world, db, clock):
    sign_in_citizen(client, world.citizens[1])
    for suffix in ("", "/print", "/calendar.ics"):
        assert client.get(f"/citizen/booking/{world.extra['mine']}{suffix}").status_code == 404
    client.post("/citizen/booking/cancel")  # cancels only their own booking
    from portal.booking.models import Appointment

    db.expire_all()
    assert db.get(Appointment, world.extra["mine"]).status == "booked"
    assert db.get(Appointment, world.extra["theirs"]).status == "cancelled"
