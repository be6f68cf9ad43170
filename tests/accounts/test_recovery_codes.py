"""The recovery codes page after setting up the app: printed or downloaded while this session
shows them, kept sealed between the requests, and left only once they are said to be saved."""

import re
from datetime import timedelta

import pytest

from portal.accounts.views_recovery import SHOWN, SHOWN_SECONDS
from tests.accounts.test_mfa import REQUIRED, _enrol
from tests.factories import make_user
from tests.web.support import english_client


@pytest.fixture
def mfa_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", REQUIRED)


@pytest.fixture
def enrolled(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    _secret, codes = _enrol(client, user, clock)
    return client, user, codes


def test_the_page_offers_print_and_download_and_asks_before_continuing(enrolled):
    client, _user, codes = enrolled
    page = client.get("/sign-in/second-factor/recovery-codes").text  # a reload shows them again
    assert re.findall(r"<code>([A-Z2-9-]+)</code>", page) == codes
    assert re.search(r"<button[^>]*data-print[^>]*hidden[^>]*>Print the codes</button>", page)
    assert 'href="/sign-in/second-factor/recovery-codes.txt"' in page
    assert 'type="checkbox" id="saved"' in page
    assert not re.search(r'<a [^>]*href="/coordinator[^"]*"[^>]*>\s*Continue', page)
    refused = client.post("/sign-in/second-factor/recovery-codes", data={})
    assert refused.status_code == 200
    assert "Tick the box once you have saved your recovery codes" in refused.text
    assert 'aria-invalid="true"' in refused.text and "<title>Error:" in refused.text
    assert re.findall(r"<code>([A-Z2-9-]+)</code>", refused.text) == codes  # still there
    done = client.post("/sign-in/second-factor/recovery-codes", data={"saved": "y"})
    assert done.status_code == 303 and done.location == "/coordinator/citizens"
    # Gone once saved: neither the page nor the file shows them again.
    assert client.get("/sign-in/second-factor/recovery-codes").status_code == 303
    assert client.get("/sign-in/second-factor/recovery-codes.txt").status_code == 303


def test_the_download_holds_the_codes_shown_and_is_never_stored(enrolled):
    client, user, codes = enrolled
    response = client.get("/sign-in/second-factor/recovery-codes.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'attachment; filename="recovery-codes.txt"'
    assert re.findall(r"^[A-Z2-9]{5}-[A-Z2-9]{5}$", response.text, re.M) == codes
    assert user.email in response.text


def test_the_codes_are_sealed_in_the_session_and_expire(enrolled, clock):
    client, _user, codes = enrolled
    with client.session_transaction() as session:
        kept = session[SHOWN]
        assert "mfa_codes" not in session
    assert not any(code in str(kept) for code in codes)  # not readable in the cookie
    clock.advance(timedelta(seconds=SHOWN_SECONDS + 1))
    assert client.get("/sign-in/second-factor/recovery-codes.txt").status_code == 303
    assert client.get("/sign-in/second-factor/recovery-codes").status_code == 303


def test_another_staff_members_session_cannot_read_them(app, db, enrolled):
    client, _user, codes = enrolled
    with client.session_transaction() as session:
        kept = session[SHOWN]
    other = make_user(db, "locksmith")
    db.commit()
    thief = english_client(app)
    from tests.helpers import sign_in_staff

    sign_in_staff(thief, other)
    with thief.session_transaction() as session:
        session[SHOWN] = kept
    response = thief.get("/sign-in/second-factor/recovery-codes.txt")
    assert response.status_code == 303 and not any(code in response.text for code in codes)
