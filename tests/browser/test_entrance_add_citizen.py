"""The coordinator puts a citizen behind an entrance in a real browser, with axe at 1280 and
390 px: by external id, by a name that several share (picked from the list), and a name nobody
has (the message at the field, the text kept)."""

import pytest

from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import assert_refused_and_kept, look, submit
from tests.factories import PASSWORD, make_citizen, make_district, make_property, make_user

pytestmark = pytest.mark.browser


def test_a_coordinator_adds_citizens_by_external_id_and_by_name(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    district = make_district(live_db, name="Nordby")
    prop = make_property(live_db, district=district, entrances=2, address="Skolegade 11")
    make_citizen(live_db, district=district, name="Agnes Jensen", external_id="DEMO-0130")
    make_citizen(live_db, district=district, name="Anna Holm", external_id="DEMO-0201")
    make_citizen(live_db, district=district, name="Anne Holm", external_id="DEMO-0202")
    user = make_user(live_db, "coordinator")
    live_db.commit()
    second = prop.entrances[1]
    field = f"#citizen-{second.id}"
    sign_in_staff(page, base, user, PASSWORD)
    page.goto(f"{base}/coordinator/properties/{prop.id}")
    visit(page, "property page")

    page.fill(field, "DEMO-0130")
    submit(page, page.locator(f"#entrance-{second.id} form:has({field}) button[type=submit]"))
    assert "Agnes Jensen" in page.locator(f"#entrance-{second.id}").inner_text()

    page.fill(field, "Holm")
    submit(page, page.locator(f"#entrance-{second.id} form:has({field}) button[type=submit]"))
    assert "2 borgere passer med »Holm«" in page.inner_text(".error-summary")
    assert page.input_value(field) == "Holm"
    visit(page, "property page, several match")
    look(page, "coord_entrance_addcitizen_several_da")
    submit(page, page.get_by_role("button", name="Tilføj Anne Holm"))
    assert "Anne Holm" in page.locator(f"#entrance-{second.id} table.table--compact").inner_text()
    assert (
        "Anna Holm" not in page.locator(f"#entrance-{second.id} table.table--compact").inner_text()
    )

    page.fill(field, "Ingen Sådan")
    submit(page, page.locator(f"#entrance-{second.id} form:has({field}) button[type=submit]"))
    message = "Ingen borger har dette eksterne id eller navn."
    assert_refused_and_kept(page, field[1:], message, "Ingen Sådan")
    assert page.title().startswith("Fejl:")
    visit(page, "property page, no match")
    look(page, "coord_entrance_addcitizen_none_da")
