"""A coordinator answers a request for access and sets the retention periods in a real browser:
the citizen page's "Data protection" section, the PDF and JSON downloads, the retention page
with an error and a correction; axe at desktop width and at 390 px, in Danish and Swedish."""

import json
from pathlib import Path

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import assert_accessible, assert_on_phone, submit
from tests.factories import PASSWORD, make_user
from tests.privacy.support import make_everything

pytestmark = pytest.mark.browser
TEXT = {
    "da": {
        "section": "Databeskyttelse",
        "pdf": "Hent oplysningerne som PDF",
        "json": "Hent oplysningerne som JSON",
        "retention": "Hvor længe oplysninger opbevares",
        "save": "Gem perioderne",
        "saved": "Opbevaringsperioderne er gemt.",
        "range": "Skriv et helt antal dage",
        "visits": "Besøg",
    },
    "sv": {
        "section": "Dataskydd",
        "pdf": "Hämta uppgifterna som PDF",
        "json": "Hämta uppgifterna som JSON",
        "retention": "Hur länge uppgifter sparas",
        "save": "Spara perioderna",
        "saved": "Lagringstiderna är sparade.",
        "range": "Ange ett helt antal dagar",
        "visits": "Besök",
    },
}


def check(page, what):
    assert_accessible(page, what)
    assert_on_phone(page, what)


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_export_and_retention(browser_page, live_server, live_db, lang):
    page, base, words = browser_page, live_server, TEXT[lang]
    citizen, _ = make_everything(live_db)
    user = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, base, user, PASSWORD)
    page.goto(f"{base}/language/{lang}?next=/coordinator/citizens/{citizen.id}")
    section = page.get_by_role("region", name=words["section"])
    assert section.is_visible()
    check(page, "citizen page with the data protection section")
    with page.expect_download() as pdf:
        section.get_by_role("button", name=words["pdf"]).click()
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as download:
        section.get_by_role("button", name=words["json"]).click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["citizen_id"] == citizen.id and len(data["sections"]) > 10

    section.get_by_role("link", name=words["retention"]).click()
    page.wait_for_url("**/coordinator/data-protection/retention")
    check(page, "retention periods")
    page.get_by_label(words["visits"], exact=True).fill("0")
    submit(page, page.get_by_role("button", name=words["save"]))
    assert words["range"] in page.inner_text(".form-error-message")
    check(page, "retention periods with an error")
    page.get_by_label(words["visits"], exact=True).fill("400")
    submit(page, page.get_by_role("button", name=words["save"]))
    page.wait_for_url("**/coordinator/data-protection/retention")
    assert words["saved"] in page.inner_text("main")
    assert page.get_by_label(words["visits"], exact=True).input_value() == "400"
    check(page, "retention periods saved")


def test_abandoning_an_upload_deletes_its_file(browser_page, live_server, live_db):
    from portal.citizens.models import ImportBatch
    from tests.citizens.csvdata import csv_bytes, make_reference_data, row

    page, base = browser_page, live_server
    make_reference_data(live_db)
    user = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, base, user, PASSWORD)
    page.goto(f"{base}/language/da?next=/coordinator/import")
    page.set_input_files(
        "input[type=file]",
        {"name": "borgere.csv", "mimeType": "text/csv", "buffer": csv_bytes([row(1)])},
    )
    page.locator("main form button[type=submit]").click()  # the upload form's one button
    page.wait_for_url("**/coordinator/import/*")
    check(page, "import preview with the abandon button")
    page.get_by_role("button", name="Opgiv denne fil").click()
    page.wait_for_url("**/coordinator/import")
    assert "Indlæsningen er opgivet" in page.inner_text("main")
    live_db.expire_all()
    batch = live_db.query(ImportBatch).one()
    assert batch.status == "abandoned" and batch.content is None
