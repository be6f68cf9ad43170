"""Two coordinators change the same availability, then the same campaign, in two browsers: the
later save is refused with a clear message, the typed hours kept and the saved ones shown;
axe at desktop and phone width on the conflict pages."""

import pytest
from sqlalchemy import select

from portal.booking.models import Availability
from portal.rollout.models import Campaign
from tests.booking.browser_steps import sign_in_staff
from tests.booking.support import make_world
from tests.browser.conftest import assert_accessible, assert_on_phone, submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _two_coordinators(browser, first_page, live_server, live_db):
    """A campaign world, its availability, and Anna (first_page) and Bo (a second browser
    context, closed by the caller) signed in as coordinators."""
    world = make_world(live_db)
    anna, bo = make_user(live_db, "coordinator"), make_user(live_db, "coordinator")
    live_db.commit()
    availability = live_db.scalar(select(Availability))
    other = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    second_page = other.new_page()
    sign_in_staff(first_page, live_server, anna, PASSWORD)
    sign_in_staff(second_page, live_server, bo, PASSWORD)
    return world, availability, other, first_page, second_page


def test_two_coordinators_change_the_same_availability_and_campaign(
    _browser, browser_page, live_server, live_db
):
    world, availability, other, page_a, page_b = _two_coordinators(
        _browser, browser_page, live_server, live_db
    )
    url = f"{live_server}/coordinator/availability/{availability.id}"
    try:
        page_a.goto(url)
        page_b.goto(url)
        page_a.fill("#day_end", "13:00")
        page_a.locator("main form button[type=submit]").click()
        page_a.wait_for_url(f"**/coordinator/campaigns/{world.campaign.id}")
        page_b.fill("#day_end", "14:15")
        submit(page_b, page_b.locator("main form button[type=submit]"))
        summary = page_b.locator(".error-summary")
        assert "En anden har ændret denne tilgængelighed" in summary.inner_text()
        assert page_b.title().startswith("Fejl:")
        assert page_b.input_value("#day_end") == "14:15"
        assert "08.00–13.00" in page_b.inner_text("main")
        assert_accessible(page_b, "availability changed by someone else")
        assert_on_phone(page_b, "availability changed by someone else")
        live_db.expire_all()
        assert live_db.get(Availability, availability.id).day_end.strftime("%H:%M") == "13:00"
        page_b.locator("main form button[type=submit]").click()
        page_b.wait_for_url(f"**/coordinator/campaigns/{world.campaign.id}")
        live_db.expire_all()
        assert live_db.get(Availability, availability.id).day_end.strftime("%H:%M") == "14:15"

        campaign_url = f"{live_server}/coordinator/campaigns/{world.campaign.id}"
        page_a.goto(campaign_url)
        page_b.goto(campaign_url)
        submit(page_a, page_a.get_by_role("button", name="Luk kampagnen"))
        submit(page_b, page_b.get_by_role("button", name="Luk for booking indtil videre"))
        assert "En anden har ændret denne kampagne" in page_b.inner_text("main")
        assert_accessible(page_b, "campaign changed by someone else")
        assert_on_phone(page_b, "campaign changed by someone else")
        live_db.expire_all()
        assert live_db.get(Campaign, world.campaign.id).status == "closed"
    finally:
        other.close()


def test_a_removal_confirmed_for_hours_someone_else_changed_asks_again(
    _browser, browser_page, live_server, live_db
):
    world, availability, other, page_a, page_b = _two_coordinators(
        _browser, browser_page, live_server, live_db
    )
    aid = availability.id
    url = f"{live_server}/coordinator/availability/{aid}"
    try:
        page_b.goto(f"{url}/remove")
        assert "08.00–" in page_b.inner_text("main")
        page_a.goto(url)
        page_a.fill("#day_end", "13:00")
        page_a.locator("main form button[type=submit]").click()
        page_a.wait_for_url(f"**/coordinator/campaigns/{world.campaign.id}")
        submit(page_b, page_b.get_by_role("button", name="Ja, fjern dem"))
        summary = page_b.locator(".error-summary")
        assert "En anden har ændret denne tilgængelighed" in summary.inner_text()
        assert page_b.title().startswith("Fejl:")
        assert "08.00–13.00" in page_b.inner_text("main")
        assert_accessible(page_b, "removal of a changed availability")
        assert_on_phone(page_b, "removal of a changed availability")
        live_db.expire_all()
        assert live_db.scalar(select(Availability.id).where(Availability.id == aid)) == aid
        page_b.get_by_role("button", name="Ja, fjern dem").click()
        page_b.wait_for_url(f"**/coordinator/campaigns/{world.campaign.id}")
        assert live_db.scalar(select(Availability.id).where(Availability.id == aid)) is None
    finally:
        other.close()
