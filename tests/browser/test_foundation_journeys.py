"""Foundation journeys in a real chromium, with axe on every page visited:
a coordinator imports citizens and finds one with live search; a citizen signs in in Danish;
the language switch; and the register search with JavaScript off."""

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from portal.citizens.letter_codes import grouped
from tests.browser.conftest import assert_accessible, submit
from tests.citizens.csvdata import csv_bytes, make_reference_data, row
from tests.factories import PASSWORD, make_citizen, make_user

pytestmark = pytest.mark.browser
CATALOGS = Path(__file__).resolve().parents[2] / "portal" / "translations"


@cache
def _catalog(lang: str) -> dict:
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def t(lang: str, msgid: str) -> str:
    """The catalog's translation (the test fails loudly if it is missing)."""
    text = _catalog(lang)[msgid]
    assert text, f"no {lang} translation for {msgid!r}"
    return text


def failed_requests(page) -> list[str]:
    """Every response with status 400 or more, as "status url" (names what the console hides)."""
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return failed


def _sign_in_staff(page, base, user, axe=True):
    page.goto(base + "/sign-in/staff")
    if axe:
        assert_accessible(page, "staff sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/coordinator/citizens$"))


def test_coordinator_imports_a_file_and_finds_a_citizen_with_live_search(
    browser_page, live_server, live_db
):
    page, base = browser_page, live_server
    failed = failed_requests(page)
    make_reference_data(live_db)
    user = make_user(live_db, "coordinator")
    live_db.commit()
    _sign_in_staff(page, base, user)
    assert_accessible(page, "empty register")

    page.goto(base + "/coordinator/import")
    assert_accessible(page, "import upload")
    rows = [row(i, name=f"Borger {i} Jensen") for i in range(1, 30)] + [
        row(30, name="Åse Ørsted"),
        row(31, phone="12"),
    ]
    page.set_input_files(
        "#file",
        files=[
            {
                "name": "eksport.csv",
                "mimeType": "text/csv",
                "buffer": csv_bytes(rows, delimiter=";"),
            }
        ],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/coordinator/import/\d+$"))
    assert page.locator("h1").inner_text() == t("da", "Check the import")
    assert page.locator(".portal-counts strong").all_inner_texts() == ["30", "0", "0", "1"]
    assert_accessible(page, "import preview")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/result$"))
    assert t("da", "Import done") in page.locator("h1").inner_text()
    assert "30" in page.locator(".alert-text").inner_text()
    assert_accessible(page, "import result")

    page.goto(base + "/coordinator/citizens")
    assert page.locator("#results tbody tr").count() == 25  # the first page of 30
    page.evaluate("window.__noReload = 'still here'")
    page.locator("#q").press_sequentially("ørsted", delay=20)
    # expect() polls without eval (the CSP forbids it, so wait_for_function cannot be used).
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert page.locator("#results tbody tr th").inner_text() == "Åse Ørsted"
    assert page.evaluate("window.__noReload") == "still here"  # swapped in place, no page load
    assert "q=%C3%B8rsted" in page.url or "q=ørsted" in page.url
    assert page.locator("#q").evaluate("el => el === document.activeElement")
    assert_accessible(page, "register after live search")
    page.locator("#results tbody tr a").click()
    page.wait_for_url(re.compile(r"/coordinator/citizens/\d+$"))
    assert page.locator("h1").inner_text() == "Åse Ørsted"
    assert_accessible(page, "citizen detail")
    assert not failed, failed


def test_a_citizen_signs_in_with_code_and_date_of_birth_in_danish(
    browser_page, live_server, live_db
):
    page, base = browser_page, live_server
    failed = failed_requests(page)
    citizen = make_citizen(live_db, date_of_birth=date(1941, 3, 24), name="Karen Kodesen")
    live_db.commit()
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert_accessible(page, "front page")
    page.get_by_role("link", name=t("da", "I am a citizen or relative")).click()
    page.wait_for_url(re.compile(r"/sign-in/citizen$"))
    assert page.locator("h1").inner_text() == t("da", "Sign in with your personal code")
    assert_accessible(page, "citizen sign-in")

    # A wrong date first: one message, the form keeps what was typed, the summary has focus.
    page.fill("#code", grouped(citizen.code).lower())
    page.fill("#day", "25")
    page.fill("#month", "3")
    page.fill("#year", "1941")
    submit(page, page.locator("main form button[type=submit]"))
    summary = page.locator(".error-summary")
    assert (
        t(
            "da",
            "The code or the date of birth is not right. Check both against the letter and try again.",
        )
        in summary.inner_text()
    )
    assert summary.evaluate("el => el === document.activeElement")
    assert page.input_value("#code") == grouped(citizen.code).lower()
    assert page.input_value("#day") == "25"
    assert page.title().startswith(t("da", "Error:"))
    assert_accessible(page, "citizen sign-in with an error")

    page.fill("#day", "24")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/citizen/$"))
    assert page.locator("h1").inner_text() == t("da", "Your keyless home care")
    assert "Karen Kodesen" in page.locator("main").inner_text()
    assert_accessible(page, "citizen home")
    assert not failed, failed


def test_the_language_switch_goes_to_swedish_and_is_remembered(browser_page, live_server):
    page, base = browser_page, live_server
    failed = failed_requests(page)
    page.goto(base + "/accessibility")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h1").inner_text() == t("da", "Accessibility statement")
    page.locator(".language-switcher a[lang=sv]").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert page.url.endswith("/accessibility")
    assert page.locator("h1").inner_text() == t("sv", "Accessibility statement")
    assert page.locator(".language-switcher a[lang=sv]").get_attribute("aria-current") == "true"
    assert_accessible(page, "accessibility statement in Swedish")
    page.goto(base + "/")  # remembered in the session
    assert page.locator("h1").inner_text() == t("sv", "Keyless home care")
    assert_accessible(page, "front page in Swedish")
    page.locator(".language-switcher a[lang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator("h1").inner_text() == "Keyless home care"
    assert not failed, failed


def test_the_register_search_works_with_javascript_off(_browser, live_server, live_db):
    make_reference_data(live_db)
    for i, name in enumerate(["Alma Andersen", "Bent Bak", "Carl Christensen"]):
        make_citizen(live_db, name=name, external_id=f"JS-{i}")
    user = make_user(live_db, "coordinator")
    live_db.commit()
    context = _browser.new_context(java_script_enabled=False, locale="da-DK")
    try:
        page = context.new_page()
        _sign_in_staff(page, live_server, user, axe=False)
        assert page.locator("#results tbody tr").count() == 3
        page.fill("#q", "bak")
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/coordinator/citizens\?.*q=bak"))
        assert page.locator("#results tbody tr th").all_inner_texts() == ["Bent Bak"]
        assert page.input_value("#q") == "bak"
        # No axe here: it runs as JavaScript, which this context forbids (evaluate would hang);
        # the same page is checked with JavaScript on in the coordinator journey.
    finally:
        context.close()
