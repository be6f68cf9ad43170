"""The coordinator's citizen page after a phone call: what the locksmith needs, who booked."""

import re
from datetime import timedelta

from portal.accounts.services import citizen_actor
from portal.booking import services
from portal.booking.details import AccessDetails
from portal.citizens.models import Relative
from tests.booking.support import make_world
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff

DETAILS = AccessDetails(
    opener="home_care",
    call_phone="+4540506070",
    door_code="4711",
    interpreter=True,
    interpreter_language="Arabisk",
    note="Hunden bider ikke",
)


def _page(client, citizen) -> str:
    return client.get(f"/coordinator/citizens/{citizen.id}").get_data(as_text=True)


def test_a_booking_by_a_relative_shows_access_details_and_who_booked(db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    relative = Relative(
        citizen_id=citizen.id, name="Karen Relativsen", phone="+4520304050", relation="child"
    )
    db.add(relative)
    db.commit()
    booked = services.book_slot(
        db,
        citizen.id,
        world.slots(db)[0].id,
        now=NOW,
        actor=citizen_actor(citizen, relative),
        details=DETAILS,
    )
    sign_in_staff(client, make_user(db, "coordinator"))
    page = _page(client, citizen)
    for text in (
        booked.door_password,
        "Hjemmeplejen",
        "4711",
        "Ja, Arabisk",
        "Hunden bider ikke",
        "Af den pårørende Karen Relativsen den ",
    ):
        assert text in page, text
    # Phone numbers as people write them, and callable.
    assert '<a href="tel:+4540506070">40 50 60 70</a>' in page
    assert '<a href="tel:+4520123456">20 12 34 56</a>' in page  # the citizen's own
    assert '<a href="tel:+4520304050">20 30 40 50</a>' in page  # the relative's
    # The visit log speaks about the citizen, not to them.
    assert "din dør" not in page and "borgerens dør" in page


def test_a_phone_booking_and_a_move_are_attributed_to_the_coordinator(db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    coordinator = make_user(db, "coordinator")
    coordinator.name = "Connie Koordinator"
    db.commit()
    booked = services.book_slot(
        db,
        citizen.id,
        world.slots(db)[0].id,
        now=NOW,
        actor=coordinator.actor,
        details=DETAILS,
    )
    sign_in_staff(client, coordinator)
    page = _page(client, citizen)
    assert "Af Connie Koordinator fra kommunen den " in page and "Sidst ændret" not in page
    services.rebook(
        db,
        booked.id,
        world.slots(db)[2].id,
        now=NOW,
        actor=citizen_actor(citizen),
        cutoff=timedelta(0),
    )
    page = _page(client, citizen)
    changed = re.search(r"Sidst ændret</th>\s*<td>([^<]*)</td>", page)
    assert changed and changed.group(1).startswith("Af borgeren den ")


def test_access_details_are_not_shown_once_the_visit_is_done(db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    booked = services.book_slot(db, citizen.id, world.slots(db)[0].id, now=NOW, details=DETAILS)
    booked.status = "completed"
    db.commit()
    sign_in_staff(client, make_user(db, "coordinator"))
    page = _page(client, citizen)
    assert booked.door_password not in page and "Monteret" in page
    assert "Af portalen den " in page
