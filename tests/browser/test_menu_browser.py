"""A long main menu folds behind a "Menu" button on a phone; on a wide screen, with JavaScript
off, and for a short menu, every item stays in view."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import PHONE, assert_accessible
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _links(page):
    return page.get_by_role("navigation", name="Hovedmenu").get_by_role("link")


def _on_a_phone(page, live_server, live_db, role: str):
    """Signed in as a new `role` account at 390 px."""
    user = make_user(live_db, role)
    live_db.commit()
    page.set_viewport_size(PHONE)
    sign_in_staff(page, live_server, user, PASSWORD)


def test_a_coordinator_opens_the_menu_on_a_phone(browser_page, live_server, live_db):
    page = browser_page
    _on_a_phone(page, live_server, live_db, "coordinator")
    toggle = page.get_by_role("button", name="Menu", exact=True)
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    letters = _links(page).filter(has_text="Breve")
    assert letters.is_hidden()  # folded: the page begins right under the header
    assert_accessible(page, "menu folded, 390 px")

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert letters.is_visible() and _links(page).count() > 6
    assert_accessible(page, "menu open, 390 px")
    letters.click()
    page.wait_for_url("**/coordinator/letters")
    assert page.get_by_role("button", name="Menu", exact=True).get_attribute("aria-expanded") == (
        "false"
    )

    toggle = page.get_by_role("button", name="Menu", exact=True)
    toggle.click()  # and closes again
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false" and letters.is_hidden()

    page.set_viewport_size({"width": 1280, "height": 900})  # a wide screen: the whole row
    assert toggle.is_hidden() and letters.is_visible()
    assert_accessible(page, "menu, 1280 px")


def test_the_menu_folds_in_swedish_without_javascript_and_a_link_opens_it(
    nojs_page, live_server, live_db
):
    """Without JavaScript a long menu took about 300 px of a phone before every page; it folds
    there too, behind a "Meny" link to the list (CSS :target), and is whole on a wide screen."""
    page = nojs_page
    admin = make_user(live_db, "provider_admin")
    live_db.commit()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/language/sv?next=/sign-in/staff")
    sign_in_staff(page, live_server, admin, PASSWORD)
    nav = page.get_by_role("navigation", name="Huvudmeny")
    items = nav.locator("ul.mainmenu > li")  # hidden ones are not in the accessibility tree
    assert items.count() == 8  # seven pages and "Ditt konto"
    assert not any(item.is_visible() for item in items.all())
    assert page.get_by_role("button", name="Meny", exact=True).is_hidden()
    opener = nav.get_by_role("link", name="Meny", exact=True)
    assert opener.is_visible()
    assert_accessible(page, "menu folded without JavaScript, 390 px")
    opener.click()
    assert all(item.is_visible() for item in items.all())
    assert_accessible(page, "menu opened without JavaScript, 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/provider/staff")
    assert all(item.is_visible() for item in items.all()) and opener.is_hidden()


def test_a_short_menu_is_not_folded(browser_page, live_server, live_db):
    page = browser_page
    _on_a_phone(page, live_server, live_db, "locksmith")
    assert page.get_by_role("button", name="Menu", exact=True).count() == 0
    assert _links(page).first.is_visible()
