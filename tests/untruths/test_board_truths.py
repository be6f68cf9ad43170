"""The day board tells the truth about time: a visit that has started is not moved or cancelled,
the move list offers no time that has passed, and every message names the citizen."""

from datetime import timedelta

from portal.booking import services
from portal.booking.models import Appointment
from tests.booking.support import make_world, options
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff


def _setup(db, client):
    world = make_world(db, citizens=3, locksmiths=2, now=NOW)
    world.coordinator = make_user(db, "coordinator")
    sign_in_staff(client, world.coordinator)
    return world


def _book(db, world, index, slot):
    return services.book_slot(db, world.citizens[index].id, slot.id, now=NOW, cutoff=timedelta(0))


def _board(client, world):
    url = f"/coordinator/schedule?campaign={world.campaign.id}&day={world.first_day.isoformat()}"
    return client.get(url).get_data(as_text=True)


def test_a_visit_that_has_started_offers_no_move_or_cancel(db, client, clock):
    world = _setup(db, client)
    slots = [s for s in world.slots(db) if s.local_date == world.first_day]
    started = _book(db, world, 0, slots[0])
    later = _book(db, world, 1, slots[-1])
    db.commit()
    clock.set(slots[0].starts_at + timedelta(minutes=5))
    sign_in_staff(client, world.coordinator)  # the idle timeout counts from sign-in
    page = _board(client, world)
    assert f"/coordinator/appointments/{started.id}/move" not in page
    assert f"/coordinator/appointments/{started.id}/cancel" not in page
    assert f"/coordinator/appointments/{later.id}/move" in page
    for action in ("move", "cancel"):
        url = f"/coordinator/appointments/{started.id}/{action}"
        assert client.get(url).status_code == 303
        response = client.post(url, data={f"move{started.id}-slot": str(slots[-2].id)})
        assert response.status_code == 303
        shown = client.get(response.location).get_data(as_text=True)
        assert "allerede begyndt" in shown and world.citizens[0].name in shown
    db.expire_all()
    kept = db.get(Appointment, started.id)
    assert kept.status == "booked" and kept.slot_id == slots[0].id


def test_the_move_list_offers_no_time_that_has_passed(db, client, clock):
    world = _setup(db, client)
    slots = [s for s in world.slots(db) if s.local_date == world.first_day]
    later = _book(db, world, 1, slots[-1])
    db.commit()
    middle = slots[len(slots) // 2]
    clock.set(middle.starts_at + timedelta(minutes=1))
    sign_in_staff(client, world.coordinator)  # the idle timeout counts from sign-in
    page = client.get(
        f"/coordinator/appointments/{later.id}/move?day={world.first_day.isoformat()}"
    ).get_data(as_text=True)
    offered = {int(v) for v in options(page, f"move{later.id}-slot")}
    assert offered
    passed = {s.id for s in slots if s.starts_at <= clock()}
    assert not offered & passed


def test_moved_and_cancelled_messages_name_the_citizen(db, client, clock):
    world = _setup(db, client)
    slots = world.slots(db)
    moved = _book(db, world, 0, slots[0])
    gone = _book(db, world, 1, slots[1])
    db.commit()
    url = f"/coordinator/appointments/{moved.id}/move"
    choices = options(client.get(url).get_data(as_text=True), f"move{moved.id}-slot")
    response = client.post(url, data={f"move{moved.id}-slot": choices[-1]})
    assert world.citizens[0].name in client.get(response.location).get_data(as_text=True)
    response = client.post(f"/coordinator/appointments/{gone.id}/cancel")
    shown = client.get(response.location).get_data(as_text=True)
    assert f"Tiden for {world.citizens[1].name}" in shown


def test_the_citizen_page_offers_no_move_or_cancel_once_the_visit_started(db, client, clock):
    world = _setup(db, client)
    slots = [s for s in world.slots(db) if s.local_date == world.first_day]
    started = _book(db, world, 0, slots[0])
    db.commit()
    url = f"/coordinator/citizens/{world.citizens[0].id}"
    assert f"/coordinator/appointments/{started.id}/move" in client.get(url).get_data(as_text=True)
    clock.set(slots[0].starts_at + timedelta(minutes=5))
    sign_in_staff(client, world.coordinator)  # the idle timeout counts from sign-in
    page = client.get(url).get_data(as_text=True)
    assert f"/coordinator/appointments/{started.id}/move" not in page
    assert f"/coordinator/appointments/{started.id}/cancel" not in page
