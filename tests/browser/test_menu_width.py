"""The coordinator's main menu has many items: at desktop widths it wraps onto a second row
instead of running off the page, so no page needs a sideways scroll."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 1000])
def test_the_coordinators_menu_fits_the_page(browser_page, live_server, live_db, width):
    page = browser_page
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    assert page.locator("ul.mainmenu > li").count() >= 12  # every feature adds its page
    last = page.locator("ul.mainmenu > li").last
    assert last.is_visible()
    assert_no_horizontal_scroll(page, f"coordinator start page at {width} px")
    assert_accessible(page, f"coordinator start page at {width} px")
