"""A coordinator registers a move whose address holds a tab and a right-to-left override (as a
paste from another system may): the page answers in Danish next to the field, keeps what was
typed, and a mended address goes through. axe at desktop width and at 390 px."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import (
    assert_accessible_everywhere,
    assert_refused_and_kept,
    look,
    submit,
)
from tests.changes.support import fitted_citizen, make_town
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser
MESSAGE = "Skriv det på én linje uden linjeskift, tabulatorer eller skjulte kontroltegn"


def test_a_pasted_address_with_control_characters_is_refused_and_kept(
    browser_page, live_server, live_db
):
    page = browser_page
    citizen = fitted_citizen(live_db, make_town(live_db))
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.goto(f"{live_server}/language/da?next=/accessibility")
    sign_in_staff(page, live_server, coordinator, PASSWORD)

    page.goto(f"{live_server}/coordinator/citizens/{citizen.id}/changes/move")
    page.locator("input[name=source]").first.check()
    page.fill("#effective_on", "2026-12-10")
    typed = "Nyvej 1\tst. \u202evt"
    page.fill("#address", typed)
    page.fill("#postcode", "4100")
    page.fill("#city", "Nordby")
    submit(page, "main form button[type=submit]")
    assert_refused_and_kept(page, "address", MESSAGE, typed)
    assert page.locator("#city").input_value() == "Nordby"
    assert_accessible_everywhere(page, "move with a control character in the address")
    look(page, "move_address_control")
    page.fill("#address", "Nyvej 1 st. tv.")
    submit(page, "main form button[type=submit]")
    assert "/coordinator/changes/" in page.url
