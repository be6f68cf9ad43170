"""Staff lockout: the same answer for known and unknown emails, and no lock-out by strangers."""

import re

import pytest
from sqlalchemy import func, select

from portal.accounts import known_browsers, staff_auth
from portal.accounts.models import SignInFailure
from tests.factories import PASSWORD, make_user
from tests.web.support import english_client

LIMIT = 10


def _post(client, email, password):
    return client.post("/sign-in/staff", data={"email": email, "password": password})


def _answer(response, email) -> str:
    html = response.get_data(as_text=True).replace(email, "EMAIL")
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def counted(monkeypatch):
    """How often the password hash was checked."""
    calls = []
    real = staff_auth.check_password

    def counting(stored, password):
        calls.append(stored is None)
        return real(stored, password)

    monkeypatch.setattr(staff_auth, "check_password", counting)
    return calls


def test_known_and_unknown_emails_get_the_same_answers_and_work(app, db, counted):
    known = make_user(db, "coordinator").email
    db.commit()
    unknown = "nobody-here@test.example"
    answers = {}
    for email, addr in ((known, "10.1.0.1"), (unknown, "10.1.0.2")):
        client = english_client(app, addr)
        for _ in range(LIMIT):
            assert _post(client, email, "wrong").status_code == 200
        eleventh = _post(client, email, PASSWORD)
        assert "Too many wrong attempts" in eleventh.get_data(as_text=True)
        answers[email] = (_answer(eleventh, email), eleventh.status_code)
    assert answers[known] == answers[unknown]
    assert len(counted) == 2 * (LIMIT + 1)  # the password is checked every time, for both
    assert db.scalar(select(func.count()).select_from(SignInFailure)) == 4  # 2 emails, 2 addresses


def test_a_stranger_cannot_lock_a_coordinator_out(app, db):
    user = make_user(db, "coordinator")
    db.commit()
    own = english_client(app, "10.2.0.1")
    assert _post(own, user.email, PASSWORD).status_code == 303  # signs in from this browser
    own.post("/sign-out")
    stranger = english_client(app, "10.2.0.66")
    for _ in range(LIMIT + 3):
        _post(stranger, user.email, "guess")
    # A new browser with the right password waits, like the stranger...
    fresh = english_client(app, "10.2.0.2")
    assert "Too many wrong attempts" in _post(fresh, user.email, PASSWORD).get_data(as_text=True)
    # ...but the coordinator's own browser still gets in, and a wrong password there does not.
    assert _post(own, user.email, "wrong").status_code == 200
    assert _post(own, user.email, PASSWORD).status_code == 303


def test_an_address_is_throttled_across_emails_but_its_known_browser_gets_in(app, db):
    user = make_user(db, "coordinator")
    db.commit()
    office = english_client(app, "10.3.0.1")
    assert _post(office, user.email, PASSWORD).status_code == 303
    office.post("/sign-out")
    limit = app.config["STAFF_ADDRESS_MAX_FAILURES"]
    stranger = english_client(app, "10.3.0.1")  # the same address (an office NAT)
    for i in range(limit):
        _post(stranger, f"guess{i}@test.example", "wrong")
    refused = _post(stranger, user.email, PASSWORD)
    assert "Too many wrong attempts" in refused.get_data(as_text=True)
    assert _post(office, user.email, PASSWORD).status_code == 303


def test_a_forged_known_browser_cookie_is_worth_nothing(app, db):
    user = make_user(db, "coordinator")
    db.commit()
    stranger = english_client(app, "10.4.0.66")
    for _ in range(LIMIT):
        _post(stranger, user.email, "guess")
    stranger.set_cookie(known_browsers.COOKIE, f"[{user.id}]", path="/sign-in")
    assert "Too many wrong" in _post(stranger, user.email, PASSWORD).get_data(as_text=True)
