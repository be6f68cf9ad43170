"""What a visitor began and walked away from does not wait in the browser for the next person:
a letter code from a QR link, an owner's QR code and an owner's checked invitation (which alone
makes the organisation's account) are gone half an hour after they were put in the session."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from tests.consent.owner_support import Org
from tests.consent.test_owner_views import ACCOUNT
from tests.web.support import english_client

CODE = "ABCD-EFGH-JK23"
LATER = timedelta(minutes=31)


@pytest.mark.parametrize("page", ["/sign-in/citizen", "/sign-in/relative"])
def test_a_letter_code_from_a_qr_link_is_gone_after_half_an_hour(app, clock, page):
    client = english_client(app)
    client.get(f"{page}?code={CODE}")
    clock.advance(timedelta(minutes=29))
    assert f'value="{CODE}"' in client.get(page).text  # the citizen is still typing
    clock.advance(timedelta(minutes=2))
    assert f'value="{CODE}"' not in client.get(page).text  # the next person at this browser
    with client.session_transaction() as session:
        assert "letter_code" not in session


def test_an_owner_code_from_a_qr_link_is_gone_after_half_an_hour(app, db, keyring, clock):
    org = Org(db, keyring)
    client = english_client(app)
    client.get(f"/owner/invitation?code={org.code}")
    clock.advance(LATER)
    assert org.code not in client.get("/owner/invitation").text


def test_a_checked_invitation_left_open_makes_no_account_later(app, db, keyring, clock):
    org = Org(db, keyring)
    client = english_client(app)
    checked = client.post("/owner/invitation", data={"code": org.code})
    assert checked.location.endswith("/owner/invitation/account")
    clock.advance(LATER)
    assert client.get("/owner/invitation/account").location.endswith("/owner/invitation")
    made = client.post("/owner/invitation/account", data=ACCOUNT)
    assert made.status_code == 303 and made.location.endswith("/owner/invitation")
    count = select(func.count()).where(User.email == ACCOUNT["email"])
    assert db.scalar(count) == 0
    again = client.post("/owner/invitation", data={"code": org.code})  # the owner, back
    assert again.location.endswith("/owner/invitation/account")
    assert client.post("/owner/invitation/account", data=ACCOUNT).status_code == 303
    assert db.scalar(count) == 1
