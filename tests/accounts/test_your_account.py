"""After a sign-in with a recovery code, a page says how many codes are left and leads to
setting up the app on the new phone (that sign-in is the proof, for a few minutes, in that
browser only); "Your account" in every staff menu shows the app and the codes left, moves the
app and makes new recovery codes; only the signed-in staff member themselves gets there."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts import mfa
from portal.accounts.models import STAFF_ROLES
from portal.audit.models import AuditRecord
from tests.accounts.test_mfa import REQUIRED, _enrol, _password, _secret
from tests.factories import PASSWORD, make_user
from tests.helpers import sign_in_staff
from tests.web.support import client_for, english_client, make_world

LANDING = "/sign-in/second-factor/recovered"
SETUP = "/sign-in/second-factor/setup"
RENEW = "/account/recovery-codes/new"
CODES_PAGE = "/sign-in/second-factor/recovery-codes"


@pytest.fixture
def mfa_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", REQUIRED)


@pytest.fixture
def enrolled(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    first = english_client(app)
    secret, codes = _enrol(first, user, clock)
    first.post(CODES_PAGE, data={"saved": "y"})
    return user, secret, codes


def _use_up(db, app, user, codes, clock):
    for code in codes:
        mfa.verify(db, app.extensions["keyring"], user, code, now=clock())
    db.commit()


def _recover(app, user, code, next_page=None):
    client = english_client(app)
    url = "/sign-in/staff" + (f"?next={next_page}" if next_page else "")
    answer = client.post(url, data={"email": user.email, "password": PASSWORD})
    assert answer.location == "/sign-in/second-factor"
    done = client.post("/sign-in/second-factor?with=recovery", data={"code": code})
    assert done.status_code == 303 and done.location == LANDING
    return client


def _codes(html: str) -> list[str]:
    return re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", html)


def test_the_page_after_a_recovery_sign_in_says_how_many_are_left(app, db, clock, enrolled):
    user, _secret_key, codes = enrolled
    client = _recover(app, user, codes[0], next_page="/coordinator/letters")
    page = client.get(LANDING).text
    assert "<h1>You signed in with a recovery code</h1>" in page
    assert "9 codes left" in page and "alert-warning" not in page
    assert f'href="{SETUP}"' in page and "Set up the app on your new phone" in page
    assert re.search(r'href="/coordinator/letters"[^>]*>Continue<', page)  # where they were going
    assert "You used a recovery code" not in client.get("/coordinator/citizens").text  # no flash


@pytest.mark.parametrize(
    ("used", "words"),
    [
        (8, ("2 codes left", "Make new recovery codes now")),
        (9, ("1 code left", "Make new recovery codes now")),
        (10, ("No recovery codes left", "You have no recovery codes left")),
    ],
)
def test_few_or_no_codes_left_say_so_clearly(app, db, clock, enrolled, used, words):
    user, _secret_key, codes = enrolled
    _use_up(db, app, user, codes[: used - 1], clock)
    page = _recover(app, user, codes[used - 1]).get(LANDING).text
    main = page.split("<main", 1)[1]
    assert '<div class="alert alert-warning" role="alert">' in main
    assert all(word in main for word in words)


def test_with_the_last_code_gone_the_new_phone_is_set_up_without_another(app, db, clock, enrolled):
    user, old_secret, codes = enrolled
    _use_up(db, app, user, codes[:9], clock)
    other = english_client(app, "10.9.0.20")  # another browser left signed in
    clock.advance(timedelta(seconds=30))
    _password(other, user)
    assert other.post("/sign-in/second-factor", data={"code": pyotp.TOTP(old_secret).at(clock())})
    client = _recover(app, user, codes[9], next_page="/coordinator/letters")
    page = client.get(SETUP).text
    assert 'id="current"' not in page and "You signed in with a recovery code a moment" in page
    new_secret = _secret(client)
    clock.advance(timedelta(minutes=2))
    done = client.post(SETUP, data={"code": pyotp.TOTP(new_secret).at(clock())})
    assert done.status_code == 303 and done.location == CODES_PAGE
    new_codes = _codes(client.get(CODES_PAGE).text)
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    saved = client.post(CODES_PAGE, data={"saved": "y"})
    assert saved.location == "/coordinator/letters"  # Continue goes where they were going
    assert client.get("/coordinator/citizens").status_code == 200
    assert other.get("/coordinator/citizens").status_code == 302  # the other browser is out
    assert client.get(LANDING).status_code == 303  # the proof was used up with the old app
    clock.advance(timedelta(minutes=1))
    again = english_client(app)
    _password(again, user)
    old = again.post("/sign-in/second-factor", data={"code": pyotp.TOTP(old_secret).at(clock())})
    assert old.status_code == 200
    new = again.post("/sign-in/second-factor", data={"code": pyotp.TOTP(new_secret).at(clock())})
    assert new.status_code == 303 and new.location == "/coordinator/citizens"
    actions = db.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)).all()
    assert actions.count("mfa_enrolled") == 2 and actions.count("recovery_code_used") == 10


def test_the_proof_lasts_minutes_and_stays_in_its_own_browser(app, db, clock, enrolled):
    user, old_secret, codes = enrolled
    late = _recover(app, user, codes[0])
    clock.advance(mfa.RECOVERY_PROOF + timedelta(seconds=1))
    page = late.get(SETUP).text
    assert 'id="current"' in page  # a code again, as from Your account
    new_secret = _secret(late)
    refused = late.post(SETUP, data={"code": pyotp.TOTP(new_secret).at(clock())})
    assert refused.status_code == 200 and 'id="current-error"' in refused.text
    assert "9 codes left" in late.get(LANDING).text  # the page itself still tells
    # A browser signed in with the app's code has no such proof.
    with_app = english_client(app)
    _password(with_app, user)
    with_app.post("/sign-in/second-factor", data={"code": pyotp.TOTP(old_secret).at(clock())})
    assert with_app.get(LANDING).status_code == 303
    assert 'id="current"' in with_app.get(SETUP).text


def test_another_staff_members_proof_is_worth_nothing(app, db, clock, enrolled):
    user, _secret_key, codes = enrolled
    recovered = _recover(app, user, codes[0])
    with recovered.session_transaction() as session:
        kept = dict(session["mfa_recovered"])
    other = make_user(db, "locksmith")
    db.commit()
    thief = english_client(app)
    sign_in_staff(thief, other)
    with thief.session_transaction() as session:
        session["mfa_recovered"] = kept
    assert thief.get(LANDING).status_code == 303


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_your_account_is_in_every_staff_menu(app, db, role):
    user = make_user(db, role)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, user)
    page = client.get("/account").text
    assert re.search(r'<a href="/account" class="nav-link" aria-current="page"><span>Your', page)
    assert "<h1>Your account</h1>" in page and user.email in page
    assert 'href="/account/password">Change your password</a>' in page
    assert f'href="{SETUP}"' in page and "Set up your authenticator app" in page
    assert f'href="{RENEW}"' not in page  # nothing to renew without an app
    nothing = client.get(RENEW)
    assert nothing.status_code == 303 and nothing.location == "/account"


def test_your_account_moves_the_app_and_makes_new_codes(app, db, clock, enrolled):
    user, secret, old = enrolled
    client = english_client(app)
    _password(client, user)
    clock.advance(timedelta(seconds=30))
    client.post("/sign-in/second-factor", data={"code": pyotp.TOTP(secret).at(clock())})
    page = client.get("/account").text
    assert "10 codes left" in page and "Move the app to a new phone" in page
    assert f'href="{SETUP}"' in page and f'href="{RENEW}"' in page
    form = client.get(RENEW).text
    assert 'id="current"' in form and "10 codes left" in form
    for typed, error in [
        ("", "Enter a code from the app you use now, or a recovery code"),
        ("1" * 21, "The code is at most 20 characters"),
        ("000000", "Codes change every 30 seconds"),
        ("ABCDE-FGH23", "That recovery code is not right"),
        ("<script>x</script>", "That recovery code is not right"),
    ]:
        refused = client.post(RENEW, data={"current": typed})
        assert refused.status_code == 200 and error in refused.text, typed
        assert "<script>x" not in refused.text
    assert mfa.recovery_codes_left(db, user.id) == 10
    done = client.post(RENEW, data={"current": old[0]})
    assert done.status_code == 303 and done.location == CODES_PAGE
    codes_page = client.get(CODES_PAGE).text
    new = _codes(codes_page)
    assert len(new) == 10 and not set(new) & set(old)
    assert "once you confirm, they are not shown again" in codes_page
    assert "shown only now" not in codes_page
    assert client.post(CODES_PAGE, data={"saved": "y"}).location == "/account"
    assert "10 codes left" in client.get("/account").text
    stranger = english_client(app)
    _password(stranger, user)
    stale = stranger.post("/sign-in/second-factor?with=recovery", data={"code": old[1]})
    assert stale.status_code == 200 and "not right" in stale.text
    actions = db.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)).all()
    assert "recovery_codes_renewed" in actions and actions.count("mfa_failed") >= 4


def test_only_a_session_past_the_second_factor_gets_in(app, db, clock, enrolled):
    user, _secret_key, codes = enrolled
    halfway = english_client(app)
    assert _password(halfway, user).location == "/sign-in/second-factor"
    for url in ("/account", RENEW, LANDING):
        assert halfway.get(url).status_code == 302, url  # to sign in: not signed in yet
    assert halfway.post(RENEW, data={"current": codes[0]}).status_code == 302
    assert mfa.recovery_codes_left(db, user.id) == 10  # nothing used, nothing made
    anonymous = english_client(app)
    assert anonymous.get("/account").status_code == 302


@pytest.mark.parametrize("role", ["citizen", "relative", "owner"])
def test_no_one_but_staff(app, db, role):
    world = make_world(db)
    db.commit()
    client = client_for(app, world, role)
    for url in ("/account", RENEW, LANDING):
        assert client.get(url).status_code == 403, url
    assert client.post(RENEW, data={"current": "123456"}).status_code == 403


WORDS = {
    "da": ("Du loggede ind med en gendannelseskode", "9 koder tilbage", "Opsæt appen på din"),
    "sv": ("Du loggade in med en återställningskod", "9 koder kvar", "Ställ in appen på din"),
}


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_the_pages_speak_danish_and_swedish(app, db, clock, enrolled, lang):
    user, _secret_key, codes = enrolled
    client = _recover(app, user, codes[0])
    client.get(f"/language/{lang}")
    page = client.get(LANDING).text
    assert all(word in page for word in WORDS[lang])
    account = client.get("/account").text
    assert {"da": "Din konto", "sv": "Ditt konto"}[lang] in account
    assert {"da": "Flyt appen til en ny telefon", "sv": "Flytta appen till en ny telefon"}[
        lang
    ] in account
