"""Switching language halfway through a form keeps what was typed (portal.js, JavaScript on):
the page comes back in the other language with the answers in place, never a password or the
letter's code, and nothing typed is left behind in the browser's storage afterwards."""

import pytest

from tests.booking.browser_steps import visit
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _switch(page, base, path, label, lang):
    # Until the new page's load event: the answers are put back when its scripts have run.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=label, exact=True).click()
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.url == base + path


def test_a_relative_switching_language_keeps_the_answers(live_server, live_db, browser_page):
    page = browser_page
    page.goto(f"{live_server}/language/da?next=/sign-in/relative")
    page.fill("#code", "ABCD-EFGH")
    page.fill("#day", "7")
    page.fill("#month", "3")
    page.fill("#year", "1941")
    page.fill("#name", "Rita <b>Relativ</b>")
    page.fill("#phone", "20 30 40 50")
    page.select_option("#relation", "child")
    _switch(page, live_server, "/sign-in/relative", "Svenska", "sv")
    kept = {f: page.input_value(f"#{f}") for f in ("code", "day", "month", "year", "name", "phone")}
    assert kept == {
        "code": "",  # the letter's code is a secret, like a password: typed again
        "day": "7",
        "month": "3",
        "year": "1941",
        "name": "Rita <b>Relativ</b>",
        "phone": "20 30 40 50",
    }
    assert page.input_value("#relation") == "child"
    assert page.evaluate("window.sessionStorage.getItem('portal-carry')") is None
    visit(page, "relative sign-in, Swedish, answers kept")
    # Loaded again (or opened anew): the answers are not brought back a second time.
    page.reload()
    assert page.input_value("#day") == "" and page.input_value("#name") == ""


def test_a_password_is_never_carried_over(live_server, live_db, browser_page):
    user = make_user(live_db, "coordinator")
    live_db.commit()
    page = browser_page
    page.goto(f"{live_server}/language/sv?next=/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", "secret password typed")
    _switch(page, live_server, "/sign-in/staff", "Dansk", "da")
    assert page.input_value("#email") == user.email
    assert page.input_value("#password") == ""
    visit(page, "staff sign-in, Danish, email kept")


def test_nothing_typed_nothing_stored(live_server, live_db, browser_page):
    page = browser_page
    page.goto(f"{live_server}/language/da?next=/sign-in/citizen")
    page.evaluate("window.sessionStorage.setItem('portal-carry', 'left from before')")
    _switch(page, live_server, "/sign-in/citizen", "English", "en")
    assert page.input_value("#day") == ""
    assert page.evaluate("window.sessionStorage.getItem('portal-carry')") is None


def test_answers_sent_back_with_an_error_are_kept_too(live_server, live_db, browser_page):
    """The server filled the form in as typed (so those are the page's own values): switching
    language asks for the page afresh, and the answers still come along."""
    page = browser_page
    page.goto(f"{live_server}/language/sv?next=/sign-in/citizen")
    page.fill("#code", "ABCD-EFGH-JK23")
    page.fill("#day", "31")
    page.fill("#month", "2")
    page.fill("#year", "1941")
    page.click("main button[type=submit]")
    page.locator(".error-summary").wait_for()
    assert page.input_value("#day") == "31"
    _switch(page, live_server, "/sign-in/citizen", "Dansk", "da")
    assert (page.input_value("#day"), page.input_value("#month")) == ("31", "2")
    assert page.input_value("#year") == "1941" and page.input_value("#code") == ""
    visit(page, "citizen sign-in, Danish, after an error in Swedish")


def test_after_a_refused_key_hand_out_the_switch_leads_to_the_key_with_the_note(
    live_server, live_db, browser_page
):
    """The refused hand-out answers at the form's own address (POST only): the language link
    leads to the key's page instead of a "405" page, and the note typed comes along."""
    from tests.booking.browser_steps import sign_in_staff
    from tests.changes.test_keycabinet_handback import _admin, _key
    from tests.factories import PASSWORD

    key = _key(live_db)
    admin = _admin(live_db, key)
    live_db.commit()
    page = browser_page
    page.goto(f"{live_server}/language/da?next=/sign-in/staff")
    sign_in_staff(page, live_server, admin, PASSWORD)
    page.goto(f"{live_server}/key-cabinets/keys/{key.id}")
    page.fill("#person", "...")
    page.fill("#note", "Til aftenvagten")
    page.get_by_role("button", name="Udlever").click()
    page.locator(".error-summary").wait_for()
    _switch(page, live_server, f"/key-cabinets/keys/{key.id}", "Svenska", "sv")
    assert page.input_value("#person") == "..."
    assert page.input_value("#note") == "Til aftenvagten"
    visit(page, "key page, Swedish, after a refused hand-out in Danish")
