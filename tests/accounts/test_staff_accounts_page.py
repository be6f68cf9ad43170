"""The staff accounts page on a phone: each account is also a card (narrow screens) holding its
role, app status and the link to the reset, so nothing is cut off at the right."""

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
    assert 'class="wide-only"' in html
    cards = re.search(
        r'<ul class="card-list nobullet-list narrow-only"[^>]*>(.*?)</ul>', html, re.S
    )
    assert cards, "no cards for narrow screens"
    items = re.findall(r"<li class=\"card-item\" data-card>(.*?)</li>", cards.group(1), re.S)
    assert len(items) == 2
    card = next(i for i in items if lost.name in i)
    assert "Provider admin" in card and ">Set up<" in card
    assert f'href="/coordinator/staff-accounts/{lost.id}/second-factor/reset"' in card
    own = next(i for i in items if boss.name in i)
    assert "Not set up" in own and "second-factor/reset" not in own
