"""The database drops while a citizen confirms a booking.

JavaScript off (a plain form post): the 503 page in Danish and in Swedish passes axe at desktop
width and at 390 px, and its "Try again" button books the same time once the database answers
again. JavaScript on (the form is boosted by htmx): the check page stays as it was, the live
region says the database could not be reached and nothing was saved, and pressing the button
again books. The live app's clock stands at the tests' NOW, ticking (`live_clock`)."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from portal.booking.models import Appointment
from portal.extensions import db as _db
from tests.booking.browser_steps import CONFIRMATION, answer_questions, sign_in_citizen
from tests.booking.support import make_world
from tests.browser.conftest import PHONE, assert_accessible, submit
from tests.browser.test_foundation_journeys import t
from tests.factories import NOW
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


def _on_the_check_page(page, live_server, live_db):
    """A citizen of a fresh world has answered the questions; the live app's engine."""
    world = make_world(live_db, now=NOW)
    sign_in_citizen(page, live_server, world.citizens[0])
    page.goto(live_server + "/citizen/booking/day?start=new")
    answer_questions(page)
    return _db.engine  # the live app's engine (live_db holds its app context)


def _appointments(live_db) -> int:
    live_db.expire_all()
    return live_db.scalar(select(func.count()).select_from(Appointment))


def test_database_gone_while_confirming_then_try_again_books(nojs_page, live_server, live_db):
    page = nojs_page
    engine = _on_the_check_page(page, live_server, live_db)
    with outage(engine, when=inserts_into("appointment")) as left:
        submit(page, page.get_by_role("button", name="Bekræft tiden"))
    assert left["n"] == 0
    _check_503(page, "Portalen kan ikke nå sin database lige nu", "Prøv igen", "503 (da)")

    page.goto(live_server + "/language/sv?next=/citizen/booking/check")
    with outage(engine, when=inserts_into("appointment")):
        submit(page, page.locator("main form button[type=submit]").last)
    _check_503(page, "Portalen når inte sin databas just nu", "Försök igen", "503 (sv)")
    assert _appointments(live_db) == 0

    page.get_by_role("button", name="Försök igen").click()
    page.wait_for_url(CONFIRMATION)
    assert _appointments(live_db) == 1
    assert re.search(r"/citizen/booking/\d+", page.url)


UNAVAILABLE = (
    "The portal cannot reach its database just now. Nothing was saved, and what you entered is "
    "still here: wait a moment, then try again."
)


def test_database_gone_while_confirming_with_javascript(browser_page, live_server, live_db):
    page = browser_page
    engine = _on_the_check_page(page, live_server, live_db)
    region = page.locator("[data-request-problem]")
    for lang, confirm in (("da", "Bekræft tiden"), ("sv", "Bekräfta tiden")):
        if lang == "sv":
            page.goto(live_server + "/language/sv?next=/citizen/booking/check")
        with outage(engine, when=inserts_into("appointment")) as left:
            page.get_by_role("button", name=confirm).click()
            expect(region).to_have_text(t(lang, UNAVAILABLE))
        assert left["n"] == 0
        assert page.url.endswith("/citizen/booking/check")  # the same page, nothing swapped
        expect(page.get_by_role("button", name=confirm)).to_be_visible()
        assert _appointments(live_db) == 0
        for width in (1280, PHONE["width"]):
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            assert_accessible(page, f"check page after a 503 ({lang}) at {width} px")

    page.get_by_role("button", name="Bekräfta tiden").click()
    page.wait_for_url(CONFIRMATION)
    assert _appointments(live_db) == 1
    # chromium logs the failed request, and htmx its error event: those are expected.
    unexpected = [p for p in page.problems if not re.search(r"503|htmx:", p)]
    assert not unexpected, unexpected
    page.problems.clear()
