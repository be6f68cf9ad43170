"""Second factor for staff: enrolment by QR code, TOTP, recovery codes, throttling, reset."""

import json
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import RecoveryCode, SecondFactor
from portal.audit.models import AuditRecord
from tests.factories import PASSWORD, make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client

REQUIRED = ("coordinator", "provider_admin")


@pytest.fixture
def mfa_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", REQUIRED)


def _password(client, user):
    return client.post("/sign-in/staff", data={"email": user.email, "password": PASSWORD})


def _secret(client) -> str:
    """The key the set-up page shows to type in (the session keeps it sealed, not readable)."""
    page = client.get("/sign-in/second-factor/setup").get_data(as_text=True)
    found = re.search(r'<code class="mfa-secret">([A-Z2-7 ]+)</code>', page)
    return found.group(1).replace(" ", "")


def _enrol(client, user, clock) -> tuple[str, list[str]]:
    """Password, QR page, first code; returns the secret and the recovery codes."""
    assert _password(client, user).location == "/sign-in/second-factor/setup"
    page = client.get("/sign-in/second-factor/setup").get_data(as_text=True)
    secret = _secret(client)
    assert "<svg" in page and 'role="img"' in page
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    done = client.post(
        "/sign-in/second-factor/setup", data={"code": pyotp.TOTP(secret).at(clock())}
    )
    assert done.status_code == 303 and done.location == "/sign-in/second-factor/recovery-codes"
    codes = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", client.get(done.location).text)
    return secret, codes


def test_a_coordinator_must_set_up_the_app_before_getting_in(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    _password(client, user)
    assert client.get("/coordinator/citizens").status_code == 302  # not signed in yet
    client.get("/sign-in/second-factor/setup")
    wrong = client.post("/sign-in/second-factor/setup", data={"code": "000000"})
    assert wrong.status_code == 200 and "The code is not right" in wrong.text
    secret, codes = _enrol(english_client(app), user, clock)
    assert len(codes) == 10 == len(set(codes))
    factor = db.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))
    assert factor.secret != secret and secret not in factor.secret  # encrypted at rest
    hashes = db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id))
    assert not any(c.replace("-", "") in h for h in hashes for c in codes)


def test_the_secret_being_set_up_is_sealed_in_the_cookie(app, db, clock, mfa_on):
    # The signed session cookie is readable: a set-up left unfinished on a shared computer
    # must not leave the authenticator's key in it. The page shows it; the cookie seals it.
    user, other = make_user(db, "coordinator"), make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    _password(client, user)
    secret = _secret(client)
    with client.session_transaction() as session:
        kept = json.dumps(dict(session))
        assert secret not in kept and session["mfa_secret"] != secret
    assert _secret(client) == secret  # the same key on the next look
    # Another account's sealed key does not open for this one: a fresh key instead.
    stranger = english_client(app)
    _password(stranger, other)
    with client.session_transaction() as session:
        stolen = session["mfa_secret"]
    with stranger.session_transaction() as session:
        session["mfa_secret"] = stolen
    assert _secret(stranger) != secret


