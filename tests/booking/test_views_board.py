"""The coordinator's day board: columns, move, cancel and phone bookings, plain and htmx."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.booking import services
from portal.booking.models import Appointment
from tests.booking.support import make_world, options
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff

HTMX = {"HX-Request": "true"}


def _setup(db, client, **kw):
    world = make_world(db, citizens=3, locksmiths=2, **kw)
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    return world


def _book(db, world, index=0, slot_index=0):
    slot = world.slots(db)[slot_index]
    return services.book_slot(db, world.citizens[index].id, slot.id, now=NOW, cutoff=timedelta(0))


def test_board_shows_locksmiths_as_columns_with_appointments(db, client, clock):
    world = _setup(db, client)
    booked = _book(db, world)
    page = client.get(
        f"/coordinator/schedule?campaign={world.campaign.id}&day={world.first_day.isoformat()}"
    ).get_data(as_text=True)
    for smith in world.locksmiths:
        assert smith.name in page
    assert world.citizens[0].name in page and world.citizens[0].address in page
    assert f"/coordinator/appointments/{booked.id}/move" in page
    fragment = client.get(f"/coordinator/schedule?campaign={world.campaign.id}", headers=HTMX)
    assert "<html" not in fragment.get_data(as_text=True)


def test_move_with_a_plain_form(db, client, clock):
    world = _setup(db, client)
    booked = _book(db, world)
    url = f"/coordinator/appointments/{booked.id}/move"
    page = client.get(url).get_data(as_text=True)
    choices = options(page, f"move{booked.id}-slot")
    response = client.post(url, data={f"move{booked.id}-slot": choices[-1]})
    assert response.status_code == 303 and "/coordinator/schedule" in response.headers["Location"]
    db.expire_all()
    assert db.get(Appointment, booked.id).slot_id == int(choices[-1])


def test_move_with_htmx_and_a_taken_slot(db, client, clock):
    world = _setup(db, client)
    booked = _book(db, world)
    url = f"/coordinator/appointments/{booked.id}/move"
    fragment = client.get(url, headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment and 'hx-post="' in fragment
    target = options(fragment, f"move{booked.id}-slot")[0]
    services.book_slot(db, world.citizens[1].id, int(target), now=NOW, cutoff=timedelta(0))
    again = client.post(url, data={f"move{booked.id}-slot": target}, headers=HTMX)
    assert again.status_code == 200
    said = again.get_data(as_text=True)
    # Taken since the form was read: said once, as taken, not as a wrong choice.
    assert "Tiden blev netop taget. Her er de tider, der stadig er ledige." in said
    assert "Vælg en af de viste ledige tider" not in said
    free = options(again.get_data(as_text=True), f"move{booked.id}-slot")[0]
    done = client.post(url, data={f"move{booked.id}-slot": free}, headers=HTMX)
    assert done.status_code == 204 and "HX-Redirect" in done.headers


@pytest.mark.parametrize("posted", ["x", "", "99999999", "1" * 40, "<script>", "-1", None])
def test_a_time_never_offered_is_a_wrong_choice_not_a_taken_one(db, client, clock, posted):
    world = _setup(db, client)
    booked = _book(db, world)
    url = f"/coordinator/appointments/{booked.id}/move"
    data = {} if posted is None else {f"move{booked.id}-slot": posted}
    said = client.post(url, data=data, headers=HTMX).get_data(as_text=True)
    assert "netop taget" not in said
    assert "Vælg en af de viste ledige tider" in said or "Vælg en ny tid" in said
    db.expire_all()
    assert db.get(Appointment, booked.id).slot_id == world.slots(db)[0].id


def test_cancel_with_a_plain_form_and_with_htmx(db, client, clock):
    world = _setup(db, client)
    first, second = _book(db, world, 0, 0), _book(db, world, 1, 1)
    url = f"/coordinator/appointments/{first.id}/cancel"
    assert "Ja, aflys tiden" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 303
    inline = client.get(f"/coordinator/appointments/{second.id}/cancel", headers=HTMX)
    assert 'hx-post="' in inline.get_data(as_text=True)
    swapped = client.post(f"/coordinator/appointments/{second.id}/cancel", headers=HTMX)
    body = swapped.get_data(as_text=True)
    assert swapped.status_code == 200 and f'id="entry-{second.slot_id}"' in body
    assert "book for a citizen" in body.lower() or "book for en borger" in body.lower()
    db.expire_all()
    assert {a.status for a in db.scalars(select(Appointment))} == {"cancelled"}
    # A second cancel of the same booking just goes back to the board.
    assert client.post(url).status_code == 303


def test_book_on_a_citizens_behalf(db, client, clock):
    world = _setup(db, client)
    slot = world.slots(db)[2]
    url = f"/coordinator/slots/{slot.id}/book"
    search = client.get(url + "?q=" + world.citizens[1].name, headers=HTMX).get_data(as_text=True)
    assert world.citizens[1].name in search and "<html" not in search
    data = {
        "citizen": str(world.citizens[1].id),
        "opener": "home_care",
        "call_phone": "20 12 34 56",
        "interpreter": "no",
    }
    response = client.post(url, data=data)
    assert response.status_code == 303
    booked = db.scalar(select(Appointment))
    assert booked.citizen_id == world.citizens[1].id and booked.opener == "home_care"
    assert "user:" in booked.booked_by
    again = client.post(url, data=data | {"citizen": str(world.citizens[2].id)})
    assert "netop taget" in again.get_data(as_text=True)


def test_book_on_behalf_of_someone_already_booked_explains(db, client, clock):
    world = _setup(db, client)
    _book(db, world, 0, 0)
    slot = world.slots(db)[3]
    page = client.post(
        f"/coordinator/slots/{slot.id}/book",
        data={
            "citizen": str(world.citizens[0].id),
            "opener": "self",
            "call_phone": "20 12 34 56",
            "interpreter": "no",
        },
    )
    body = page.get_data(as_text=True)
    # The booked citizen is no longer offered, so the choice itself is refused.
    assert page.status_code == 200 and "Vælg en af de viste borgere" in body


def test_citizen_detail_page_shows_the_booking(db, client, clock):
    world = _setup(db, client)
    booked = _book(db, world)
    page = client.get(f"/coordinator/citizens/{world.citizens[0].id}").get_data(as_text=True)
    assert booked.reference in page and f"/coordinator/appointments/{booked.id}/move" in page
