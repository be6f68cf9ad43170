"""Staff and owners change their own password: a password someone else chose (the coordinator
who made a partner admin's account and read its password off the page, whoever ran `flask users
create`) then stops working, and every other session of the account ends."""

import pytest
from sqlalchemy import select

from portal.accounts import services
from portal.accounts.models import User
from portal.audit.models import AuditRecord
from tests.factories import PASSWORD, make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client

NEW = "a sentence nobody else has read"


def _change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post(
        "/account/password",
        data={"current": current, "password": new, "confirm": new if confirm is None else confirm},
    )


@pytest.mark.parametrize("role", ["partner_admin", "coordinator", "owner", "locksmith"])
def test_the_new_password_signs_in_the_old_one_does_not(app, db, role):
    user = make_user(db, role)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, user)
    page = client.get("/account/password")
    assert page.status_code == 200 and "Change your password" in page.text
    assert 'autocomplete="current-password"' in page.text
    done = _change(client)
    assert done.status_code == 303
    follow = client.get(done.location)
    assert "Your password is changed" in follow.text  # and this browser is still signed in
    fresh = english_client(app)
    old = fresh.post("/sign-in/staff", data={"email": user.email, "password": PASSWORD})
    assert old.status_code == 200 and "is not right" in old.text
    sign_in_staff(english_client(app), user, NEW)
    actions = db.scalars(select(AuditRecord.action).where(AuditRecord.object_id == str(user.id)))
    assert "password_changed" in list(actions)


def test_every_other_session_ends(app, db):
    user = make_user(db, "partner_admin")
    db.commit()
    coordinator_knew_it, admin = english_client(app), english_client(app)
    sign_in_staff(coordinator_knew_it, user)
    sign_in_staff(admin, user)
    assert _change(admin).status_code == 303
    assert coordinator_knew_it.get("/account/password").status_code == 302  # signed out
    assert admin.get("/account/password").status_code == 200


def test_a_wrong_current_password_or_a_short_new_one_changes_nothing(app, db):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    sign_in_staff(client, user)
    wrong = _change(client, current="not the password")
    assert wrong.status_code == 200 and "This is not the password you use now" in wrong.text
    short = _change(client, new="short")
    assert "The password must be 12 to 200 characters" in short.text
    differs = _change(client, confirm=NEW + "!")
    assert "The two passwords are not the same" in differs.text
    db.expire_all()
    sign_in_staff(english_client(app), db.get(User, user.id))  # the old password still works


def test_a_left_open_session_cannot_guess_the_password(app, db, clock, now):
    user = make_user(db, "coordinator")
    db.commit()
    for _ in range(9):
        with pytest.raises(services.InvalidCredentials):
            services.change_password(db, user, "guess", NEW, now=now)
    with pytest.raises(services.AccountLocked):
        services.change_password(db, user, "guess", NEW, now=now)
    with pytest.raises(services.AccountLocked):  # even the right one, while locked
        services.change_password(db, user, PASSWORD, NEW, now=now)
    db.commit()
    version = user.session_version
    db.expire_all()
    assert db.get(User, user.id).session_version == version


def test_citizens_and_strangers_have_no_password_page(app, client):
    assert client.get("/account/password").status_code == 302
    assert client.post("/account/password", data={"current": "x"}).status_code == 302
