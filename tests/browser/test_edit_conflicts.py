"""Two coordinators change the same availability, then the same campaign, in two browsers: the
later save is refused with a clear message, the typed hours kept and the saved ones shown;
axe at desktop and phone width on the conflict pages."""

import pytest
from sqlalchemy import select

from portal.booking.models import Availability
from portal.rollout.models import Campaign
from tests.booking.browser_steps import sign_in_staff
from tests.booking.support import make_world
from tests.browser.conftest import assert_accessible, assert_on_phone
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_two_coordinators_change_the_same_availability_and_campaign(
    _browser, browser_page, live_server, live_db
):
    world = make_world(live_db)
    anna, bo = make_user(live_db, "coordinator"), make_user(live_db, "coordinator")
    live_db.commit()
    availability = live_db.scalar(select(Availability))
    url = f"{live_server}/coordinator/availability/{availability.id}"
    other = _browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    try:
        page_a, page_b = browser_page, other.new_page()
        sign_in_staff(page_a, live_server, anna, PASSWORD)
        sign_in_staff(page_b, live_server, bo, PASSWORD)
        page_a.goto(url)
        page_b.goto(url)
        page_a.fill("#day_end", "13:00")
        page_a.locator("main form button[type=submit]").click()
        page_a.wait_for_url(f"**/coordinator/campaigns/{world.campaign.id}")
        page_b.fill("#day_end", "14:15")
        page_b.locator("main form button[type=submit]").click()
        page_b.wait_for_load_state()
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
        page_a.get_by_role("button", name="Luk kampagnen").click()
        page_a.wait_for_load_state()
        page_b.get_by_role("button", name="Luk for booking indtil videre").click()
        page_b.wait_for_url(campaign_url)
        assert "En anden har ændret denne kampagne" in page_b.inner_text("main")
        assert_accessible(page_b, "campaign changed by someone else")
        assert_on_phone(page_b, "campaign changed by someone else")
        live_db.expire_all()
        assert live_db.get(Campaign, world.campaign.id).status == "closed"
    finally:
        other.close()
