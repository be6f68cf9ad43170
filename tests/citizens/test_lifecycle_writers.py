"""The features write and read the status through the lifecycle: booking, letters, pages."""

import pytest

from portal.booking import errors, services
from portal.citizens import lifecycle
from portal.letters.scope import Scope, recipients
from tests.booking.support import make_world
from tests.factories import make_citizen, make_district, make_user, set_status
from tests.helpers import sign_in_citizen, sign_in_staff


def test_a_follow_up_citizen_books_and_a_cancellation_takes_them_back(db, now):
    world = make_world(db, now=now)
    citizen = world.citizens[0]
    lifecycle.fitting_failed(citizen)
    db.commit()
    booked = services.book_slot(db, citizen.id, world.slots(db)[0].id, now=now)
    assert (citizen.status, booked.previous_status) == ("booked", "follow_up")
    services.cancel(db, booked.id, now=now, actor=services.SYSTEM)
    assert db.get(type(citizen), citizen.id).status == "follow_up"


@pytest.mark.parametrize("status", ["opted_out", "switching_provider", "moving", "care_ended"])
def test_citizens_outside_the_bookable_states_cannot_book(db, now, status):
    world = make_world(db, now=now)
    set_status(world.citizens[0], status)
    db.commit()
    with pytest.raises(errors.NotBookable):
        services.book_slot(db, world.citizens[0].id, world.slots(db)[0].id, now=now)


def test_information_letters_go_only_to_citizens_who_may_still_book(db):
    district = make_district(db)
    kept = [
        make_citizen(db, district=district, status=s)
        for s in ("registered", "letter_sent", "follow_up")
    ]
    for status in (*lifecycle.OUT_OF_ROLLOUT, "booked", "fitted", "switching_provider", "moving"):
        make_citizen(db, district=district, status=status)
    db.commit()
    found = db.scalars(recipients(Scope(district.id, None, district.name))).all()
    assert sorted(c.id for c in found) == sorted(c.id for c in kept)


def test_the_register_shows_and_filters_every_status_by_its_label(db, client):
    district = make_district(db)
    ended = make_citizen(db, district=district, name="Ophørt Olsen", status="care_ended")
    make_citizen(db, district=district, name="Flytter Frandsen", status="moving")
    db.commit()
    sign_in_staff(client, make_user(db, "coordinator"))
    html = client.get("/coordinator/citizens?status=care_ended").get_data(as_text=True)
    assert ended.name in html and "Flytter Frandsen" not in html
    assert "Care ended" in html and 'value="switching_provider"' in html
    detail = client.get(f"/coordinator/citizens/{ended.id}").get_data(as_text=True)
    assert "Care ended" in detail


def test_an_opted_out_citizen_sees_their_status_not_an_offer_to_book(db, client):
    citizen = make_citizen(db, status="opted_out")
    db.commit()
    sign_in_citizen(client, citizen)
    html = client.get("/citizen/").get_data(as_text=True)
    assert html.count("Opted out") == 2  # the status on the page and in the booking panel
    assert "You have not booked" not in html and "Book a time" not in html
