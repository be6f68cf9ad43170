"""The second factor in a browser: set up by QR code, recovery codes, reset; axe on each page."""

import re
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from portal import clock
from portal.accounts.models import User
from tests.browser.conftest import assert_accessible, look, submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser
NEXT_STEP = timedelta(seconds=30)  # the enrolment used the current code: the next one is new


@pytest.fixture
def mfa_on(live_app, monkeypatch):
    monkeypatch.setitem(live_app.config, "MFA_REQUIRED_ROLES", ("coordinator", "provider_admin"))


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_sets_up_the_app_and_resets_a_colleague(
    browser_page, live_server, live_db, mfa_on, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    boss = make_user(live_db, "coordinator")
    colleague = make_user(live_db, "locksmith")
    live_db.commit()
    page.goto(f"{live_server}/sign-in/staff")
    page.fill("#email", boss.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/sign-in/second-factor/setup$"))
    assert page.locator("svg[role=img]").is_visible()
    assert_accessible(page, "setup")
    look(page, f"mfa-setup-{width}")
    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    page.fill("#code", "000000")
    submit(page, "button[type=submit]")
    assert page.locator(".form-error-message").count() == 1
    assert_accessible(page, "setup with an error")
    page.fill("#code", pyotp.TOTP(secret).at(clock.now()))  # the portal's clock, not the wall's
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/recovery-codes$"))
    assert page.locator(".mfa-codes li").count() == 10
    codes = page.locator(".mfa-codes code").all_inner_texts()
    assert page.get_by_role("button", name="Udskriv koderne").is_visible()  # JavaScript is on
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent koderne som tekstfil").click()
    saved = download.value
    assert saved.suggested_filename == "recovery-codes.txt"
    assert all(code in Path(saved.path()).read_text(encoding="utf-8") for code in codes)
    assert_accessible(page, "recovery codes")
    look(page, f"mfa-codes-{width}")
    # Not away before saying they are saved: the question comes back with the codes.
    submit(page, page.get_by_role("button", name="Fortsæt"))
    assert page.evaluate("() => document.activeElement.matches('.error-summary')")
    assert page.locator("#saved").get_attribute("aria-invalid") == "true"
    assert page.locator(".mfa-codes code").all_inner_texts() == codes
    assert_accessible(page, "recovery codes, not confirmed")
    page.get_by_label("Jeg har gemt mine gendannelseskoder").check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url(lambda url: not url.endswith("/recovery-codes"))
    page.goto(f"{live_server}/coordinator/staff-accounts")
    assert_accessible(page, "staff accounts")
    assert colleague.name in page.content()
    live_db.expire_all()
    assert live_db.get(User, boss.id) is not None


def _enrolled(live_app, live_db, role="coordinator") -> tuple[User, str]:
    from portal.accounts import mfa

    user = make_user(live_db, role)
    secret = mfa.new_secret()
    now = clock.now()
    keyring = live_app.extensions["keyring"]
    mfa.enrol(live_db, keyring, user, secret, pyotp.TOTP(secret).at(now), now=now)
    live_db.commit()
    return user, secret


@pytest.mark.parametrize("width", [1280, 390])
def test_a_throttled_coordinator_signs_in_with_password_and_code(
    browser_page, live_app, live_server, live_db, mfa_on, width
):
    from portal.accounts import services, staff_auth

    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    user, secret = _enrolled(live_app, live_db)
    for _ in range(staff_auth.StaffThrottle().account_limit):  # a stranger elsewhere
        with pytest.raises(services.InvalidCredentials):
            staff_auth.sign_in_staff(live_db, user.email, "guess", now=clock.now())
    live_db.commit()
    page.goto(f"{live_server}/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    submit(page, "button[type=submit]")
    assert page.locator("#code").is_visible()  # offered with the lock, whatever was typed
    assert page.locator(".form-error-message, .alert-error").count() >= 1
    assert_accessible(page, "throttled sign-in")
    look(page, f"mfa-throttled-{width}")
    assert page.input_value("#email") == user.email
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).at(clock.now() + NEXT_STEP))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/coordinator/"))


@pytest.mark.parametrize("width", [1280, 390])
def test_moving_the_second_factor_to_a_new_app_asks_for_the_old_one(
    browser_page, live_app, live_server, live_db, mfa_on, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    user, secret = _enrolled(live_app, live_db, role="locksmith")
    page.goto(f"{live_server}/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/sign-in/second-factor$"))
    page.fill("#code", pyotp.TOTP(secret).at(clock.now() + NEXT_STEP))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/locksmith/"))
    page.goto(f"{live_server}/sign-in/second-factor/setup")
    assert page.locator("#current").is_visible() and page.locator("#code").is_visible()
    assert_accessible(page, "replacing the app")
    new_secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    page.fill("#current", "000000")
    page.fill("#code", pyotp.TOTP(new_secret).at(clock.now()))
    submit(page, "main button[type=submit]")  # the header's sign-out button comes first
    assert page.locator("#current-error").is_visible()
    assert_accessible(page, "replacing the app, wrong current code")
    look(page, f"mfa-replace-{width}")


def test_without_javascript_the_codes_download_and_continue_but_no_print_button(
    nojs_page, live_server, live_db, mfa_on
):
    page = nojs_page
    page.set_viewport_size({"width": 390, "height": 844})
    boss = make_user(live_db, "coordinator")
    live_db.commit()
    page.goto(f"{live_server}/sign-in/staff")
    page.fill("#email", boss.email)
    page.fill("#password", PASSWORD)
    submit(page, "main button[type=submit]")
    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).at(clock.now()))
    submit(page, "main button[type=submit]")
    assert page.url.endswith("/recovery-codes")
    codes = page.locator(".mfa-codes code").all_inner_texts()
    assert len(codes) == 10
    assert not page.get_by_role("button", name="Udskriv koderne").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent koderne som tekstfil").click()
    assert all(code in Path(download.value.path()).read_text(encoding="utf-8") for code in codes)
    checker = page.axe_page
    checker.set_viewport_size({"width": 390, "height": 844})
    checker.goto(f"{live_server}/accessibility")  # same origin, so the page's styles load
    checker.set_content(page.content())
    assert_accessible(checker, "recovery codes without JavaScript at 390 px")
    submit(page, page.get_by_role("button", name="Fortsæt"))
    assert "Sæt flueben, når du har gemt dine gendannelseskoder" in page.inner_text("main")
    page.get_by_label("Jeg har gemt mine gendannelseskoder").check()
    submit(page, page.get_by_role("button", name="Fortsæt"))
    assert "/coordinator/" in page.url
