"""The path from the consent letter: the letter sends the owner to the front page's owner door,
and the owner's sign-in page offers the letter's code first, for an owner with no account yet."""

import re

import pytest
from flask import current_app

from portal.consent import requests
from portal.letters import consent_letter, content
from tests.consent.owner_support import Org
from tests.factories import NOW
from tests.web.support import english_client, isolated_client


@pytest.fixture
def org(db, keyring, clock):
    return Org(db, keyring)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_owner_sign_in_page_asks_for_the_letters_code_before_email_and_password(app, org):
    page = english_client(app).get("/sign-in/owner").get_data(as_text=True)
    box = page.index('action="/owner/invitation"')
    assert "Got a letter with a code?" in page
    assert box < page.index('name="code"') < page.index('name="email"')
    assert page.index("Got a letter with a code?") < page.index("Already have an account?")


def test_the_code_typed_on_the_sign_in_page_starts_the_invitation(app, org):
    client = english_client(app)
    client.get("/sign-in/owner")
    response = client.post("/owner/invitation", data={"code": org.code})
    assert response.status_code == 303
    assert response.location.endswith("/owner/invitation/account")


def test_the_staff_sign_in_page_has_no_code_box(app):
    page = english_client(app).get("/sign-in/staff").get_data(as_text=True)
    assert "/owner/invitation" not in page and "Got a letter with a code?" not in page


BUTTON = {"da": "Jeg er ejer af en ejendom", "sv": "Jag är fastighetsägare"}
BOX = {"da": "Har I fået et brev med en kode?", "sv": "Har ni fått ett brev med en kod?"}


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_the_letter_names_the_front_pages_button_and_the_code_box(app, db, keyring, lang):
    org = Org(db, keyring, lang=lang)
    context = consent_letter.consent_context(
        org.request, config=current_app.config, keyring=keyring, now=NOW
    )
    letter = _text(content.render_letter(consent_letter.TEMPLATE, context))
    client = isolated_client(app)
    client.get(f"/language/{lang}?next=/")
    front = _text(client.get("/").get_data(as_text=True))
    sign_in = _text(client.get("/sign-in/owner").get_data(as_text=True))
    how = letter.split(context["portal_address"], 1)[1].split(".", 1)[0]
    assert BUTTON[lang] in how and BUTTON[lang] in front, how
    assert BOX[lang] in how and BOX[lang] in sign_in, how
    assert requests.code_of(keyring, org.request).replace("-", "")[:4] in letter.replace("-", "")
