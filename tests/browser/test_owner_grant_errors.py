"""The owner's grant form with several errors, in Swedish on a phone and with axe at 1280 and
390 px: the error summary lists them in the order of the fields on the page."""

import pytest

from portal.consent import terms
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import PHONE, submit
from tests.browser.test_owner_consent import _organisation
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_the_error_summary_follows_the_fields(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    _org, prop, _code, user = _organisation(live_db, lang="sv", with_user=True)
    page.goto(f"{base}/language/sv?next=/sign-in/owner")
    sign_in_staff(page, base, user, PASSWORD)
    page.wait_for_url("**/owner/")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/owner/entrances/{prop.entrances[0].id}")
    page.fill("#grant-signer_name", "Sven Svensson")
    page.fill("#grant-typed", terms.confirmation_phrase("sv").lower() + " inte")
    page.select_option("#grant-day_1", "0")
    page.fill("#grant-starts_1", "12:00")
    page.fill("#grant-ends_1", "09:00")
    submit(page, page.get_by_role("button", name="Ge samtycke"))
    links = page.locator(".error-summary a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').slice(1))"
    )
    assert links == ["grant-signer_role", "grant-may_sign", "grant-typed", "grant-ends_1"]
    tops = [page.locator(f"#{i}").bounding_box()["y"] for i in links]
    assert tops == sorted(tops)  # down the page, as the summary reads
    assert page.input_value("#grant-signer_name") == "Sven Svensson"
    visit(page, "grant with several errors (sv)")


def test_the_name_is_filled_in_and_the_summary_names_the_time(browser_page, live_server, live_db):
    """Danish at 1280 px (visit checks 390 px too): the signer's name starts as the owner's own
    and stays editable; a time typed wrong is named in the summary by its row and field."""
    page, base = browser_page, live_server
    _org, prop, _code, user = _organisation(live_db, lang="da", with_user=True)
    page.goto(f"{base}/language/da?next=/sign-in/owner")
    sign_in_staff(page, base, user, PASSWORD)
    page.wait_for_url("**/owner/")
    page.goto(f"{base}/owner/entrances/{prop.entrances[0].id}")
    assert page.input_value("#grant-signer_name") == user.name
    visit(page, "grant form, the name filled in (da)")
    page.fill("#grant-signer_role", "Formand")
    page.check("#grant-may_sign")
    page.fill("#grant-typed", terms.confirmation_phrase("da"))
    page.select_option("#grant-day_1", "0")
    page.fill("#grant-starts_1", "9")
    page.fill("#grant-ends_1", "12:00")
    submit(page, page.get_by_role("button", name="Giv samtykke", exact=True))
    summary = page.locator(".error-summary")
    assert summary.inner_text().count("Tidspunkt 1, fra: skriv et klokkeslæt som 09:00") == 1
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "grant-starts_1"
    assert page.input_value("#grant-signer_name") == user.name
    visit(page, "grant with a time named in the summary (da)")
