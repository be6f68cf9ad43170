"""Signing in after losing the phone: the second step links to a recovery-code form whose
field takes letters (no digits-only keyboard on a phone), and a wrong recovery code is told as
such, not as an app code that changes every 30 seconds."""

import re

import pytest

from tests.accounts.test_mfa import REQUIRED, _enrol, _password
from tests.factories import make_user
from tests.web.support import english_client

WORDS = {
    "en": {
        "link": "Lost your phone? Sign in with a recovery code",
        "heading": "Sign in with a recovery code",
        "label": "Recovery code",
        "wrong": "That recovery code is not right, or it has been used already.",
        "empty": "Enter one of your recovery codes",
        "app": "Codes change every 30 seconds",
        "intro": "Type one of your recovery codes: the newest ones you printed, downloaded or"
        " wrote down. Each code works only once.",
    },
    "da": {
        "link": "Har du mistet din telefon? Log ind med en gendannelseskode",
        "heading": "Log ind med en gendannelseskode",
        "label": "Gendannelseskode",
        "wrong": "Gendannelseskoden er ikke rigtig, eller den er allerede brugt.",
        "empty": "Skriv en af dine gendannelseskoder",
        "app": "Koderne skifter hvert 30. sekund",
        "intro": "Skriv en af dine gendannelseskoder: de nyeste, du udskrev, hentede eller skrev"
        " ned. Hver kode virker kun én gang.",
    },
    "sv": {
        "link": "Har du tappat bort din telefon? Logga in med en återställningskod",
        "heading": "Logga in med en återställningskod",
        "label": "Återställningskod",
        "wrong": "Återställningskoden stämmer inte, eller så har den redan använts.",
        "empty": "Skriv en av dina återställningskoder",
        "app": "Koderna byts var 30:e sekund",
        "intro": "Skriv en av dina återställningskoder: de senaste som du skrev ut, laddade ner"
        " eller skrev ner. Varje kod fungerar bara en gång.",
    },
}


@pytest.fixture
def mfa_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", REQUIRED)


def _input(html: str) -> str:
    return re.search(r'<input type="text" id="code"[^>]*>', html).group(0)


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
def test_a_lost_phone_leads_to_a_recovery_code_form_that_takes_letters(
    app, db, clock, mfa_on, lang
):
    words = WORDS[lang]
    user = make_user(db, "coordinator")
    db.commit()
    _secret, codes = _enrol(english_client(app), user, clock)
    client = english_client(app)
    client.get(f"/language/{lang}")
    assert _password(client, user).location == "/sign-in/second-factor"
    step = client.get("/sign-in/second-factor").text
    assert 'inputmode="numeric"' in _input(step)  # the app's six digits
    link = re.search(r'<a href="([^"]+)">([^<]+)</a>', step.split("<h1>")[1])
    assert link and link.group(2).strip() == words["link"]
    url = link.group(1).replace("&amp;", "&")
    assert url == "/sign-in/second-factor?with=recovery"

    page = client.get(url).text
    assert f"<h1>{words['heading']}</h1>" in page
    assert words["label"] in page and "inputmode" not in _input(page)
    # Not "... when you set up the app": Your account makes new codes later, and the old stop.
    assert words["intro"] in page
    empty = client.post(url, data={"code": ""})
    assert empty.status_code == 200 and words["empty"] in empty.text
    wrong = client.post(url, data={"code": "ABCDE-FGH23"})
    assert wrong.status_code == 200 and words["wrong"] in wrong.text
    assert words["app"] not in wrong.text and 'value="ABCDE-FGH23"' in wrong.text
    assert f"<h1>{words['heading']}</h1>" in wrong.text  # still the recovery form
    signed_in = client.post(url, data={"code": codes[0].lower()})
    assert signed_in.status_code == 303
    assert signed_in.location == "/sign-in/second-factor/recovered"
    assert 'href="/coordinator/citizens"' in client.get(signed_in.location).text  # Continue


def test_six_wrong_digits_are_still_told_as_an_app_code(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    _enrol(english_client(app), user, clock)
    client = english_client(app)
    _password(client, user)
    wrong = client.post("/sign-in/second-factor", data={"code": "000 000"})
    assert WORDS["en"]["app"] in wrong.text and WORDS["en"]["wrong"] not in wrong.text
    recovery_in_the_app_field = client.post("/sign-in/second-factor", data={"code": "ABCDE-FGH23"})
    assert WORDS["en"]["wrong"] in recovery_in_the_app_field.text
