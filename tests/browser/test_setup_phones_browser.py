"""A coordinator types a bad phone number in the municipality's texts, for a provider and for a
partner company: each comes back with the message next to the field and what was typed; a good
number is saved and shown as people write it. Danish UI; axe at desktop width and at 390 px."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import (
    assert_accessible_everywhere,
    assert_refused_and_kept,
    look,
    submit,
)
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser
MESSAGE = "Skriv et telefonnummer, for eksempel 34 41 23 45"


def _texts(page):
    page.fill("#name", "Demoby Kommune Nord")
    page.fill("#email", "hjemmepleje@kommune.example")
    page.fill("#sender_address", "Rådhuspladsen 2, 4100 Demoby")
    page.fill("#portal_url", "https://noeglefri.kommune.example")
    page.fill("#signature_name", "Eva Lind")
    for lang in ("da", "sv", "en"):
        page.fill(f"#hours_{lang}", f"man–fre 9–15 ({lang})")
        page.fill(f"#signature_title_{lang}", f"Chef ({lang})")


def _danish_coordinator(page, live_server, live_db):
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.goto(f"{live_server}/language/da?next=/accessibility")
    sign_in_staff(page, live_server, coordinator, PASSWORD)


def test_bad_phone_numbers_are_refused_and_kept(browser_page, live_server, live_db):
    page = browser_page
    _danish_coordinator(page, live_server, live_db)

    page.goto(live_server + "/coordinator/setup/texts")
    _texts(page)
    page.fill("#phone", "ring mig")
    submit(page, "main form button[type=submit]")
    assert MESSAGE in page.locator("#phone").locator("xpath=..").inner_text()
    assert page.locator("#phone").input_value() == "ring mig"
    assert page.locator(".alert-error a[href='#phone']").count() == 1
    assert_accessible_everywhere(page, "texts with a bad phone")
    look(page, "setup_texts_bad_phone")
    page.fill("#phone", "+45 70-20-30-40")
    submit(page, "main form button[type=submit]")
    page.wait_for_url("**/coordinator/setup")
    footer = page.locator("footer a[href^='tel:']").first
    assert footer.get_attribute("href") == "tel:+4570203040"
    assert footer.inner_text() == "70 20 30 40"

    page.goto(live_server + "/coordinator/setup/providers/new")
    page.fill("#name", "Hjemmeplejen Demoby")
    page.locator("#kind-0").check()
    page.fill("#phone", "12")
    submit(page, "main form button[type=submit]")
    assert page.locator("#phone").input_value() == "12"
    assert MESSAGE in page.content()
    assert_accessible_everywhere(page, "new provider with a bad phone")
    page.fill("#phone", "20123456")
    submit(page, "main form button[type=submit]")
    page.wait_for_url("**/coordinator/setup/providers")
    assert "20 12 34 56" in page.locator("main table").inner_text()

    page.goto(live_server + "/coordinator/partners/new")
    page.fill("#name", "Posten")
    page.fill("#phone", "x")
    submit(page, "main form button[type=submit]")
    assert page.locator("#phone").input_value() == "x"
    assert MESSAGE in page.content()
    assert_accessible_everywhere(page, "new partner with a bad phone")
    page.fill("#phone", "20 12 34 56")
    submit(page, "main form button[type=submit]")
    assert "20 12 34 56" in page.locator("main").inner_text()


def test_the_owners_phone_is_checked_like_every_other_phone(browser_page, live_server, live_db):
    page = browser_page
    _danish_coordinator(page, live_server, live_db)

    page.goto(live_server + "/coordinator/owners/new")
    page.fill("#name", "Boligselskabet Nord")
    page.fill("#phone", "08-123 456 78")  # a Swedish number without +46, in Denmark
    submit(page, "main form button[type=submit]")
    assert_refused_and_kept(page, "phone", MESSAGE, "08-123 456 78")
    assert page.locator("#name").input_value() == "Boligselskabet Nord"
    assert_accessible_everywhere(page, "new owner with a bad phone")
    look(page, "owner_bad_phone")
    page.fill("#phone", "0045 20-12-34-56")
    submit(page, "main form button[type=submit]")
    page.goto(live_server + "/coordinator/owners")
    assert "20 12 34 56" in page.locator("main table").inner_text()
    assert_accessible_everywhere(page, "owners with a phone")
    look(page, "owners_phone")
