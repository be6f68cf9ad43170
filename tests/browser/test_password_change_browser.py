"""A partner admin whose password the coordinator read off the page changes it: the header's
link, a wrong current password and a mismatch answered next to the fields, then the new
password. Danish and Swedish; axe at 1280 px, 390 px and 320 px on every page."""

import pytest

from tests.browser.conftest import assert_accessible_everywhere, submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser
NEW = "en sætning ingen andre har læst"
TEXTS = {
    "da": ("Skift adgangskode", "Det er ikke den adgangskode, du bruger nu."),
    "sv": ("Byt lösenord", "Det är inte det lösenord du använder nu."),
}


def _catalog(lang: str, msgid: str) -> str:
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "portal" / "translations" / lang
    with open(path / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh)[msgid].string


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_a_partner_admin_changes_the_password_the_coordinator_chose(
    browser_page, live_server, live_db, lang
):
    page = browser_page
    admin = make_user(live_db, "partner_admin")
    live_db.commit()
    page.goto(f"{live_server}/language/{lang}?next=/sign-in/staff")
    page.fill("#email", admin.email)
    page.fill("#password", PASSWORD)
    submit(page, "main button[type=submit]")
    link, wrong = TEXTS[lang]
    page.get_by_role("link", name=link).click()
    page.wait_for_url("**/account/password")
    assert_accessible_everywhere(page, f"change password ({lang})")
    page.fill("#current", "not the password")
    page.fill("#password", NEW)
    page.fill("#confirm", NEW)
    submit(page, page.get_by_role("button", name=link))
    assert wrong in page.inner_text("main")
    assert page.locator(".error-summary a[href='#current']").count() == 1
    assert_accessible_everywhere(page, f"change password, wrong current ({lang})")
    page.fill("#current", PASSWORD)
    page.fill("#password", NEW)
    page.fill("#confirm", NEW + "!")
    submit(page, page.get_by_role("button", name=link))
    assert _catalog(lang, "The two passwords are not the same") in page.inner_text("main")
    assert_accessible_everywhere(page, f"change password, mismatch ({lang})")
    page.fill("#current", PASSWORD)
    page.fill("#password", NEW)
    page.fill("#confirm", NEW)
    page.get_by_role("button", name=link).click()
    page.wait_for_url(lambda url: not url.endswith("/account/password"))
    done = _catalog(
        lang, "Your password is changed. Anywhere else you were signed in, you are signed out."
    )
    assert done in page.inner_text("main")
    assert_accessible_everywhere(page, f"password changed ({lang})")
