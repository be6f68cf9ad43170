"""A coordinator lifts a pause on a citizen's letter code, in the browser (Danish with
JavaScript, Swedish without; axe at 1280 and 390 px): the citizen's page says until when and
why, the button lifts it, and the page says so."""

from datetime import date, timedelta

import pytest

from portal import clock
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import submit
from tests.factories import PASSWORD, make_citizen, make_user

pytestmark = pytest.mark.browser

WORDS = {
    "da": ("Login med brevkoden er sat på pause indtil", "Ophæv pausen", "kan logge ind"),
    "sv": ("Inloggning med brevkoden är pausad till", "Häv pausen", "kan logga in"),
}


@pytest.mark.parametrize(("page_fixture", "lang"), [("browser_page", "da"), ("nojs_page", "sv")])
def test_a_coordinator_lifts_a_paused_letter_code(
    request, live_server, live_db, page_fixture, lang
):
    page = request.getfixturevalue(page_fixture)
    citizen = make_citizen(live_db, date_of_birth=date(1941, 3, 24))
    citizen.code_failures = 5
    citizen.code_locked_until = clock.now() + timedelta(minutes=15)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    paused, button, lifted = WORDS[lang]
    page.goto(f"{live_server}/language/{lang}?next=/accessibility")
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/citizens/{citizen.id}")
    panel = page.get_by_test_id("code-pause")
    assert paused in " ".join(panel.inner_text().split())
    visit(page, "citizen page with a paused letter code")
    submit(page, panel.get_by_role("button", name=button))
    assert page.url.endswith(f"/coordinator/citizens/{citizen.id}")
    assert f"{citizen.name} {lifted}" in " ".join(page.locator("main").inner_text().split())
    assert page.get_by_test_id("code-pause").count() == 0
    visit(page, "citizen page after lifting the pause")
    live_db.expire_all()
    assert citizen.code_locked_until is None and citizen.code_failures == 0
