"""The coordinator's board in a real browser: phone booking via the live search (JavaScript on
and off), inline cancel and move with focus, counts and a status message, and no CSRF token in
any URL; the locksmith's buttons have clean accessible names."""

import re
from datetime import timedelta

import pytest

from portal import clock
from portal.booking import services
from portal.booking.models import Appointment
from tests.booking.browser_steps import sign_in_staff, visit, world_with_job_today
from tests.booking.support import make_world
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

FOCUS_MOVED = "() => document.activeElement && document.activeElement !== document.body"


def _phone_world(live_db):
    """25 citizens in the district: the one wanted is not among the first 20 names."""
    world = make_world(live_db, citizens=25, locksmiths=1)
    wanted = world.citizens[-1]
    wanted.name = "Zakarias Zimmermann"
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    return world, wanted, coordinator


def _booked_citizen(live_db, slot_id):
    live_db.expire_all()
    booked = live_db.query(Appointment).filter_by(slot_id=slot_id, status="booked").one()
    return booked.citizen_id


def test_phone_booking_of_a_citizen_found_by_the_live_search(browser_page, live_server, live_db):
    page = browser_page
    world, wanted, coordinator = _phone_world(live_db)
    slot = world.slots(live_db)[1]
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(
        f"{live_server}/coordinator/schedule?campaign={world.campaign.id}"
        f"&day={slot.local_date.isoformat()}"
    )
    page.locator(f"#entry-{slot.id}").get_by_role("link", name=re.compile("^Ledig")).click()
    page.wait_for_url(f"**/coordinator/slots/{slot.id}/book")
    visit(page, "phone booking")
    assert page.locator("#matches input[name=citizen]").count() == 20
    assert page.get_by_label("Zakarias Zimmermann", exact=False).count() == 0
    page.fill("#q", "Zakarias")
    label = page.locator("#matches label", has_text="Zakarias Zimmermann")
    label.wait_for()
    label.click()
    page.get_by_role("button", name="Book denne tid").click()
    page.wait_for_url("**/coordinator/schedule?*")
    assert "Tiden er booket." in page.inner_text("main")
    visit(page, "board after the phone booking")
    assert _booked_citizen(live_db, slot.id) == wanted.id


def test_phone_booking_with_javascript_off(nojs_page, live_server, live_db):
    page = nojs_page
    world, wanted, coordinator = _phone_world(live_db)
    slot = world.slots(live_db)[2]
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/slots/{slot.id}/book")
    visit(page, "phone booking without JavaScript")
    page.fill("#q", "Zakarias")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_url("**/book?q=Zakarias")
    page.locator("#matches label", has_text="Zakarias Zimmermann").click()
    page.get_by_role("button", name="Book denne tid").click()
    page.wait_for_url("**/coordinator/schedule?*")
    assert "Tiden er booket." in page.inner_text("main")
    assert _booked_citizen(live_db, slot.id) == wanted.id


