"""The follow-up queue with a failed repair, and the locksmith's cards with whom to call, in a
real browser: axe at 1280 and 390 px (visit), no sideways scroll on a phone; on a phone the
queue is one card per failed job, not a table scrolling inside its own region: the table's own
rows, restyled in CSS, so each job's buttons exist once."""

import os

import pytest

from portal.locksmith.models import JobKind
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import assert_no_horizontal_scroll
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
    assert row.get_by_role("button", name="Markér som klaret").is_visible()  # on its card
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


KINDS_DA = {
    "fitting": "Montering",
    "entrance_unit": "Enhed ved opgang",
    "relocation": "Flytning",
    "removal": "Nedtagning",
    "battery": "Batteriskift",
    "repair": "Reparation",
}


def test_on_a_phone_each_failed_job_is_a_card(browser_page, live_server, live_db):
    page = browser_page
    place = failed_jobs(live_db, note="Ring efter kl. 10")
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/coordinator/follow-up")
    for kind, job in place.jobs.items():
        card = page.locator(f"#follow-up-{job.id}")
        assert card.evaluate("e => getComputedStyle(e).display") == "grid", kind  # a card
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (kind, box)
        text = card.inner_text()
        for wanted in (KINDS_DA[kind], "Der var ingen hjemme", "Ring efter kl. 10"):
            assert wanted in text, (kind, wanted)
        if kind != "entrance_unit":  # an entrance has no citizen to call
            assert "Karen Hansen" in text
            assert card.locator(f"a[href='tel:{CITIZEN_PHONE}']").is_visible(), kind
        if kind != "fitting":  # a fitting is booked again from the schedule
            for name in ("Lav en ny opgave", "Markér som klaret"):
                button = card.get_by_role("button", name=name)
                assert button.is_visible(), (kind, name)
                box = button.bounding_box()
                assert box["x"] + box["width"] <= PHONE["width"], (kind, name, box)
    shots = os.environ.get("PORTAL_SCREENSHOTS")
    if shots:
        page.screenshot(path=os.path.join(shots, "follow-up-390.png"), full_page=True)
    visit(page, "follow-up queue as cards, 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    for job in place.jobs.values():
        row = page.locator(f"#follow-up-{job.id}")
        assert row.evaluate("e => getComputedStyle(e).display") == "table-row"
    if shots:
        page.screenshot(path=os.path.join(shots, "follow-up-1280.png"), full_page=True)
    visit(page, "follow-up queue as a table, 1280 px")
    page.set_viewport_size({"width": 768, "height": 900})  # the table's narrowest width
    assert_no_horizontal_scroll(page, "follow-up queue at 768 px")
