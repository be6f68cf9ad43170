"""The board's inline move (htmx) and the message it leaves, in a real browser with axe at 1280
and 390 px: a move that succeeds ends on the board with its status message; a move refused
because the time was taken while the form was open ("That time was just taken", the free
times shown again), and then because a death was reported meanwhile, says so in the move
box, where focus goes, without leaving the board."""

from datetime import timedelta

import pytest

from portal import clock
from portal.booking import services
from portal.booking.models import Appointment
from tests.booking.browser_steps import sign_in_staff, visit
from tests.booking.support import make_world
from tests.browser.conftest import DESKTOP, PHONE, look, settled
from tests.changes.test_booking_closed_board import report_death
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

FOCUS_IN_BOX = "(box) => document.getElementById(box).contains(document.activeElement)"


def _booked_world(live_db, citizens=2):
    """Citizen 0 booked in the first slot; a coordinator."""
    world = make_world(live_db, citizens=citizens, locksmiths=2)
    coordinator = make_user(live_db, "coordinator")
    first = world.slots(live_db)[0]
    booked = services.book_slot(
        live_db, world.citizens[0].id, first.id, now=clock.now(), cutoff=timedelta(0)
    )
    live_db.commit()
    return world, coordinator, booked.id, first


def _htmx_posts(page) -> list[str]:
    """The URLs of the POSTs htmx sends from now on."""
    posts = []
    page.on(
        "request",
        lambda r: (
            posts.append(r.url)
            if r.method == "POST" and r.headers.get("hx-request") == "true"
            else None
        ),
    )
    return posts


def _open_inline_move(page, live_server, world, slot, name, booked_id):
    page.goto(
        f"{live_server}/coordinator/schedule?campaign={world.campaign.id}"
        f"&day={slot.local_date.isoformat()}"
    )
    page.locator(f"#entry-{slot.id}").get_by_role("link", name=f"Flyt: {name}", exact=True).click()
    page.locator(f"#move-day-{booked_id}").wait_for()
    settled(page)


def _check(page, what):
    """axe at 1280 px and at 390 px (with no sideways scroll); a screenshot at 390 px to look at."""
    page.set_viewport_size(DESKTOP)
    visit(page, what)
    page.set_viewport_size(PHONE)
    look(page, what.replace(" ", "-"))
    page.set_viewport_size(DESKTOP)


def test_a_move_through_htmx_ends_on_the_board_with_its_message(browser_page, live_server, live_db):
    page = browser_page
    world, coordinator, booked_id, first = _booked_world(live_db)
    name = world.citizens[0].name
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    posts = _htmx_posts(page)
    _open_inline_move(page, live_server, world, first, name, booked_id)
    radio = page.locator(f"#move-{booked_id} input[type=radio]").first
    target = int(radio.get_attribute("value"))
    radio.check()
    page.locator(f"#move-{booked_id}").get_by_role("button", name="Flyt tiden").click()
    page.wait_for_url("**/coordinator/schedule?*")
    message = page.locator("main", has_text=f"Tiden for {name} er flyttet til")
    message.wait_for()
    assert [u for u in posts if u.endswith(f"/coordinator/appointments/{booked_id}/move")]
    _check(page, "board after a move through htmx")
    live_db.expire_all()
    assert live_db.get(Appointment, booked_id).slot_id == target


def test_a_refused_move_says_why_in_the_move_box(browser_page, live_server, live_app, live_db):
    page = browser_page
    world, coordinator, booked_id, first = _booked_world(live_db, citizens=3)
    name = world.citizens[0].name
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    posts = _htmx_posts(page)
    _open_inline_move(page, live_server, world, first, name, booked_id)
    board = page.url
    box = page.locator(f"#move-{booked_id}")
    radio = box.locator("input[type=radio]").first
    taken = radio.get_attribute("value")
    radio.check()
    services.book_slot(  # someone else takes that time while the form is open
        live_db, world.citizens[1].id, int(taken), now=clock.now(), cutoff=timedelta(0)
    )
    live_db.commit()
    box.get_by_role("button", name="Flyt tiden").click()
    page.locator(f"#move-{booked_id}", has_text="Tiden blev netop taget").wait_for()
    settled(page)
    page.wait_for_function(FOCUS_IN_BOX, arg=f"move-{booked_id}")
    assert page.url == board and len(posts) == 1  # refused in place, through htmx
    assert box.locator(".alert-error").count() == 0  # said once, as taken, not as a wrong choice
    assert box.locator(f"input[type=radio][value='{taken}']").count() == 0
    _check(page, "move refused, the time was taken")

    death = report_death(live_app, live_db, world.citizens[0])  # reported meanwhile
    box.locator("input[type=radio]").first.check()
    box.get_by_role("button", name="Flyt tiden").click()
    page.locator(f"#move-{booked_id}", has_text="Tiden kan ikke flyttes").wait_for()
    settled(page)
    page.wait_for_function(FOCUS_IN_BOX, arg=f"move-{booked_id}")
    text = " ".join(box.inner_text().split())
    assert f"Der kan ikke bookes eller flyttes en tid for {name}" in text
    assert death.reference in text
    assert page.url == board and len(posts) == 2
    _check(page, "move refused, care is ending")
    live_db.expire_all()
    assert live_db.get(Appointment, booked_id).slot_id == first.id
