"""The follow-up list's "Book a new time" opens the phone booking for that citizen: the board
of their campaign on the first day with free times, and the citizen already chosen."""

import re

from sqlalchemy import select

from portal.booking.models import Appointment
from tests.booking.support import make_world
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.locksmith.support import booked_job_today


def _failed_citizen(db, client):
    world = make_world(db, citizens=3)
    _appointment, job = booked_job_today(db, world, 0)
    sign_in_staff(client, world.locksmiths[0])
    assert client.post(f"/locksmith/jobs/{job.id}/fail", data={"reason": "not_home"}).status_code
    db.expire_all()
    assert world.citizens[0].status == "follow_up"
    return world, world.citizens[0]


def test_book_a_new_time_from_the_follow_up_list(db, client):
    world, citizen = _failed_citizen(db, client)
    sign_in_staff(client, make_user(db, "coordinator"))
    listing = client.get("/coordinator/follow-up").get_data(as_text=True)
    link = re.search(rf'href="([^"]*citizen={citizen.id}[^"]*)"', listing)
    assert link, "the follow-up link names the citizen"
    board = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert f"Du booker en ny tid til {citizen.name}" in board
    free = re.search(rf'href="(/coordinator/slots/(\d+)/book\?citizen={citizen.id})"', board)
    assert free, "free times carry the citizen"
    page = client.get(free.group(1)).get_data(as_text=True)
    checked = re.search(rf'<input[^>]*name="citizen"[^>]*value="{citizen.id}"[^>]*checked', page)
    assert checked, "the citizen is already chosen"
    done = client.post(
        f"/coordinator/slots/{free.group(2)}/book",
        data={"citizen": str(citizen.id), "opener": "self", "interpreter": "no"},
    )
    assert done.status_code == 303
    booked = db.scalar(
        select(Appointment).where(
            Appointment.citizen_id == citizen.id, Appointment.status == "booked"
        )
    )
    assert booked is not None and booked.slot_id == int(free.group(2))


def test_a_citizen_id_of_another_district_or_rubbish_is_ignored(db, client):
    world = make_world(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    for value in ("99999999", "²", "-1", "1" * 40, ""):
        response = client.get(f"/coordinator/schedule?campaign={world.campaign.id}&citizen={value}")
        assert response.status_code == 200
        assert "Du booker en ny tid" not in response.get_data(as_text=True)
