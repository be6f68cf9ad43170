"""The new property owner follows the consent letter in a real browser, with axe at 1280 and
390 px: the front page's owner door, the code box first on the owner's sign-in page, then the
account page."""

import pytest

from portal import clock
from portal.audit.services import SYSTEM
from portal.citizens.letter_codes import grouped
from portal.consent.invitations import issue_request
from tests.booking.browser_steps import visit
from tests.browser.conftest import PHONE, look, submit
from tests.factories import make_owner, make_property

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "lang,door,box",
    [
        ("da", "Jeg er ejer af en ejendom", "Har I fået et brev med en kode?"),
        ("sv", "Jag är fastighetsägare", "Har ni fått ett brev med en kod?"),
    ],
)
def test_a_new_owner_gets_in_with_the_letters_code_from_the_front_page(
    browser_page, live_server, live_db, lang, door, box
):
    from flask import current_app

    page, base = browser_page, live_server
    org = make_owner(live_db, name="Boligselskabet Egen", language=lang, email=None)
    prop = make_property(live_db, owner=org, entrances=1, address="Egevej 4")
    prop.entrances[0].consent_status = "requested"
    _request, code = issue_request(
        live_db, current_app.extensions["keyring"], org, [prop], now=clock.now(), actor=SYSTEM
    )
    live_db.commit()
    page.goto(f"{base}/language/{lang}?next=/")
    if lang == "sv":
        page.set_viewport_size(PHONE)
    page.get_by_role("link", name=door).click()
    page.wait_for_url("**/sign-in/owner")
    heading = page.get_by_role("heading", name=box)
    assert heading.is_visible()
    code_box = page.locator("main form[action='/owner/invitation']")
    email = page.locator("#email")
    assert code_box.bounding_box()["y"] < email.bounding_box()["y"]  # first for the newcomer
    visit(page, f"owner sign-in with the code box ({lang})")
    look(page, f"owner_signin_code_box_{lang}")
    code_box.locator("input[name=code]").fill(grouped(code).lower())
    submit(page, code_box.locator("button[type=submit]"))
    page.wait_for_url("**/owner/invitation/account")
    visit(page, f"create account after the code ({lang})")
