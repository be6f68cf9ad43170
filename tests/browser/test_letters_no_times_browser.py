"""A new municipality's coordinator chooses a district for the first letters before any
campaign with locksmith times runs there: the warning says so, with htmx (on choosing) and
without JavaScript (on "Show the letters"); axe at 1280 and 390 px."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import assert_accessible, look, submit
from tests.factories import PASSWORD, make_citizen, make_district, make_user

pytestmark = pytest.mark.browser
WARNING = "Ingen, der får disse breve, kan bestille en tid endnu"


def _arrange(live_db):
    district = make_district(live_db, name="Midtby")
    for lang in ("da", "sv"):
        make_citizen(live_db, district=district, language=lang)
    user = make_user(live_db, "coordinator")
    live_db.commit()
    return user


@pytest.mark.parametrize("width", [1280, 390])
def test_the_first_letters_warn_when_nobody_can_book_yet(browser_page, live_server, live_db, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_staff(page, live_server, _arrange(live_db), PASSWORD)
    page.goto(live_server + "/coordinator/letters")
    page.select_option("#scope", label="Midtby")  # htmx fetches the count on change
    choice = page.locator("#letter-choice")
    choice.get_by_text("2 breve", exact=True).wait_for()
    warning = choice.locator(".alert-warning")
    assert WARNING in warning.inner_text() and warning.is_visible()
    assert_accessible(page, f"letters, no times to book, {width} px")
    look(page, f"letters-no-times-{width}")


def test_without_javascript_too(nojs_page, live_server, live_db):
    page = nojs_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_staff(page, live_server, _arrange(live_db), PASSWORD)
    page.goto(live_server + "/coordinator/letters")
    page.select_option("#scope", label="Midtby")
    submit(page, "main form button[type=submit]")
    assert WARNING in page.locator("#letter-choice .alert-warning").inner_text()
    assert_accessible(page, "letters, no times to book, no JavaScript")
