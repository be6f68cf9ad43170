"""The citizen import and the register search as a Danish coordinator sees them, with axe at
1280 and 390 px: a file with the portal's own Danish headers, a file of rows in error, and a
file with a value too long to read (an error of its row), and a search by the date part of a CPR
number, by a name typed with ö for ø and by one typed without its ä ("Marta" for Märta)."""

import re
from datetime import date

from tests.browser.conftest import assert_accessible, assert_on_phone
from tests.browser.test_foundation_journeys import _sign_in_staff
from tests.citizens.csvdata import csv_bytes, make_reference_data, row
from tests.citizens.test_import_wording import DANISH, _with_header
from tests.factories import make_citizen, make_user


def _upload(page, base, raw: bytes):
    page.goto(base + "/coordinator/import")
    page.set_input_files(
        "#file", files=[{"name": "eksport.csv", "mimeType": "text/csv", "buffer": raw}]
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/coordinator/import/\d+$"))


def test_danish_headers_and_a_file_of_errors_in_the_preview(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    make_reference_data(live_db)
    user = make_user(live_db, "coordinator")
    live_db.commit()
    _sign_in_staff(page, base, user, axe=False)

    _upload(page, base, _with_header(DANISH, [row(1), row(2)]))
    assert page.locator("table thead th").nth(1).inner_text() == "Eksternt id"
    assert_accessible(page, "preview of a Danish-headed file")
    assert_on_phone(page, "preview of a Danish-headed file")

    _upload(page, base, csv_bytes([row(3, phone="1"), row(4, phone="2")]))
    alert = page.locator(".alert-text").last.inner_text()
    assert "ingen af de 2 rækker er gyldige" in alert and "findes allerede" not in alert
    assert_accessible(page, "preview of a file of errors")
    assert_on_phone(page, "preview of a file of errors")


def test_the_register_finds_the_date_part_of_a_cpr_number(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    make_reference_data(live_db)
    people = (("Bent Sørensen", date(1935, 9, 9)), ("Carl Hansen", date(1936, 9, 9)))
    for name, born in (*people, ("Märta Müller", date(1940, 1, 2))):
        make_citizen(live_db, name=name, date_of_birth=born)
    user = make_user(live_db, "coordinator")
    live_db.commit()
    _sign_in_staff(page, base, user, axe=False)
    page.goto(base + "/coordinator/citizens?q=090935")
    assert page.locator("#results tbody tr th").all_inner_texts() == ["Bent Sørensen"]
    assert page.input_value("#q") == "090935"
    assert_accessible(page, "register searched by a date")
    assert_on_phone(page, "register searched by a date")
    page.goto(base + "/coordinator/citizens?q=S%C3%B6rensen")  # Sörensen, a Swedish keyboard
    assert page.locator("#results tbody tr th").all_inner_texts() == ["Bent Sørensen"]
    assert_accessible(page, "register searched with ö for ø")
    page.goto(base + "/coordinator/citizens?q=Marta+Mueller")  # no ä and ü on the keyboard
    assert page.locator("#results tbody tr th").all_inner_texts() == ["Märta Müller"]
    assert_accessible(page, "register searched without ä and ü")
    assert_on_phone(page, "register searched without ä and ü")


def test_a_value_too_long_to_read_is_an_error_of_its_row(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    make_reference_data(live_db)
    user = make_user(live_db, "coordinator")
    live_db.commit()
    _sign_in_staff(page, base, user, axe=False)
    _upload(page, base, csv_bytes([row(1), row(2, name="x" * 200_000), row(3)]))
    errors = page.locator("table", has_text="Hvad er forkert").inner_text()
    assert "Navn (name): For lang (højst 500 tegn)" in errors and "3" in errors
    assert page.get_by_role("button", name="Importér 2 borgere").is_visible()
    assert_accessible(page, "preview with a value too long to read")
    assert_on_phone(page, "preview with a value too long to read")


def test_the_receipt_lists_the_rows_skipped_and_why(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    make_reference_data(live_db)
    user = make_user(live_db, "coordinator")
    live_db.commit()
    _sign_in_staff(page, base, user, axe=False)
    bad = {"name": "", "address": "", "language": "fi", "provider": "Ukendt ApS"}
    _upload(page, base, csv_bytes([row(1), row(2, **bad)]))
    errors = page.locator("table", has_text="Hvad er forkert").inner_text()
    for problem in ("Navn (name): Mangler", "Sprog (language)", "Leverandør (provider)"):
        assert problem in errors
    page.get_by_role("button", name="Importér 1 borger").click()
    page.wait_for_url(re.compile(r"/result$"))
    skipped = page.locator("table", has_text="Hvad er forkert").inner_text()
    assert "Leverandør (provider): Ukendt leverandør: Ukendt ApS" in skipped and "3" in skipped
    assert_accessible(page, "import receipt with the rows skipped")
    assert_on_phone(page, "import receipt with the rows skipped")
