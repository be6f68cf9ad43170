"""The recovery codes page after setting up the app: printed or downloaded while this session
shows them, kept sealed between the requests, and left only once they are said to be saved."""

import re
from datetime import timedelta

import pyotp
import pytest

from portal.accounts.views_recovery import SHOWN, SHOWN_SECONDS
from tests.accounts.test_mfa import REQUIRED, _enrol, _password, _secret
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


def _cookie_session(app, client) -> dict:
    """What anyone holding the cookie can read: Flask signs it but does not encrypt it."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return app.session_interface.get_signing_serializer(app).loads(cookie)


def _setup_post(client, secret, clock):
    return client.post(
        "/sign-in/second-factor/setup", data={"code": pyotp.TOTP(secret).at(clock())}
    )


def test_the_codes_never_travel_readable_in_the_cookie_after_set_up(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    _password(client, user)
    client.get("/sign-in/second-factor/setup")
    done = _setup_post(client, _secret(client), clock)
    assert done.status_code == 303 and done.location == "/sign-in/second-factor/recovery-codes"
    readable = str(_cookie_session(app, client))  # the cookie of the redirect, before the page
    page = client.get(done.location).text
    codes = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", page)
    assert len(codes) == 10  # the page still shows them, once
    for cookie in (readable, str(_cookie_session(app, client))):
        assert not any(code in cookie or code.replace("-", "") in cookie for code in codes)
    done = client.post("/sign-in/second-factor/recovery-codes", data={"saved": "y"})
    assert done.status_code == 303 and done.location == "/coordinator/citizens"


def test_new_codes_after_replacing_the_app_never_travel_readable_either(app, db, clock, enrolled):
    client, _user, old_codes = enrolled
    client.post("/sign-in/second-factor/recovery-codes", data={"saved": "y"})
    client.get("/sign-in/second-factor/setup")
    new_secret = _secret(client)
    clock.advance(timedelta(minutes=1))
    done = client.post(
        "/sign-in/second-factor/setup",
        data={"current": old_codes[0], "code": pyotp.TOTP(new_secret).at(clock())},
    )
    assert done.status_code == 303 and done.location == "/sign-in/second-factor/recovery-codes"
    readable = str(_cookie_session(app, client))
    codes = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", client.get(done.location).text)
    assert len(codes) == 10 and not set(codes) & set(old_codes)
    assert not any(code in readable or code.replace("-", "") in readable for code in codes)
    assert (
        client.post("/sign-in/second-factor/recovery-codes", data={"saved": "y"}).location
        == "/coordinator/citizens"
    )
