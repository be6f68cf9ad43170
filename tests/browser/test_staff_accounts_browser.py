"""The coordinator's staff accounts on a desktop and on a 390 px phone: every account's role,
app status and reset are on screen (one table whose rows are cards on a phone, no sideways
scroll), and the reset asks first; "No" keeps the app, "Yes" resets it. Danish UI; axe at
desktop width and at 390 px."""

import pyotp
import pytest

from portal import clock
from portal.accounts.models import SecondFactor
from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import (
    assert_accessible_everywhere,
    assert_rows_become_cards,
    look,
    submit,
)
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _enrol(live_app, live_db, user):
    from portal.accounts import mfa

    secret = mfa.new_secret()
    now = clock.now()
    keyring = live_app.extensions["keyring"]
    mfa.enrol(live_db, keyring, user, secret, pyotp.TOTP(secret).at(now), now=now)
    live_db.commit()


def _on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_staff_accounts_fit_a_phone_and_the_reset_asks_first(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    coordinator = make_user(live_db, "coordinator")
    colleague = make_user(
        live_db, "provider_admin", email="bodil.langt-efternavn@hjemmeplejen-nordby.example"
    )
    live_db.commit()
    _enrol(live_app, live_db, colleague)
    page.goto(f"{live_server}/language/da?next=/accessibility")
    sign_in_staff(page, live_server, coordinator, PASSWORD)

    page.goto(live_server + "/coordinator/staff-accounts")
    assert_rows_become_cards(page, at_least=2)  # one table: a card per row at 390 px
    assert_accessible_everywhere(page, "staff accounts")
    look(page, "staff_accounts_1280")
    page.set_viewport_size({"width": 390, "height": 844})
    card = page.locator("[data-row]", has_text=colleague.name)
    assert card.is_visible()
    assert "Leverandøradministrator" in card.inner_text()
    assert "Opsat" in card.inner_text()
    reset = card.get_by_role("link", name=f"Nulstil anden faktor for {colleague.name}")
    assert _on_screen(page, reset)
    look(page, "staff_accounts_390")

    reset.click()
    page.wait_for_url("**/second-factor/reset")
    assert colleague.name in page.locator("h1").inner_text()
    assert_accessible_everywhere(page, "reset question")
    look(page, "staff_reset_question_390")
    page.get_by_role("link", name="Nej, behold den").click()
    page.wait_for_url("**/coordinator/staff-accounts")
    live_db.expire_all()
    assert live_db.get(SecondFactor, colleague.id) is not None

    page.set_viewport_size({"width": 1280, "height": 900})
    row = page.locator("[data-row]", has_text=colleague.name)
    row.get_by_role("link", name=f"Nulstil anden faktor for {colleague.name}").click()
    submit(page, page.get_by_role("button", name="Ja, nulstil anden faktor"))
    assert "er nulstillet" in page.locator(".alert-success").inner_text()
    live_db.expire_all()
    assert live_db.get(SecondFactor, colleague.id) is None
    assert "Ikke opsat" in page.locator("[data-row]", has_text=colleague.name).inner_text()
