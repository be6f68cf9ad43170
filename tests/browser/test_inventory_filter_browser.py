"""The lock inventory's filter with JavaScript on: a search too long is named where the user
looks (the summary comes with the results, takes focus, and the field says it too), nothing is
listed, and a corrected search lists again with the messages gone. Danish at desktop width,
Swedish at 390 px; axe at 1280, 390 and 320 px."""

import pytest

from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import PHONE, assert_accessible_everywhere
from tests.browser.test_partners_browser import t
from tests.factories import PASSWORD, make_user
from tests.locksmith.change_support import fitted

pytestmark = pytest.mark.browser
TOO_LONG = "9" * 65


@pytest.mark.parametrize(("lang", "width"), [("da", "desktop"), ("sv", "phone")])
def test_a_search_too_long_is_named_with_javascript(
    browser_page, live_server, live_db, lang, width
):
    _citizen, unit = fitted(live_db)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page = browser_page
    if width == "phone":
        page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/language/{lang}?next=/sign-in/staff")
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/inventory")
    assert unit.serial in page.inner_text("#inventory-results")
    visit(page, f"lock inventory ({lang})")

    page.fill("#q", TOO_LONG)
    page.get_by_role("button", name=t("access", lang, "Show units")).click()
    page.wait_for_url(f"**q={TOO_LONG}**")
    summary = page.locator("#inventory-results .error-summary")
    summary.wait_for()
    said = t("access", lang, "Write at most 64 characters")
    assert said in summary.inner_text() and said in page.inner_text("#inventory-filters")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.get_attribute("#q", "aria-invalid") == "true"
    assert page.input_value("#q") == TOO_LONG  # what was typed stays
    results = page.inner_text("#inventory-results")
    assert unit.serial not in results
    assert t("access", lang, "No units are listed until the filter is corrected.") in results
    assert page.locator("h1").count() == 1  # the fragment, not a page inside the page
    assert_accessible_everywhere(page, f"lock inventory, search too long ({lang})")

    page.fill("#q", unit.serial)
    page.get_by_role("button", name=t("access", lang, "Show units")).click()
    page.wait_for_url(f"**q={unit.serial}**")
    page.locator("#inventory-results tbody tr").first.wait_for()
    assert page.locator(".error-summary").count() == 0
    assert page.get_attribute("#q", "aria-invalid") is None
    assert unit.serial in page.inner_text("#inventory-results")

    # A select sends the list at once: the swapped field keeps the focus (htmx restores it by id).
    page.focus("#kind")
    page.select_option("#kind", "entrance")
    page.wait_for_url("**kind=entrance**")
    page.wait_for_function("() => !document.querySelector('#inventory-results tbody')")
    assert page.evaluate("() => document.activeElement.id") == "kind"
