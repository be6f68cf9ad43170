"""Language names in the page's language on the set-up texts, the citizen's page and the
letters page (Swedish and Danish UI); axe at desktop width and at 390 px."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import assert_accessible, assert_on_phone, look
from tests.factories import PASSWORD, make_citizen, make_district, make_user

pytestmark = pytest.mark.browser


def _check(page, what):
    assert_accessible(page, what)
    assert_on_phone(page, what)


def test_language_names_follow_the_page_language(browser_page, live_server, live_db):
    page = browser_page
    district = make_district(live_db, name="Nordby")
    people = [
        make_citizen(live_db, district=district, language=lang) for lang in ("da", "sv", "en")
    ]
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.goto(f"{live_server}/language/sv?next=/accessibility")
    sign_in_staff(page, live_server, coordinator, PASSWORD)

    page.goto(live_server + "/coordinator/setup/texts")
    assert page.locator("label[for=hours_en]").inner_text() == "Telefontid på engelska"
    assert page.locator("label[for=signature_title_da]").inner_text() == (
        "Titel under underskriften på danska"
    )
    assert "måndag–fredag" in page.locator("#hours_sv-hint").inner_text()
    assert "Monday to Friday" in page.locator("#hours_en-hint").inner_text()
    assert page.locator("label[for=phone]").inner_text() == "Telefonnummer som brukarna ringer till"
    _check(page, "texts, Swedish")
    look(page, "setup_texts_sv")

    page.goto(f"{live_server}/coordinator/letters?scope=district:{district.id}")
    assert "danska 1, engelska 1, svenska 1" in " ".join(page.locator("main").inner_text().split())
    _check(page, "letters, Swedish")

    page.goto(f"{live_server}/language/da?next=/coordinator/citizens/{people[2].id}")
    page.wait_for_url(f"**/coordinator/citizens/{people[2].id}")
    assert "engelsk" in page.locator("main").inner_text()
    assert "English" not in page.locator("main").inner_text()
    assert page.locator("nav.language-switcher a[hreflang=en]").inner_text() == "English"
    _check(page, "citizen, Danish")
