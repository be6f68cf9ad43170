"""The staff accounts page: one table whose rows CSS turns into cards on a phone, each holding the
account's role, app status and the link to the reset (once), so nothing is cut off at the right."""

import re

import pyotp

from portal.accounts import mfa
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client


def test_every_account_is_a_card_with_role_app_and_reset(app, db):
    boss = make_user(db, "coordinator")
    lost = make_user(db, "provider_admin")
    secret = mfa.new_secret()
    mfa.enrol(db, app.extensions["keyring"], lost, secret, pyotp.TOTP(secret).at(NOW), now=NOW)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, boss)
    html = client.get("/coordinator/staff-accounts").get_data(as_text=True)
    tables = re.findall(r'<table class="table table--zebra table--cards">(.*?)</table>', html, re.S)
    assert len(tables) == 1, "not one table whose rows become cards"
    assert "data-card" not in html and html.count("<table") == 1
    items = re.findall(r"<tr data-row>(.*?)</tr>", tables[0], re.S)
    assert len(items) == 2
    card = next(i for i in items if lost.name in i)
    assert "Provider admin" in card and ">Set up<" in card
    for label in ("Email", "Role", "Authenticator app"):  # shown beside the value on a phone
        assert f'data-title="{label}"' in card
    reset = f'href="/coordinator/staff-accounts/{lost.id}/second-factor/reset"'
    assert reset in card and html.count(reset) == 1
    assert '<td class="table-cards-actions">' in card
    own = next(i for i in items if boss.name in i)
    assert "Not set up" in own and "second-factor/reset" not in own
    assert '<td class="table-cards-blank"></td>' in own  # no empty actions line on the card
