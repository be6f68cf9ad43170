"""A coordinator who has lost the work phone signs in with a recovery code: the second step
links to a form for it, whose field brings up the whole keyboard on a phone (the app's field
brings up digits only, and recovery codes have letters). A page then says how many codes are
left and leads to setting up the app on the new phone, and the next sign-in takes the new
app's code; "Your account" in the menu shows the new state. axe on each page."""

import re
from datetime import timedelta

import pyotp
import pytest

from portal import clock
from tests.browser.conftest import assert_accessible, look, submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def mfa_on(live_app, monkeypatch):
    monkeypatch.setitem(live_app.config, "MFA_REQUIRED_ROLES", ("coordinator", "provider_admin"))


def _enrolled_with_codes(live_app, live_db):
    from portal.accounts import mfa

    user = make_user(live_db, "coordinator")
    secret = mfa.new_secret()
    now = clock.now()
    codes = mfa.enrol(
        live_db, live_app.extensions["keyring"], user, secret, pyotp.TOTP(secret).at(now), now=now
    )
    live_db.commit()
    return user, codes


def _lost_phone(page, live_server, user, codes, width):
    page.goto(f"{live_server}/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    submit(page, "main button[type=submit]")
    assert page.url.endswith("/sign-in/second-factor")
    assert page.locator("#code").get_attribute("inputmode") == "numeric"
    assert_accessible(page, "second step")
    submit(
        page,
        page.get_by_role("link", name="Har du mistet din telefon? Log ind med en gendannelseskode"),
    )
    assert page.locator("h1").inner_text() == "Log ind med en gendannelseskode"
    field = page.get_by_label("Gendannelseskode")
    assert field.get_attribute("inputmode") is None  # the whole keyboard
    assert_accessible(page, "recovery code form")
    field.fill("ABCDE-FGH23")
    submit(page, "main button[type=submit]")
    summary = page.locator(".error-summary").inner_text()
    assert "Gendannelseskoden er ikke rigtig, eller den er allerede brugt" in summary
    assert "30. sekund" not in page.inner_text("main")
    assert page.get_by_label("Gendannelseskode").input_value() == "ABCDE-FGH23"
    assert_accessible(page, "recovery code form with an error")
    look(page, f"mfa-lost-phone-{width}")
    page.get_by_label("Gendannelseskode").fill(codes[2].lower())
    submit(page, "main button[type=submit]")
    assert page.url.endswith("/sign-in/second-factor/recovered")
    main = page.inner_text("main")
    assert "Du brugte en gendannelseskode" in main and "9 koder tilbage" in main
    assert page.get_by_role("link", name="Fortsæt").get_attribute("href") == (
        "/coordinator/citizens"
    )
    assert_accessible(page, "codes left after a recovery sign-in")
    look(page, f"mfa-recovered-{width}")
    submit(page, page.get_by_role("link", name="Opsæt appen på din nye telefon"))
    assert page.url.endswith("/sign-in/second-factor/setup")
    assert page.locator("#current").count() == 0  # the recovery sign-in was the proof
    assert_accessible(page, "setting up the new phone")
    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).at(clock.now()))
    submit(page, "main button[type=submit]")
    assert page.url.endswith("/recovery-codes") and page.locator(".mfa-codes li").count() == 10
    assert "når du har bekræftet, vises de ikke igen" in page.inner_text("main")
    assert_accessible(page, "the new phone's recovery codes")
    page.get_by_label("Jeg har gemt mine gendannelseskoder").check()
    submit(page, page.get_by_role("button", name="Fortsæt"))
    assert re.search(r"/coordinator/citizens$", page.url)
    _open_your_account(page)
    assert "10 koder tilbage" in page.inner_text("main")
    assert_accessible(page, "your account")
    look(page, f"mfa-your-account-{width}")
    submit(page, page.get_by_role("button", name="Log ud"))
    page.goto(f"{live_server}/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    submit(page, "main button[type=submit]")
    page.fill("#code", pyotp.TOTP(secret).at(clock.now() + NEXT_STEP))  # the new app's code
    submit(page, "main button[type=submit]")
    assert re.search(r"/coordinator/citizens$", page.url)


NEXT_STEP = timedelta(seconds=30)  # the set-up used the current code: the next one is new


def _open_your_account(page):
    """Through the main menu; on a phone with JavaScript a long menu is folded first."""
    toggle = page.get_by_role("button", name="Menu", exact=True)
    if toggle.count() and toggle.is_visible():
        toggle.click()
    link = page.locator("a.nav-link", has_text="Din konto")
    if not link.is_visible():  # without JavaScript the folded menu is a link to itself
        page.get_by_role("link", name="Menu", exact=True).click()
    submit(page, link)
    assert page.url.endswith("/account")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_without_the_phone_signs_in_with_a_recovery_code(
    browser_page, live_app, live_server, live_db, mfa_on, width
):
    browser_page.set_viewport_size({"width": width, "height": 900})
    user, codes = _enrolled_with_codes(live_app, live_db)
    _lost_phone(browser_page, live_server, user, codes, width)


@pytest.mark.parametrize("width", [1280, 390])
def test_without_javascript_too(nojs_page, live_app, live_server, live_db, mfa_on, width):
    nojs_page.set_viewport_size({"width": width, "height": 844})
    user, codes = _enrolled_with_codes(live_app, live_db)
    _lost_phone(nojs_page, live_server, user, codes, f"{width}-nojs")
