"""The follow-up queue with a failed repair, and the locksmith's cards with whom to call, in a
real browser: axe at 1280 and 390 px (visit), no sideways scroll on a phone."""

import pytest

from portal.locksmith.models import JobKind
from tests.booking.browser_steps import sign_in_staff, visit
from tests.factories import PASSWORD, make_user
from tests.locksmith.follow_up_support import (
    CITIZEN_PHONE,
    RELATIVE_PHONE,
    failed_jobs,
    planned_jobs,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_a_failed_repair_waits_in_the_queue_until_handled(browser_page, live_server, live_db):
    page = browser_page
    place = failed_jobs(live_db, kinds=(JobKind.REPAIR,))
    repair = place.jobs["repair"]
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.get_by_role("link", name="Opfølgning").first.click()
    page.wait_for_url("**/coordinator/follow-up")
    row = page.locator(f"#follow-up-{repair.id}")
    for text in ("Karen Hansen", "Reparation", "Der var ingen hjemme", "20 12 34 56"):
        assert text in row.inner_text(), text
    assert row.locator(f"a[href='tel:{CITIZEN_PHONE}']").count() == 1
    assert "1 opgave skal følges op." in page.inner_text("main")
    visit(page, "follow-up queue with a failed repair")
    page.set_viewport_size(PHONE)
    assert row.get_by_role("button", name="Markér som klaret").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    row.get_by_role("button", name="Markér som klaret").click()
    page.wait_for_url("**/coordinator/follow-up")
    main = page.inner_text("main")
    assert "Opgaven er markeret som klaret." in main and "Intet at følge op på." in main
    visit(page, "follow-up queue, handled")


def test_every_card_of_the_day_has_the_phone_to_call(browser_page, live_server, live_db):
    page = browser_page
    place = planned_jobs(live_db, kinds=(JobKind.FITTING, JobKind.BATTERY, JobKind.REPAIR))
    sign_in_staff(page, live_server, place.smith, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/locksmith/")
    for kind, job in place.jobs.items():
        card = page.locator(f"#job-{job.id}")
        for number in (CITIZEN_PHONE, RELATIVE_PHONE):
            assert card.locator(f"a[href='tel:{number}']").is_visible(), (kind, number)
        assert "Borgerens telefon" in card.inner_text()
    visit(page, "my day with phones, 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, "my day with phones, 1280 px")
