"""A typed or bookmarked /sign-out asks first, in a real browser, with axe at every width."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import assert_accessible_everywhere, submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_the_sign_out_address_asks_and_then_signs_out(browser_page, live_server, live_db):
    page = browser_page
    user = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, user, PASSWORD)
    page.goto(f"{live_server}/sign-out")
    assert page.get_by_role("heading", level=1).inner_text() == "Log ud?"
    assert_accessible_everywhere(page, "the sign-out question")
    submit(page, "main button[type=submit]")
    assert "Du er logget ud." in page.inner_text("main")
    page.goto(f"{live_server}/coordinator/citizens")
    assert "/sign-in/staff" in page.url
