"""The front page renders in chromium with its styles and passes axe."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_front_page_in_a_real_browser(browser_page, live_server):
    browser_page.goto(live_server + "/")
    assert browser_page.locator("h1").inner_text()
    font = browser_page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "IBM Plex Sans" in font
    assert_accessible(browser_page)
