"""A failed htmx request (server error, lost connection) says so in the page's live region,
in the page's language, and the page stays accessible (desktop and 390 px)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _sign_in_staff, t
from tests.citizens.csvdata import make_reference_data
from tests.factories import make_citizen, make_user

pytestmark = pytest.mark.browser
SERVER = "Sorry, something went wrong on our side. Please try again, or reload the page."
NETWORK = "The portal could not be reached. Check your internet connection and try again."


def _fail_htmx_searches(page, how: str):
    """Answer (or drop) every htmx request of the register search."""

    def handle(route):
        if route.request.headers.get("hx-request") != "true":
            return route.continue_()
        if how == "abort":
            return route.abort("internetdisconnected")
        status = 503 if how == "503" else 500  # a 503 from a proxy: not the database's
        return route.fulfill(status=status, body="boom", content_type="text/html")

    page.unroute("**/coordinator/citizens*")
    page.route("**/coordinator/citizens*", handle)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_failed_htmx_request_is_announced(browser_page, live_server, live_db, width):
    page = browser_page
    make_reference_data(live_db)
    make_citizen(live_db, name="Bent Bak")
    user = make_user(live_db, "coordinator")
    live_db.commit()
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in_staff(page, live_server, user, axe=False)
    region = page.locator("[data-request-problem]")
    assert region.get_attribute("role") == "alert"  # announced when it is filled
    expect(region).to_be_empty()

    _fail_htmx_searches(page, "500")
    page.fill("#q", "bak")
    expect(region).to_have_text(t("da", SERVER))
    expect(region.locator(".alert-error")).to_be_visible()
    assert_accessible(page, f"register with a server error at {width} px")

    _fail_htmx_searches(page, "abort")
    page.fill("#q", "ben")
    expect(region).to_have_text(t("da", NETWORK))
    assert_accessible(page, f"register with a lost connection at {width} px")

    page.unroute("**/coordinator/citizens*")
    page.fill("#q", "bent")  # the next request that works clears the message
    expect(region).to_be_empty()
    expect(page.locator("#results tbody tr th")).to_have_text(["Bent Bak"])
    # A 503 that is not the portal's own "database away" (a proxy's, say): the general message.
    _fail_htmx_searches(page, "503")
    page.fill("#q", "bak")
    expect(region).to_have_text(t("da", SERVER))
    # chromium logs each failed request, and htmx logs the error events: those are expected.
    unexpected = [p for p in page.problems if not re.search(r"50[03]|htmx:|ERR_INTERNET", p)]
    assert not unexpected, unexpected
    page.problems.clear()
