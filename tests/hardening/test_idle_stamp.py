"""The idle timeout starts at sign-in: the cookie set there already carries its time."""

from datetime import timedelta

import pytest

from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff


@pytest.mark.parametrize(
    ("who", "page", "idle"),
    [("citizen", "/citizen/", 31), ("staff", "/coordinator/citizens", 8 * 60 + 1)],
)
def test_the_cookie_from_sign_in_expires_after_the_idle_limit(client, db, clock, who, page, idle):
    if who == "citizen":
        sign_in_citizen(client, make_citizen(db))
    else:
        sign_in_staff(client, make_user(db, "coordinator"))
    with client.session_transaction() as session:
        assert session["seen"] == int(clock().timestamp())
    clock.advance(timedelta(minutes=idle))  # the sign-in cookie, untouched since, is now old
    response = client.get(page)
    assert response.status_code == 302 and "/sign-in/" in response.location


def test_a_back_dated_cookie_without_a_stamp_is_signed_out(client, db, clock):
    sign_in_citizen(client, make_citizen(db))
    with client.session_transaction() as session:
        del session["seen"]
    assert client.get("/citizen/").status_code == 302


def test_an_active_citizen_stays_signed_in(client, db, clock):
    sign_in_citizen(client, make_citizen(db))
    for _ in range(4):
        clock.advance(timedelta(minutes=20))
        assert client.get("/citizen/").status_code == 200
