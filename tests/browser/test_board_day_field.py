"""The board's day field follows the day shown after "Next day with times" (JavaScript on), so
"Show the day" does not jump back."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.booking.support import make_world
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_the_day_field_follows_the_next_day_link(browser_page, live_server, live_db):
    page = browser_page
    world = make_world(live_db, days=10)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    days = sorted({s.local_date for s in world.slots(live_db)})
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/schedule?campaign={world.campaign.id}&day={days[0]}")
    assert page.input_value("#board-day-input") == days[0].isoformat()
    page.get_by_role("link", name="Næste dag med tider").click()
    page.wait_for_url(f"**day={days[1].isoformat()}*")
    page.wait_for_function(
        f"document.querySelector('#board-day-input').value === '{days[1].isoformat()}'"
    )
    assert_accessible(page, "board after next day")
    with page.expect_response(lambda answer: "/coordinator/schedule?" in answer.url):
        page.get_by_role("button", name="Vis dagen").click()  # htmx: no navigation to wait for
    page.wait_for_load_state("networkidle")
    assert days[1].isoformat() in page.url
    assert page.input_value("#board-day-input") == days[1].isoformat()
    assert page.locator("#board-day-heading").inner_text() != ""
