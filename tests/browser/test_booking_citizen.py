"""A citizen books in Danish with JavaScript on and off; "that time was just taken" keeps answers."""

import pytest

from portal import clock
from portal.booking import services
from portal.booking.models import Appointment, Slot
from tests.booking.browser_steps import CONFIRMATION, answer_questions, sign_in_citizen, visit
from tests.booking.support import make_world

pytestmark = pytest.mark.browser


def test_citizen_books_with_javascript_on(browser_page, live_server, live_db):
    page = browser_page
    world = make_world(live_db, locksmiths=2)
    citizen = world.citizens[0]
    boosted = []
    page.on("request", lambda r: boosted.append(r.url) if r.headers.get("hx-boosted") else None)
    sign_in_citizen(page, live_server, citizen)
    visit(page, "home")
    page.get_by_role("link", name="Book en tid").click()
    page.wait_for_url("**/citizen/booking/")
    visit(page, "start")
    page.get_by_role("link", name="Book en tid").click()
    page.wait_for_url("**/citizen/booking/day*")
    page.get_by_role("button", name="Fortsæt").click()  # nothing chosen
    page.locator(".error-summary").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Fejl:")
    visit(page, "day with error")
    answer_questions(page)
    page.get_by_role("button", name="Bekræft tiden").click()
    page.wait_for_url(CONFIRMATION)
    visit(page, "confirmation")
    live_db.expire_all()
    booked = live_db.query(Appointment).one()
    assert page.get_by_text(booked.reference).first.is_visible()
    assert page.get_by_text(booked.door_password).first.is_visible()
    assert "Din montering er booket" in page.inner_text("main")
    assert boosted, "htmx should have boosted the question forms"
    page.get_by_role("link", name="Bekræftelse, du kan printe").click()
    page.wait_for_url("**/citizen/booking/*/print")
    visit(page, "print")


def test_citizen_books_with_javascript_off_and_a_taken_time(nojs_page, live_server, live_db):
    page = nojs_page
    world = make_world(live_db, citizens=2)
    me, rival = world.citizens
    sign_in_citizen(page, live_server, me)
    page.goto(live_server + "/citizen/booking/day?start=new")
    answer_questions(page, door_code="1357")
    chosen = page.inner_text("main")
    # Someone else takes every locksmith's slot at that time before this citizen confirms.
    first_free = live_db.query(Slot).order_by(Slot.starts_at).first()
    services.book_slot(live_db, rival.id, first_free.id, now=clock.now())
    live_db.commit()
    page.get_by_role("button", name="Bekræft tiden").click()
    page.wait_for_url("**/citizen/booking/time")
    assert "Tiden blev netop taget" in page.inner_text("main")
    visit(page, "time taken")
    page.locator("input[name=time]").first.check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/booking/check")
    assert "1357" in page.inner_text("main")  # the details were kept
    assert page.inner_text("main") != chosen
    page.get_by_role("button", name="Bekræft tiden").click()
    page.wait_for_url(CONFIRMATION)
    visit(page, "confirmation without js")
    live_db.expire_all()
    mine = live_db.query(Appointment).filter_by(citizen_id=me.id).one()
    assert mine.status == "booked" and mine.door_code == "1357"


RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


def test_a_relative_books_and_every_page_names_the_citizen(browser_page, live_server, live_db):
    page = browser_page
    world = make_world(live_db)
    citizen = world.citizens[0]
    citizen.name = "Karen Jensen"
    live_db.commit()
    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    page.goto(live_server + "/citizen/booking/")
    visit(page, "start for a relative")
    assert "hoveddøren hos Karen Jensen" in page.inner_text("main")
    page.get_by_role("link", name="Book en tid").click()
    page.wait_for_url("**/citizen/booking/day*")
    visit(page, "day for a relative")
    assert page.inner_text("h1") == "Hvilken dag må låsesmeden komme hjem til Karen Jensen?"
    page.locator("input[name=day]").first.check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/booking/time")
    visit(page, "time for a relative")
    assert page.inner_text("h1") == "Hvornår på dagen må låsesmeden komme hjem til Karen Jensen?"
    page.locator("input[name=time]").first.check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/booking/details")
    visit(page, "details for a relative")
    page.get_by_label("Karen åbner selv døren").check()
    page.locator("#interpreter-0").check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/booking/check")
    visit(page, "check for a relative")
    assert "Når du bekræfter, er tiden booket til Karen Jensen." in page.inner_text("main")
    page.get_by_role("button", name="Bekræft tiden").click()
    page.wait_for_url(CONFIRMATION)
    visit(page, "confirmation for a relative")
    main = page.inner_text("main")
    assert "Monteringen hos Karen Jensen er booket" in main
    assert "og Karen Jensen bruger de samme nøgler som før." in main
    assert "Din montering" not in main and "dine egne nøgler" not in main
