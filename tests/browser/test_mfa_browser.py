"""The second factor in a browser: set up by QR code, recovery codes, reset; axe on each page."""

import re

import pyotp
import pytest

from portal import clock
from portal.accounts.models import User
from tests.browser.conftest import assert_accessible, submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


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
    page.screenshot(path=f"/tmp/mfa-setup-{width}.png", full_page=True)
    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    page.fill("#code", "000000")
    submit(page, "button[type=submit]")
    assert page.locator(".form-error-message").count() == 1
    assert_accessible(page, "setup with an error")
    page.fill("#code", pyotp.TOTP(secret).at(clock.now()))  # the portal's clock, not the wall's
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/recovery-codes$"))
    assert page.locator(".mfa-codes li").count() == 10
    assert_accessible(page, "recovery codes")
    page.screenshot(path=f"/tmp/mfa-codes-{width}.png", full_page=True)
    page.get_by_role("link", name=re.compile("Fortsæt")).click()
    page.wait_for_url(lambda url: not url.endswith("/recovery-codes"))
    page.goto(f"{live_server}/coordinator/staff-accounts")
    assert_accessible(page, "staff accounts")
    assert colleague.name in page.content()
    live_db.expire_all()
    assert live_db.get(User, boss.id) is not None
