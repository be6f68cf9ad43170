"""A coordinator who has lost the work phone signs in with a recovery code: the second step
links to a form for it, whose field brings up the whole keyboard on a phone (the app's field
brings up digits only, and recovery codes have letters); axe on each page."""

import re

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
    assert re.search(r"/coordinator/citizens$", page.url)
    assert "Du brugte en gendannelseskode" in page.inner_text("main")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_without_the_phone_signs_in_with_a_recovery_code(
    browser_page, live_app, live_server, live_db, mfa_on, width
):
    browser_page.set_viewport_size({"width": width, "height": 900})
    user, codes = _enrolled_with_codes(live_app, live_db)
    _lost_phone(browser_page, live_server, user, codes, width)


def test_without_javascript_too(nojs_page, live_app, live_server, live_db, mfa_on):
    nojs_page.set_viewport_size({"width": 390, "height": 844})
    user, codes = _enrolled_with_codes(live_app, live_db)
    _lost_phone(nojs_page, live_server, user, codes, "390-nojs")
