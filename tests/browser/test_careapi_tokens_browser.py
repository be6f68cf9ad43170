"""The coordinator creates a care-system API token, sees it once, the care system uses it, and
the coordinator revokes it; in Danish and Swedish, axe at desktop width and at 390 px."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import assert_accessible, assert_on_phone, look, submit
from tests.factories import PASSWORD, make_provider, make_user

pytestmark = pytest.mark.browser
WORDS = {
    "da": {
        "title": "Omsorgssystemets API",
        "create": "Opret token",
        "revoke": "Tilbagekald",
        "revoked": "Tilbagekaldt",
        "yes": "Ja, tilbagekald tokenet",
        "no": "Nej, behold tokenet",
        "scope": "Læs besøg (visits:read)",
    },
    "sv": {
        "title": "Verksamhetssystemets API",
        "create": "Skapa token",
        "revoke": "Återkalla",
        "revoked": "Återkallad",
        "yes": "Ja, återkalla token",
        "no": "Nej, behåll token",
        "scope": "Läs besök (visits:read)",
    },
}


def _check(page, what):
    assert_accessible(page, what)
    assert_on_phone(page, what)


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_a_coordinator_creates_uses_and_revokes_a_token(
    browser_page, live_server, live_app, live_db, lang
):
    page, words = browser_page, WORDS[lang]
    make_provider(live_db, "Hjemmeplejen")
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.goto(f"{live_server}/language/{lang}?next=/accessibility")
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(live_server + "/coordinator/care-system-api")
    assert page.locator("h1").inner_text() == words["title"]
    _check(page, "token page, empty")
    submit(page, "main form button[type=submit]")  # nothing filled in: the errors
    assert page.locator(".form-error").count() >= 2
    _check(page, "token form with errors")
    page.fill("#name", "Omsorgssystem EHR")
    page.get_by_label(words["scope"]).check()
    submit(page, page.get_by_role("button", name=words["create"]))
    secret = page.locator("[data-token]").input_value().strip()
    assert secret.startswith("kc_")
    _check(page, "token shown once")
    api = live_app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/care/visits", headers=auth).status_code == 200
    page.goto(live_server + "/coordinator/care-system-api")
    assert secret not in page.content()
    _check(page, "token list")
    # Enter in the new-token form creates a token; it never revokes the one listed above it.
    page.fill("#name", "Andet system")
    page.get_by_label(words["scope"]).check()
    with page.expect_navigation():
        page.press("#name", "Enter")
    assert page.locator("[data-token]").count() == 1
    assert api.get("/api/v1/care/visits", headers=auth).status_code == 200
    page.goto(live_server + "/coordinator/care-system-api")
    assert page.locator("main button[type=submit]").all_inner_texts() == [words["create"]]
    # Revoking asks first; "No" keeps the token.
    page.get_by_role("link", name=f"{words['revoke']} Omsorgssystem EHR").click()
    page.wait_for_url("**/revoke")
    assert "Omsorgssystem EHR" in page.locator("h1").inner_text()
    _check(page, "revoke question")
    look(page, f"careapi_revoke_{lang}")
    page.get_by_role("link", name=words["no"]).click()
    page.wait_for_url("**/coordinator/care-system-api")
    assert api.get("/api/v1/care/visits", headers=auth).status_code == 200
    page.get_by_role("link", name=f"{words['revoke']} Omsorgssystem EHR").click()
    submit(page, page.get_by_role("button", name=words["yes"]))
    assert words["revoked"] in page.locator("main table").inner_text()
    _check(page, "token revoked")
    assert api.get("/api/v1/care/visits", headers=auth).status_code == 401
