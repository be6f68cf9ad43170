"""A coordinator adds a locksmith from the set-up checklist; the locksmith opens the e-mailed
link, chooses a password, sets up the authenticator app and signs in. Danish pages, axe at
1280 px and at 390 px on every page of the journey; the link then says it has been used."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal import clock
from portal.notify.models import OutboxMessage
from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import (
    assert_accessible_everywhere,
    assert_refused_and_kept,
    look,
    submit,
)
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser
LINK = re.compile(r"\S*/sign-in/invitation/([A-Za-z0-9_-]+)")
EMAIL = "lone.laasesmed@kommune.example"
CHOSEN = "en sætning jeg kan huske"
NEXT_STEP = timedelta(seconds=30)  # the set-up used the current code: the next one is new


def test_a_coordinator_adds_a_locksmith_who_sets_a_password_and_the_app(
    browser_page, browser_context, live_server, live_app, live_db, monkeypatch
):
    monkeypatch.setitem(live_app.config, "MFA_REQUIRED_ROLES", ("coordinator", "locksmith"))
    page = browser_page
    coordinator = make_user(live_db, "coordinator", email="koordinator@kommune.example")
    live_db.commit()
    secret = pyotp.random_base32()  # the coordinator already has an app
    from portal.accounts import mfa

    now = clock.now()
    mfa.enrol(
        live_db,
        live_app.extensions["keyring"],
        coordinator,
        secret,
        pyotp.TOTP(secret).at(now),
        now=now,
    )
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).at(clock.now() + NEXT_STEP))
    submit(page, "main button[type=submit]")

    page.goto(live_server + "/coordinator/setup")
    page.get_by_role("link", name="Mindst én låsesmed-konto").click()
    page.wait_for_url("**/coordinator/staff-accounts#add-staff")
    assert page.locator("#language").input_value() == "da"  # the municipality's language
    # An address already in use comes back with the message and everything typed.
    page.get_by_label("Fulde navn").fill("Lone Låsesmed")
    page.get_by_label("E-mailadresse").fill("KOORDINATOR@kommune.example")
    page.get_by_label("Låsesmed").check()
    submit(page, page.get_by_role("button", name="Tilføj og send invitationen"))
    assert_refused_and_kept(
        page,
        "email",
        "Der findes allerede en konto med denne e-mailadresse.",
        "KOORDINATOR@kommune.example",
    )
    assert page.get_by_label("Fulde navn").input_value() == "Lone Låsesmed"
    assert page.get_by_label("Låsesmed").is_checked()
    assert page.title().startswith("Fejl:")
    assert_accessible_everywhere(page, "staff accounts, e-mail in use")
    look(page, "staff_invite_error")

    page.get_by_label("E-mailadresse").fill(EMAIL)
    submit(page, page.get_by_role("button", name="Tilføj og send invitationen"))
    assert "Lone Låsesmed er tilføjet" in page.locator(".alert-success").inner_text()
    row = page.locator("[data-row]", has_text="Lone Låsesmed")
    assert "Inviteret, ikke logget ind endnu" in row.inner_text()
    assert row.get_by_role("button", name="Send en ny invitation til Lone Låsesmed").count() == 1
    assert_accessible_everywhere(page, "staff accounts, invited")
    look(page, "staff_invite_listed")

    live_db.expire_all()
    mail = live_db.scalars(select(OutboxMessage).where(OutboxMessage.to_address == EMAIL)).one()
    assert "Kære Lone Låsesmed" in mail.body and "godkendelsesapp" in mail.body
    token = LINK.search(mail.body).group(1)

    # The locksmith, in a browser of their own, opens the link from the e-mail.
    theirs = browser_context.browser.new_context(
        locale="da-DK", viewport={"width": 390, "height": 844}
    )
    try:
        invitee = theirs.new_page()
        invitee.goto(f"{live_server}/sign-in/invitation/{token}")
        invitee.wait_for_url("**/sign-in/invitation")  # the token is out of the address bar
        assert EMAIL in invitee.locator("main").inner_text()
        invitee.get_by_label("Vælg en adgangskode").fill("for kort")
        invitee.get_by_label("Skriv adgangskoden igen").fill("for kort")
        submit(invitee, invitee.get_by_role("button", name="Gem adgangskoden"))
        assert "Adgangskoden skal være på 12 til 200 tegn" in invitee.locator("main").inner_text()
        assert_accessible_everywhere(invitee, "choose password, too short")
        look(invitee, "staff_invite_password_390")
        invitee.get_by_label("Vælg en adgangskode").fill(CHOSEN)
        invitee.get_by_label("Skriv adgangskoden igen").fill(CHOSEN)
        submit(invitee, invitee.get_by_role("button", name="Gem adgangskoden"))
        invitee.wait_for_url("**/sign-in/second-factor/setup")
        assert_accessible_everywhere(invitee, "set up the app")
        app_secret = invitee.locator(".mfa-secret").inner_text().replace(" ", "")
        invitee.fill("#code", pyotp.TOTP(app_secret).at(clock.now()))
        submit(invitee, "main button[type=submit]")
        invitee.wait_for_url("**/recovery-codes")
        invitee.get_by_label("Jeg har gemt mine gendannelseskoder").check()
        submit(invitee, invitee.get_by_role("button", name="Fortsæt"))
        invitee.wait_for_url("**/locksmith/")
        assert_accessible_everywhere(invitee, "my day, first time")

        # Later: the link says it has been used; the password and the app sign in.
        theirs.clear_cookies()
        invitee.set_viewport_size({"width": 1280, "height": 900})
        invitee.goto(f"{live_server}/sign-in/invitation/{token}")
        assert "allerede brugt" in invitee.locator("main").inner_text()
        assert_accessible_everywhere(invitee, "used link")
        invitee.goto(f"{live_server}/sign-in/staff")
        invitee.fill("#email", EMAIL)
        invitee.fill("#password", CHOSEN)
        submit(invitee, "main button[type=submit]")
        invitee.wait_for_url("**/sign-in/second-factor")
        invitee.fill("#code", pyotp.TOTP(app_secret).at(clock.now() + NEXT_STEP))
        submit(invitee, "main button[type=submit]")
        invitee.wait_for_url("**/locksmith/")
    finally:
        theirs.close()

    page.reload()
    row = page.locator("[data-row]", has_text="Lone Låsesmed")
    assert "I brug" in row.inner_text() and "Opsat" in row.inner_text()
