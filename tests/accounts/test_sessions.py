"""Sessions: sign-out ends them on the server, idle sessions end, sign-in starts a new one,
and CSRF protects every form and htmx request."""

import re
from datetime import timedelta

import pytest

from portal.citizens import lifecycle
from tests.factories import PASSWORD, make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import csrf_token_of, english_client


@pytest.fixture
def citizen(db):
    c = make_citizen(db)
    db.commit()
    return c


def _staff(db, **extra):
    user = make_user(db, **extra)
    db.commit()
    return user


def _replay_after_sign_out(client, page):
    old = client.get_cookie("portal_session").value
    assert client.get(page).status_code == 200
    assert client.post("/sign-out").status_code == 303
    assert client.get(page).status_code == 302
    client.set_cookie("portal_session", old)
    return client.get(page)


def test_a_copied_staff_cookie_is_dead_after_sign_out(client, db):
    sign_in_staff(client, _staff(db))
    replay = _replay_after_sign_out(client, "/coordinator/citizens")
    assert replay.status_code == 302 and replay.location.startswith("/sign-in/staff")


@pytest.mark.parametrize("as_relative", [False, True])
def test_a_copied_citizen_cookie_is_dead_after_sign_out(client, citizen, as_relative):
    relative = {"name": "Rita", "phone": "20304050", "relation": "child"} if as_relative else None
    sign_in_citizen(client, citizen, relative=relative)
    replay = _replay_after_sign_out(client, "/citizen/")
    assert replay.status_code == 302 and replay.location.startswith("/sign-in/citizen")


@pytest.mark.parametrize(
    ("who", "page", "idle_minutes", "allowed"),
    [
        ("citizen", "/citizen/", 29, True),
        ("citizen", "/citizen/", 31, False),
        ("staff", "/coordinator/citizens", 8 * 60 - 1, True),
        ("staff", "/coordinator/citizens", 8 * 60 + 1, False),
    ],
)
def test_idle_sessions_end(client, db, clock, citizen, who, page, idle_minutes, allowed):
    if who == "citizen":
        sign_in_citizen(client, citizen)
    else:
        sign_in_staff(client, _staff(db))
    with client.session_transaction() as session:
        session["seen"] = clock().timestamp() - idle_minutes * 60
    response = client.get(page)
    assert (response.status_code == 200) is allowed
    if not allowed:
        follow = client.get(response.location)
        assert "signed out because you were away" in follow.get_data(as_text=True)
        assert client.get(page).status_code == 302  # the session really is gone


@pytest.mark.parametrize(("hours", "allowed"), [(11.9, True), (12.1, False)])
def test_a_busy_sign_in_still_ends_after_the_longest_a_session_lasts(
    client, db, clock, hours, allowed
):
    # Used every few minutes, the cookie is re-signed and never idle: it must still end
    # SESSION_MAX_HOURS (12) after signing in, or a copied cookie lives as long as it is used.
    sign_in_staff(client, _staff(db))
    started = clock()
    while clock() - started < timedelta(hours=hours):
        clock.advance(timedelta(minutes=50))
        if clock() - started > timedelta(hours=hours):
            clock.set(started + timedelta(hours=hours))
        answer = client.get("/coordinator/citizens")
        if answer.status_code != 200:
            break
    assert (answer.status_code == 200) is allowed
    if not allowed:
        follow = client.get(answer.location).get_data(as_text=True)
        assert "a sign-in lasts at most 12 hours" in follow
        assert client.get("/coordinator/citizens").status_code == 302


def test_signing_in_starts_a_new_session_but_keeps_the_language(client, db, citizen):
    client.get("/language/sv")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in_citizen(client, citizen)
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "sv"


def test_csrf_is_enforced_when_enabled(make_app, db):
    fresh = make_app(WTF_CSRF_ENABLED=True)
    user = _staff(db)
    client = english_client(fresh)
    form = {"email": user.email, "password": PASSWORD}
    refused = client.post("/sign-in/staff", data=form)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'class="skipnav"' in html and "Traceback" not in html
    token = csrf_token_of(client.get("/sign-in/staff").get_data(as_text=True))
    assert client.post("/sign-in/staff", data={**form, "csrf_token": token}).status_code == 303
    # htmx sends the token from <body hx-headers> as X-CSRFToken.
    page = client.get("/coordinator/citizens").get_data(as_text=True)
    header = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    assert client.post("/sign-out", headers={"HX-Request": "true"}).status_code == 400
    assert (
        client.post("/sign-out", headers={"X-CSRFToken": header, "HX-Request": "true"}).status_code
        == 303
    )
    assert client.get("/coordinator/citizens").status_code == 302


def test_a_deactivated_account_or_inactive_citizen_is_signed_out_at_once(client, db, citizen):
    user = _staff(db)
    sign_in_staff(client, user)
    assert client.get("/coordinator/citizens").status_code == 200
    user.active = False
    db.commit()
    assert client.get("/coordinator/citizens").status_code == 302
    citizen_client = english_client(client.application)
    sign_in_citizen(citizen_client, citizen)
    assert citizen_client.get("/citizen/").status_code == 200
    lifecycle.care_ended(citizen)
    db.commit()
    assert citizen_client.get("/citizen/").status_code == 302


def test_the_session_cookie_is_rewritten_only_when_it_must_be(client, db, clock, citizen):
    # The idle clock is written at most once a minute; a page view in between sends no cookie,
    # and an active citizen's clock still moves on (so activity never counts as idle).
    sign_in_citizen(client, citizen)
    client.get("/citizen/")
    again = client.get("/citizen/")
    assert again.status_code == 200 and "Set-Cookie" not in again.headers
    with client.session_transaction() as session:
        session["seen"] = clock().timestamp() - 29 * 60
    later = client.get("/citizen/")
    assert later.status_code == 200 and "Set-Cookie" in later.headers
    with client.session_transaction() as session:
        assert session["seen"] == int(clock().timestamp())  # stamped with the app's time


def test_a_typed_sign_out_address_asks_first_and_changes_nothing(app, db):
    from tests.factories import make_user
    from tests.helpers import sign_in_staff
    from tests.web.support import english_client

    client = english_client(app)
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    asked = client.get("/sign-out")
    assert asked.status_code == 200 and "Yes, sign out" in asked.get_data(as_text=True)
    assert client.get("/coordinator/citizens").status_code == 200  # still signed in
    done = client.post("/sign-out")
    assert done.status_code == 303
    assert client.get("/coordinator/citizens").status_code == 302
    assert client.get("/sign-out").status_code == 303  # nobody to sign out