def test_totp_once_then_recovery_codes_once(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    first = english_client(app)
    secret, codes = _enrol(first, user, clock)
    assert first.get("/coordinator/citizens").status_code == 200
    clock.advance(timedelta(minutes=1))
    code = pyotp.TOTP(secret).at(clock())
    second = english_client(app)
    assert _password(second, user).location == "/sign-in/second-factor"
    assert second.get("/coordinator/citizens").status_code == 302
    passed = second.post("/sign-in/second-factor", data={"code": code})
    assert passed.status_code == 303 and passed.location == "/coordinator/citizens"
    replay = english_client(app)
    _password(replay, user)
    again = replay.post("/sign-in/second-factor", data={"code": code})
    assert again.status_code == 200 and "The code is not right" in again.text
    recovered = replay.post("/sign-in/second-factor", data={"code": codes[3].lower()})
    assert recovered.status_code == 303
    assert "You used a recovery code" in replay.get(recovered.location).text
    reused = english_client(app)
    _password(reused, user)
    assert reused.post("/sign-in/second-factor", data={"code": codes[3]}).status_code == 200
    actions = db.scalars(select(AuditRecord.action)).all()
    assert "mfa_enrolled" in actions and "recovery_code_used" in actions


def test_the_password_alone_cannot_replace_the_app(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    _enrol(english_client(app), user, clock)
    thief = english_client(app)
    assert _password(thief, user).location == "/sign-in/second-factor"
    detour = thief.get("/sign-in/second-factor/setup")
    assert detour.status_code == 303 and detour.location == "/sign-in/second-factor"
    sneak = thief.post("/sign-in/second-factor/setup", data={"code": "123456"})
    assert sneak.status_code == 303 and sneak.location == "/sign-in/second-factor"
    assert thief.get("/coordinator/citizens").status_code == 302


def test_wrong_codes_are_throttled(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    secret, _codes = _enrol(english_client(app), user, clock)
    client = english_client(app)
    _password(client, user)
    for _ in range(5):
        response = client.post("/sign-in/second-factor", data={"code": "123456"})
    assert "Too many wrong codes" in response.text
    right = client.post("/sign-in/second-factor", data={"code": pyotp.TOTP(secret).at(clock())})
    assert right.status_code == 200 and "Too many wrong codes" in right.text


def test_a_locksmith_may_but_need_not_use_the_app(app, db, clock, mfa_on):
    user = make_user(db, "locksmith")
    db.commit()
    client = english_client(app)
    sign_in_staff(client, user)  # password only
    assert client.get("/sign-in/second-factor/setup").status_code == 200
    secret = _secret(client)
    code = pyotp.TOTP(secret).at(clock())
    assert client.post("/sign-in/second-factor/setup", data={"code": code}).status_code == 303
    later = english_client(app)
    assert _password(later, user).location == "/sign-in/second-factor"


def _throttled(app, user, clock, wait=timedelta(minutes=1), address="10.9.0.7"):
    """A stranger's wrong passwords lock the account; `wait` later, a browser never used
    before (its own address) comes to sign in."""
    stranger = english_client(app, "10.9.0.66")
    for _ in range(12):
        stranger.post("/sign-in/staff", data={"email": user.email, "password": "guess"})
    clock.advance(wait)
    return english_client(app, address)


def _without_token(page: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value="|"X-CSRFToken": ")[^"]+', r"\1", page)


def test_a_throttled_sign_in_answers_alike_whether_the_password_is_right(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    _enrol(english_client(app), user, clock)
    fresh = _throttled(app, user, clock)
    right = _password(fresh, user)
    wrong = fresh.post("/sign-in/staff", data={"email": user.email, "password": "guess again"})
    assert right.status_code == wrong.status_code == 200
    assert "Too many wrong attempts" in right.text
    assert 'name="code"' in right.text  # the way in for the staff member, offered to anyone
    assert _without_token(right.text) == _without_token(wrong.text)
    assert fresh.get("/coordinator/citizens").status_code == 302
    # The lock stays on the account: the right password did not lift it.
    again = english_client(app, "10.9.0.8")
    assert "Too many wrong attempts" in _password(again, user).text


def test_password_and_code_get_in_while_a_stranger_throttles(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    secret, codes = _enrol(english_client(app), user, clock)
    clock.advance(timedelta(minutes=1))
    fresh = _throttled(app, user, clock)
    code = pyotp.TOTP(secret).at(clock())

    def attempt(password, typed):
        data = {"email": user.email, "password": password, "code": typed}
        return fresh.post("/sign-in/staff", data=data)

    for password, typed in (("guess", code), (PASSWORD, "000000"), (PASSWORD, "")):
        refused = attempt(password, typed)
        assert refused.status_code == 200 and "Too many wrong attempts" in refused.text
        assert f'value="{typed}"' not in refused.text or not typed  # a code is never echoed
    passed = attempt(PASSWORD, code)
    assert passed.status_code == 303 and passed.location == "/coordinator/citizens"
    assert fresh.get("/coordinator/citizens").status_code == 200
    actions = db.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)).all()
    assert actions[-2:] == ["mfa_passed", "sign_in"]
    assert actions.count("mfa_failed") >= 1  # the wrong code counted against the factor
    # Both factors lifted the account's lock; the stranger locks it again. A code is good
    # once: the same one from another new browser is refused.
    other = _throttled(app, user, clock, wait=timedelta(0), address="10.9.0.9")
    data = {"email": user.email, "password": PASSWORD, "code": code}
    assert "Too many wrong attempts" in other.post("/sign-in/staff", data=data).text
    # A recovery code is not taken there (ten argon2 checks made only for the right password
    # would give it away by their time); it is not used up, and works at the second step.
    data["code"] = codes[0]
    assert "Too many wrong attempts" in other.post("/sign-in/staff", data=data).text
    clock.advance(timedelta(minutes=16))
    later = english_client(app, "10.9.0.10")
    assert _password(later, user).location == "/sign-in/second-factor"
    used = later.post("/sign-in/second-factor", data={"code": codes[0]})
    assert used.status_code == 303
    assert "You used a recovery code" in later.get(used.location).text


def test_while_throttled_no_recovery_code_is_checked(app, db, clock, mfa_on, monkeypatch):
    from portal.accounts import mfa

    user = make_user(db, "coordinator")
    db.commit()
    _secret_key, codes = _enrol(english_client(app), user, clock)
    fresh = _throttled(app, user, clock)
    checked = []
    real = mfa.check_password
    monkeypatch.setattr(mfa, "check_password", lambda *a: checked.append(a) or real(*a))
    data = {"email": user.email, "password": PASSWORD, "code": codes[1]}
    assert "Too many wrong attempts" in fresh.post("/sign-in/staff", data=data).text
    assert checked == []


def test_guesses_from_a_locked_address_count_against_the_account(
    app, db, clock, mfa_on, monkeypatch
):
    """An attacker who locked only their own address (made-up emails) and then guesses at a
    coordinator's password still locks the coordinator's account, as guesses from an open
    address would: a right password from a new browser elsewhere is then paused too."""
    user = make_user(db, "coordinator")
    db.commit()
    _enrol(english_client(app), user, clock)
    monkeypatch.setitem(app.config, "STAFF_ADDRESS_MAX_FAILURES", 5)  # under the rate limit
    attacker = english_client(app, "203.0.113.9")
    for i in range(5):
        attacker.post("/sign-in/staff", data={"email": f"x{i}@test.example", "password": "x"})
    for guess in range(10):
        answer = attacker.post(
            "/sign-in/staff", data={"email": user.email, "password": f"g{guess}"}
        )
        assert "Too many wrong attempts" in answer.text
    elsewhere = english_client(app, "10.9.0.11")
    assert "Too many wrong attempts" in _password(elsewhere, user).text


def test_without_a_second_factor_the_lock_holds(app, db, clock, mfa_on):
    user = make_user(db, "locksmith")
    db.commit()
    fresh = _throttled(app, user, clock)
    data = {"email": user.email, "password": PASSWORD, "code": "123456"}
    refused = fresh.post("/sign-in/staff", data=data)
    assert refused.status_code == 200 and "Too many wrong attempts" in refused.text


def test_the_second_step_expires(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    secret, _codes = _enrol(english_client(app), user, clock)
    client = english_client(app)
    _password(client, user)
    clock.advance(timedelta(minutes=11))
    late = client.post("/sign-in/second-factor", data={"code": pyotp.TOTP(secret).at(clock())})
    assert late.status_code == 303 and late.location == "/sign-in/staff"


def test_a_coordinator_resets_another_staff_members_factor(app, db, clock, mfa_on):
    lost = make_user(db, "provider_admin")
    boss = make_user(db, "coordinator")
    db.commit()
    phone = english_client(app)
    _enrol(phone, lost, clock)
    assert phone.get("/staff").status_code == 200
    admin = english_client(app)
    _enrol(admin, boss, clock)
    page = admin.get("/coordinator/staff-accounts").text
    assert lost.email in page and "Reset the second factor" in page
    assert (
        admin.post(f"/coordinator/staff-accounts/{boss.id}/second-factor/reset").status_code == 404
    )
    assert admin.post("/coordinator/staff-accounts/999999/second-factor/reset").status_code == 404
    url = f"/coordinator/staff-accounts/{lost.id}/second-factor/reset"
    # The link asks first; a POST without the "Yes" (a script, an old page) asks too.
    question = admin.get(url)
    assert question.status_code == 200
    assert f"Reset the second factor of {lost.name}?" in question.text
    assert "Yes, reset the second factor" in question.text and "No, keep it" in question.text
    assert admin.post(url).status_code == 200
    assert db.get(SecondFactor, lost.id) is not None
    assert phone.get("/staff").status_code == 200
    done = admin.post(url, data={"confirm": "yes"})
    assert done.status_code == 303
    db.expire_all()
    assert db.get(SecondFactor, lost.id) is None
    assert phone.get("/staff").status_code == 302  # their sessions ended
    assert _password(english_client(app), lost).location == "/sign-in/second-factor/setup"
    audit = db.scalar(select(AuditRecord).where(AuditRecord.action == "mfa_reset"))
    assert audit.object_id == str(lost.id) and str(boss.id) in audit.actor


@pytest.mark.parametrize("role", ["locksmith", "provider_admin"])
def test_only_coordinators_reset(app, db, role):
    target = make_user(db, "locksmith")
    user = make_user(db, role)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, user)
    assert client.get("/coordinator/staff-accounts").status_code == 403
    url = f"/coordinator/staff-accounts/{target.id}/second-factor/reset"
    assert client.post(url).status_code == 403


def test_a_signed_in_session_alone_cannot_replace_the_app(app, db, clock, mfa_on):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    old_secret, _codes = _enrol(client, user, clock)
    assert client.get("/sign-in/second-factor/recovery-codes").status_code in (200, 303)
    left_open = english_client(app, "10.9.0.12")  # another browser, signed in with the old app
    assert _password(left_open, user).location == "/sign-in/second-factor"
    clock.advance(timedelta(seconds=30))
    code = pyotp.TOTP(old_secret).at(clock())
    assert left_open.post("/sign-in/second-factor", data={"code": code}).status_code == 303
    assert left_open.get("/coordinator/citizens").status_code == 200
    page = client.get("/sign-in/second-factor/setup")
    assert page.status_code == 200 and "Code from the app you use now" in page.text
    new_secret = _secret(client)
    clock.advance(timedelta(minutes=1))

    def replace(current, new):
        return client.post("/sign-in/second-factor/setup", data={"current": current, "code": new})

    new_code = pyotp.TOTP(new_secret).at(clock())
    for current in ("", "000000", pyotp.TOTP(new_secret).at(clock())):
        refused = replace(current, new_code)
        assert refused.status_code == 200 and 'id="current-error"' in refused.text
    old_code = pyotp.TOTP(old_secret).at(clock())
    slip = replace(old_code, "111111")  # a slip in the new code does not use up the old one
    assert slip.status_code == 200 and 'id="code-error"' in slip.text
    done = replace(old_code, new_code)
    assert done.status_code == 303 and done.location == "/sign-in/second-factor/recovery-codes"
    assert "<code>" in client.get(done.location).text  # the new recovery codes, shown once
    assert client.get("/coordinator/citizens").status_code == 200  # this browser goes on
    assert left_open.get("/coordinator/citizens").status_code == 302  # the other one is out
    clock.advance(timedelta(minutes=1))
    later = english_client(app)
    assert _password(later, user).location == "/sign-in/second-factor"
    stale = later.post("/sign-in/second-factor", data={"code": pyotp.TOTP(old_secret).at(clock())})
    assert stale.status_code == 200 and "The code is not right" in stale.text
    fresh = later.post("/sign-in/second-factor", data={"code": pyotp.TOTP(new_secret).at(clock())})
    assert fresh.status_code == 303
    actions = db.scalars(select(AuditRecord.action)).all()
    assert actions.count("mfa_enrolled") == 2 and actions.count("mfa_failed") >= 3


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("en", ("Coordinator", "Locksmith", "Provider admin", "Partner admin")),
        ("da", ("Koordinator", "Låsesmed", "Leverandøradministrator", "samarbejdspartner")),
    ],
)
def test_every_staff_role_is_named_on_the_staff_accounts_page(app, db, clock, lang, labels):
    from portal.accounts.models import STAFF_ROLES
    from portal.accounts.roles import ROLE_LABELS

    assert set(ROLE_LABELS) == set(STAFF_ROLES)
    boss = make_user(db, "coordinator")
    for role in ("locksmith", "provider_admin", "partner_admin"):
        make_user(db, role)
    db.commit()
    client = english_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    sign_in_staff(client, boss)
    page = client.get("/coordinator/staff-accounts").text
    cells = re.findall(r'<td data-title="[^"]*"><span>([^<]*)</span></td>', page)
    for label in labels:
        assert any(label in cell for cell in cells), label


def test_the_staff_page_links_to_the_question_and_a_reset_without_an_app_is_refused(
    app, db, clock, mfa_on
):
    lost = make_user(db, "provider_admin")
    never = make_user(db, "provider_admin")
    boss = make_user(db, "coordinator")
    db.commit()
    _enrol(english_client(app), lost, clock)
    admin = english_client(app)
    _enrol(admin, boss, clock)
    page = admin.get("/coordinator/staff-accounts").text
    table = page.split("<table", 1)[1].split("</table>", 1)[0]
    assert 'type="submit"' not in table  # links to the question only
    assert f'href="/coordinator/staff-accounts/{lost.id}/second-factor/reset"' in page
    assert f"/coordinator/staff-accounts/{never.id}/second-factor/reset" not in page
    nothing = admin.get(f"/coordinator/staff-accounts/{never.id}/second-factor/reset")
    assert nothing.status_code == 303 and nothing.location == "/coordinator/staff-accounts"
    assert (
        admin.post(
            f"/coordinator/staff-accounts/{lost.id}/second-factor/reset", data={"confirm": "no"}
        ).status_code
        == 200
    )
    assert db.get(SecondFactor, lost.id) is not None


@pytest.mark.parametrize("typed", ["1" * 21, "<script>alert(1)</script>", "12 34 56\x00", "١٢٣٤٥٦"])
def test_bad_input_in_the_code_box_signs_nobody_in(app, db, clock, mfa_on, typed):
    user = make_user(db, "coordinator")
    db.commit()
    _enrol(english_client(app), user, clock)
    fresh = _throttled(app, user, clock)
    data = {"email": user.email, "password": PASSWORD, "code": typed}
    answer = fresh.post("/sign-in/staff", data=data)
    assert answer.status_code == 200 and "<script>alert(1)" not in answer.text
    assert fresh.get("/coordinator/citizens").status_code == 302
