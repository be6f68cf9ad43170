"""The database drops while a citizen confirms a booking (JavaScript off, as a plain form post):
the 503 page in Danish and in Swedish passes axe at desktop width and at 390 px, and its
"Try again" button books the same time once the database answers again."""

import re

import pytest
from sqlalchemy import func, select

from portal.booking.models import Appointment
from portal.extensions import db as _db
from tests.booking.browser_steps import CONFIRMATION, answer_questions, sign_in_citizen
from tests.booking.support import make_world
from tests.browser.conftest import PHONE, assert_accessible
from tests.faults.outage import inserts_into, outage

pytestmark = pytest.mark.browser


def _check_503(page, heading: str, button: str, what: str):
    assert page.locator("h1").inner_text() == heading
    assert page.get_by_role("button", name=button).is_visible()
    checker = page.axe_page
    for width in (1100, PHONE["width"]):
        checker.set_viewport_size({"width": width, "height": PHONE["height"]})
        checker.goto(page.url.split("/citizen/")[0] + "/accessibility")
        checker.set_content(page.content())
        assert_accessible(checker, f"{what} at {width} px")


def test_database_gone_while_confirming_then_try_again_books(nojs_page, live_server, live_db):
    page = nojs_page
    world = make_world(live_db)
    sign_in_citizen(page, live_server, world.citizens[0])
    page.goto(live_server + "/citizen/booking/day?start=new")
    answer_questions(page)
    engine = _db.engine  # the live app's engine (live_db holds its app context)
    with outage(engine, when=inserts_into("appointment")) as left:
        page.get_by_role("button", name="Bekræft tiden").click()
        page.wait_for_load_state()
    assert left["n"] == 0
    _check_503(page, "Portalen kan ikke nå sin database lige nu", "Prøv igen", "503 (da)")

    page.goto(live_server + "/language/sv?next=/citizen/booking/check")
    with outage(engine, when=inserts_into("appointment")):
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
    _check_503(page, "Portalen når inte sin databas just nu", "Försök igen", "503 (sv)")
    live_db.expire_all()
    assert live_db.scalar(select(func.count()).select_from(Appointment)) == 0

    page.get_by_role("button", name="Försök igen").click()
    page.wait_for_url(CONFIRMATION)
    live_db.expire_all()
    assert live_db.scalar(select(func.count()).select_from(Appointment)) == 1
    assert re.search(r"/citizen/booking/\d+", page.url)