def test_inline_cancel_and_move_keep_focus_and_update_the_board(browser_page, live_server, live_db):
    page = browser_page
    world = make_world(live_db, citizens=3, locksmiths=2)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    slots = world.slots(live_db)  # time order; 0 and 2 are the same locksmith's
    assert slots[0].locksmith_id == slots[2].locksmith_id
    first, second = (
        services.book_slot(
            live_db, world.citizens[i].id, slots[s].id, now=clock.now(), cutoff=timedelta(0)
        )
        for i, s in ((0, 0), (1, 2))
    )
    live_db.commit()  # services never commit: the test commits as a view would
    first_name, second_name = world.citizens[0].name, world.citizens[1].name
    first_slot, second_slot, second_id = first.slot_id, second.slot_id, second.id
    smith = slots[0].locksmith_id
    day = slots[0].local_date.isoformat()
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/schedule?campaign={world.campaign.id}&day={day}")
    count = page.locator(f"#booked-count-{smith}")
    assert count.inner_text().startswith("2 af ")
    visit(page, "board")

    # Cancel inline: focus goes to the question, then to the freed entry.
    card = page.locator(f"#entry-{first_slot}")
    card.get_by_role("link", name=f"Aflys: {first_name}", exact=True).click()
    card.get_by_role("button", name="Ja, aflys tiden").wait_for()
    page.wait_for_function(FOCUS_MOVED)
    assert page.evaluate("document.activeElement.closest('li').id") == f"entry-{first_slot}"
    visit(page, "inline cancel")
    card.get_by_role("button", name="Ja, aflys tiden").click()
    page.locator(f"#entry-{first_slot} >> text=Ledig").wait_for()
    page.wait_for_function(FOCUS_MOVED)
    assert page.evaluate("document.activeElement.closest('li').id") == f"entry-{first_slot}"
    assert count.inner_text().startswith("1 af ")
    status = page.locator("#board-status")
    assert first_name in status.inner_text() and "er aflyst" in status.inner_text()
    assert status.get_attribute("role") == "status"
    visit(page, "board after the inline cancel")

    # Move inline: focus goes to the day; another day is fetched without the CSRF token.
    card = page.locator(f"#entry-{second_slot}")
    card.get_by_role("link", name=f"Flyt: {second_name}", exact=True).click()
    select = page.locator(f"#move-day-{second_id}")
    select.wait_for()
    page.wait_for_function(f"() => document.activeElement.id === 'move-day-{second_id}'")
    visit(page, "inline move")
    other_day = select.locator("option").nth(1).get_attribute("value")
    select.select_option(other_day)
    page.locator(f"#move-{second_id} input[name=day][value='{other_day}']").wait_for(
        state="attached"
    )
    page.wait_for_function(FOCUS_MOVED)
    assert not [u for u in urls if "csrf" in u.lower()], urls
    assert any(f"day={other_day}" in u for u in urls)
    page.locator(f"#move-{second_id} input[type=radio]").first.check()
    page.get_by_role("button", name="Flyt tiden").click()
    page.wait_for_url(f"**day={other_day}")
    assert f"Tiden for {second_name} er flyttet" in page.inner_text("main")
    visit(page, "board after the move")
    live_db.expire_all()
    moved = live_db.get(Appointment, second_id)
    assert moved.slot.local_date.isoformat() == other_day
    assert not [u for u in urls if "csrf" in u.lower()], urls


def test_locksmith_buttons_name_the_citizen_without_a_stray_space(
    browser_page, live_server, live_db
):
    world, job = world_with_job_today(live_db)
    name = world.citizens[0].name
    page = browser_page
    sign_in_staff(page, live_server, world.locksmiths[0], PASSWORD)
    page.goto(f"{live_server}/locksmith/")
    for label in (f"Afslut opgaven: {name}", f"Kunne ikke montere: {name}"):
        assert page.get_by_role("link", name=label, exact=True).count() == 1, label
    # The number to call before arriving (the booking's) and the citizen's own, here the same.
    calls = page.get_by_role("link", name="20 12 34 56")
    assert calls.count() == 2
    assert {calls.nth(i).get_attribute("href") for i in range(2)} == {"tel:+4520123456"}
    visit(page, "my day")


def test_the_move_page_of_its_own_ends_on_the_board_with_its_address(
    browser_page, live_server, live_db
):
    """Opened from the citizen's page (not inline on the board): after the move the browser
    shows the board at the board's address, so a reload does not bring the move form back."""
    page = browser_page
    world = make_world(live_db, citizens=2, locksmiths=2)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    slots = world.slots(live_db)
    booked = services.book_slot(
        live_db, world.citizens[0].id, slots[0].id, now=clock.now(), cutoff=timedelta(0)
    )
    live_db.commit()
    booked_id = booked.id
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/appointments/{booked_id}/move")
    visit(page, "the move page")
    page.locator(f"#move-{booked_id} input[type=radio]").first.check()
    page.get_by_role("button", name="Flyt tiden").click()
    page.wait_for_url(re.compile(r".*/coordinator/schedule\?.*"))
    assert "er flyttet" in page.inner_text("main")
    page.reload()
    assert "/move" not in page.url and "er flyttet" not in page.inner_text("main")
