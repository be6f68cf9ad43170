"""Once care is ending the coordinator still finds the citizen, in the browser (axe at 1280 and
390 px; Danish with JavaScript, Swedish without): the follow-up list says why instead of "Book
a new time" and the phone booking's search lists the citizen without a choice to book, both
naming the request and linking to it; the link opens the request."""

from datetime import timedelta

import pytest

from tests.booking.browser_steps import sign_in_staff, visit
from tests.booking.support import make_world
from tests.browser.conftest import DESKTOP, PHONE, look, submit
from tests.changes.support import NOW
from tests.changes.test_booking_closed_board import WORDS, report_death
from tests.changes.test_booking_closed_found import FOUND, failed_fitting
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

SEARCH = {"da": "Søg", "sv": "Sök"}


def _world(db, app):
    """A citizen whose fitting failed (on the follow-up list) and whose death is reported."""
    world = make_world(db, citizens=3, now=NOW)
    citizen = world.citizens[0]
    citizen.name = "Åge Sørensen"
    coordinator = make_user(db, "coordinator")
    job = failed_fitting(db, world, citizen, 0)
    death = report_death(app, db, citizen, (NOW + timedelta(days=1)).date().isoformat())
    return world, citizen, job, death, coordinator


def _at_phone_width(page, name):
    """A screenshot at 390 px to look at (PORTAL_SCREENSHOTS), then back to 1280 px."""
    page.set_viewport_size(PHONE)
    look(page, name)
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize(("page_fixture", "lang"), [("browser_page", "da"), ("nojs_page", "sv")])
def test_the_coordinator_finds_a_citizen_whose_care_is_ending(
    request, live_server, live_app, live_db, page_fixture, lang
):
    page = request.getfixturevalue(page_fixture)
    world, citizen, job, death, coordinator = _world(live_db, live_app)
    words = WORDS[lang].format(name=citizen.name, ref=death.reference)
    heading, link = FOUND[lang]
    link = link.format(ref=death.reference)
    page.goto(f"{live_server}/language/{lang}?next=/accessibility")
    sign_in_staff(page, live_server, coordinator, PASSWORD)

    page.goto(f"{live_server}/coordinator/follow-up")
    row = page.locator(f"#follow-up-{job.id}")
    text = " ".join(row.inner_text().split())
    assert words in text and death.reference in text
    assert row.locator("a[href*='/coordinator/schedule']").count() == 0  # no "Book a new time"
    visit(page, "follow-up list once care is ending")
    _at_phone_width(page, f"closed-follow-up-{lang}-390")
    submit(page, row.get_by_role("link", name=link))
    assert page.url.endswith(f"/coordinator/changes/{death.id}")

    slot = world.slots(live_db)[1]
    page.goto(f"{live_server}/coordinator/slots/{slot.id}/book")
    page.fill("#q", "Åge")
    if page_fixture == "nojs_page":
        submit(page, page.get_by_role("button", name=SEARCH[lang]))
    found = page.locator("#matches [data-testid=closed-matches]")
    found.wait_for()
    text = " ".join(found.inner_text().split())
    assert heading in text and citizen.name in text and words in text, text
    assert page.locator(f"#matches input[value='{citizen.id}']").count() == 0  # not offered
    visit(page, "phone booking search finding a citizen whose care is ending")
    _at_phone_width(page, f"closed-phone-search-{lang}-390")
    submit(page, found.get_by_role("link", name=link))
    assert page.url.endswith(f"/coordinator/changes/{death.id}")
    visit(page, "the request, opened from the search")

    # The board opened for this citizen (an old "Book a new time" link, a bookmark) says why,
    # and its note opens the request too.
    page.goto(
        f"{live_server}/coordinator/schedule?campaign={world.campaign.id}&citizen={citizen.id}"
    )
    note = page.get_by_test_id("booking-closed")
    assert words in " ".join(note.inner_text().split())
    visit(page, "the board opened for a citizen whose care is ending")
    _at_phone_width(page, f"closed-board-{lang}-390")
    submit(page, note.get_by_role("link", name=link))
    assert page.url.endswith(f"/coordinator/changes/{death.id}")
