"""'Your account' in a browser: a locksmith with the app makes new recovery codes (a wrong
code is refused next to the field, the right one shows the new codes once) and sees ten left;
axe on each page, at 1280 and 390 px, with and without JavaScript."""

import re
from datetime import timedelta

import pyotp
import pytest

from portal import clock
from tests.browser.conftest import assert_accessible, look, submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser
NEXT_STEP = timedelta(seconds=30)


def _enrolled(live_app, live_db):
    from portal.accounts import mfa

    user = make_user(live_db, "locksmith")
    secret = mfa.new_secret()
    now = clock.now()
    codes = mfa.enrol(
        live_db, live_app.extensions["keyring"], user, secret, pyotp.TOTP(secret).at(now), now=now
    )
    live_db.commit()
    return user, secret, codes


def _new_codes(page, live_server, live_app, live_db, name):
    user, secret, old = _enrolled(live_app, live_db)
    page.goto(f"{live_server}/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    submit(page, "main button[type=submit]")
    page.fill("#code", pyotp.TOTP(secret).at(clock.now() + NEXT_STEP))
    submit(page, "main button[type=submit]")
    assert re.search(r"/locksmith/", page.url)
    submit(page, page.locator("a.nav-link", has_text="Din konto"))  # two items: never folded
    main = page.inner_text("main")
    assert "10 koder tilbage" in main and "Den blev opsat" in main
    assert page.get_by_role("link", name="Flyt appen til en ny telefon").is_visible()
    assert_accessible(page, "your account")
    look(page, f"your-account-{name}")
    submit(page, page.get_by_role("link", name="Lav nye gendannelseskoder"))
    field = page.get_by_label("Kode fra din godkendelsesapp eller en gendannelseskode")
    field.fill("ABCDE-FGH23")
    submit(page, "main button[type=submit]")
    assert "Gendannelseskoden er ikke rigtig" in page.locator(".error-summary").inner_text()
    assert field.input_value() == "ABCDE-FGH23"
    assert_accessible(page, "new recovery codes, wrong code")
    look(page, f"your-account-renew-{name}")
    field.fill(old[0])
    submit(page, "main button[type=submit]")
    assert page.url.endswith("/recovery-codes")
    new = page.locator(".mfa-codes code").all_inner_texts()
    assert len(new) == 10 and not set(new) & set(old)
    assert_accessible(page, "the new recovery codes")
    page.get_by_label("Jeg har gemt mine gendannelseskoder").check()
    submit(page, page.get_by_role("button", name="Fortsæt"))
    assert page.url.endswith("/account") and "10 koder tilbage" in page.inner_text("main")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_locksmith_makes_new_recovery_codes(browser_page, live_app, live_server, live_db, width):
    browser_page.set_viewport_size({"width": width, "height": 900})
    _new_codes(browser_page, live_server, live_app, live_db, str(width))


@pytest.mark.parametrize("width", [1280, 390])
def test_without_javascript_too(nojs_page, live_app, live_server, live_db, width):
    nojs_page.set_viewport_size({"width": width, "height": 844})
    _new_codes(nojs_page, live_server, live_app, live_db, f"{width}-nojs")
