"""Sign-in rules without HTTP: staff passwords and lockout, citizen codes, relatives, sign-out."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts import citizen_auth, services, staff_auth
from portal.accounts.principals import CitizenPrincipal, load_principal
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.citizens import lifecycle
from portal.citizens.letter_codes import MalformedCode, grouped
from portal.citizens.models import Relative
from tests.factories import PASSWORD, make_citizen, make_user

WRONG_DOB = date(1950, 1, 1)


def _actions(db):
    return [r.action for r in db.scalars(select(AuditRecord).order_by(AuditRecord.seq))]


# --- staff ---------------------------------------------------------------------------------


def test_staff_right_password_signs_in_and_is_audited(db, now):
    user = make_user(db, email="Karin@Test.Example")
    db.commit()
    assert staff_auth.sign_in_staff(db, "  KARIN@test.example ", PASSWORD, now=now).user is user
    rec = db.scalars(select(AuditRecord)).one()
    assert (rec.action, rec.object_id) == ("sign_in", str(user.id))
    assert rec.actor.startswith(f"user:{user.id} ")


@pytest.mark.parametrize(
    ("email", "password", "active"),
    [
        ("known", "wrong password", True),
        ("known", "", True),
        ("nobody@test.example", PASSWORD, True),
        ("", PASSWORD, True),
        ("known", PASSWORD, False),  # inactive account, right password
    ],
)
def test_staff_refused_with_one_error(db, now, email, password, active):
    user = make_user(db, active=active)
    db.commit()
    with pytest.raises(services.InvalidCredentials):
        staff_auth.sign_in_staff(db, user.email if email == "known" else email, password, now=now)
    assert _actions(db) == ["sign_in_failed"]


LIMIT = staff_auth.StaffThrottle().account_limit


def test_staff_account_locks_after_ten_wrong_passwords(db, now):
    user = make_user(db)
    db.commit()
    for i in range(LIMIT):
        with pytest.raises(services.InvalidCredentials):
            staff_auth.sign_in_staff(db, user.email, f"wrong {i}", now=now)
    with pytest.raises(services.AccountLocked) as locked:
        staff_auth.sign_in_staff(db, user.email, PASSWORD, now=now + timedelta(minutes=1))
    assert locked.value.until == now + staff_auth.STAFF_LOCK
    later = now + staff_auth.STAFF_LOCK + timedelta(seconds=1)
    assert staff_auth.sign_in_staff(db, user.email, PASSWORD, now=later).user is user


def test_staff_success_resets_the_failure_count(db, now):
    user = make_user(db)
    db.commit()
    for _ in range(LIMIT - 1):
        with pytest.raises(services.InvalidCredentials):
            staff_auth.sign_in_staff(db, user.email, "wrong", now=now)
    staff_auth.sign_in_staff(db, user.email, PASSWORD, now=now)
    with pytest.raises(services.InvalidCredentials):
        staff_auth.sign_in_staff(db, user.email, "wrong", now=now)
    assert staff_auth.sign_in_staff(db, user.email, PASSWORD, now=now).user is user


# --- citizens ------------------------------------------------------------------------------


@pytest.fixture
def citizen(db):
    c = make_citizen(db, date_of_birth=date(1941, 3, 24))
    db.commit()
    return c


def _sign_in(db, keyring, code, dob, now, **kw):
    return _committed(db, citizen_auth.sign_in_citizen, keyring, code, dob, now=now, **kw)


def _committed(session, service, *args, **kw):
    """Call a sign-in service and commit, refused or not, as the view does (one request)."""
    try:
        return service(session, *args, **kw)
    finally:
        session.commit()


def test_citizen_signs_in_with_code_and_date_of_birth(db, keyring, now, citizen):
    found, relative = _sign_in(db, keyring, grouped(citizen.code).lower(), date(1941, 3, 24), now)
    assert (found, relative) == (citizen, None)
    rec = db.scalars(select(AuditRecord)).one()
    assert rec.action == "sign_in"
    assert rec.actor == f"citizen:{citizen.id}"
    assert rec.on_behalf_of == f"citizen:{citizen.id}"


def test_a_malformed_code_is_refused_before_any_lookup(db, keyring, now, citizen):
    typo = citizen.code[:-1] + ("2" if citizen.code[-1] != "2" else "3")
    with pytest.raises(MalformedCode):
        _sign_in(db, keyring, typo, citizen.date_of_birth, now)
    assert _actions(db) == []


def test_unknown_code_is_invalid_and_audited(db, keyring, now, citizen):
    from portal.citizens.letter_codes import generate

    with pytest.raises(services.InvalidCredentials):
        _sign_in(db, keyring, generate(), citizen.date_of_birth, now)
    assert _actions(db) == ["sign_in_failed"]


def test_five_wrong_dates_lock_the_code_for_fifteen_minutes(db, keyring, now, citizen):
    for _ in range(4):
        with pytest.raises(services.InvalidCredentials):
            _sign_in(db, keyring, citizen.code, WRONG_DOB, now)
    with pytest.raises(services.CodeLocked) as locked:
        _sign_in(db, keyring, citizen.code, WRONG_DOB, now)
    assert locked.value.until == now + timedelta(minutes=15)
    # Locked: even the right date of birth is refused, and the lock time does not move.
    with pytest.raises(services.CodeLocked) as again:
        _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now + timedelta(minutes=14))
    assert again.value.until == locked.value.until
    assert _actions(db) == ["sign_in_failed"] * 4 + ["code_locked"]
    # After the lock, the right date works again.
    found, _ = _sign_in(
        db, keyring, citizen.code, citizen.date_of_birth, now + timedelta(minutes=15, seconds=1)
    )
    assert found == citizen
    assert citizen.code_failures == 0 and citizen.code_locked_until is None


def _five_wrong(db, keyring, citizen, at):
    for _ in range(4):
        with pytest.raises(services.InvalidCredentials):
            _sign_in(db, keyring, citizen.code, WRONG_DOB, at)
    with pytest.raises(services.CodeLocked) as locked:
        _sign_in(db, keyring, citizen.code, WRONG_DOB, at)
    return locked.value.until


def test_each_lock_in_a_row_doubles_up_to_eight_hours(db, keyring, now, citizen):
    """A found letter gave 480 dates of birth a day at five per fifteen minutes: a birth year
    in under a day. Doubling pauses leave a few dozen on the first day, 15 a day after."""
    at, pauses = now, []
    for _ in range(7):
        until = _five_wrong(db, keyring, citizen, at)
        pauses.append(until - at)
        at = until + timedelta(seconds=1)
    minutes = [int(p.total_seconds() // 60) for p in pauses]
    assert minutes == [15, 30, 60, 120, 240, 480, 480]
    # Tried in one day by someone who waits out every pause:
    assert 5 * sum(1 for p in _cumulative(pauses) if p <= timedelta(days=1)) <= 40
    # The right date of birth after the pause starts the count again.
    assert _sign_in(db, keyring, citizen.code, citizen.date_of_birth, at)[0] == citizen
    assert _five_wrong(db, keyring, citizen, at) - at == timedelta(minutes=15)


def _cumulative(pauses):
    total = timedelta(0)
    for pause in pauses:
        total += pause
        yield total


def test_a_lock_is_forgotten_a_day_after_it_ended(db, keyring, now, citizen):
    first = _five_wrong(db, keyring, citizen, now)
    second = _five_wrong(db, keyring, citizen, first + timedelta(seconds=1))
    assert second - first > timedelta(minutes=30)  # the second lock in a row: 30 minutes
    later = second + timedelta(days=1, seconds=1)
    assert _five_wrong(db, keyring, citizen, later) - later == timedelta(minutes=15)


def test_the_longest_pause_comes_from_the_arguments(db, keyring, now, citizen):
    kw = {"max_failures": 1, "lock_minutes": 15, "max_lock_minutes": 15}
    for at in (now, now + timedelta(minutes=16), now + timedelta(minutes=32)):
        with pytest.raises(services.CodeLocked) as locked:
            _sign_in(db, keyring, citizen.code, WRONG_DOB, at, **kw)
        assert locked.value.until == at + timedelta(minutes=15)  # a fixed pause, as before


def test_success_resets_the_wrong_attempt_counter(db, keyring, now, citizen):
    for _ in range(4):
        with pytest.raises(services.InvalidCredentials):
            _sign_in(db, keyring, citizen.code, WRONG_DOB, now)
    _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now)
    for _ in range(4):
        with pytest.raises(services.InvalidCredentials):
            _sign_in(db, keyring, citizen.code, WRONG_DOB, now)
    assert _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now)[0] == citizen


def test_lock_limits_come_from_the_arguments(db, keyring, now, citizen):
    with pytest.raises(services.CodeLocked) as locked:
        _sign_in(db, keyring, citizen.code, WRONG_DOB, now, max_failures=1, lock_minutes=2)
    assert locked.value.until == now + timedelta(minutes=2)


def test_a_citizen_whose_care_ended_cannot_sign_in(db, keyring, now, citizen):
    lifecycle.care_ended(citizen)
    db.commit()
    with pytest.raises(services.InvalidCredentials):
        _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now)


def test_relative_declaration_creates_then_reuses_a_relative(db, keyring, now, citizen):
    declared = citizen_auth.RelativeDeclaration("Anna Jensen", "+4520304050", "child")
    _, first = _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now, relative=declared)
    assert (first.name, first.phone, first.relation) == ("Anna Jensen", "+4520304050", "child")
    again = citizen_auth.RelativeDeclaration(" anna jensen ", "+4520304050", "guardian")
    _, second = _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now, relative=again)
    assert second.id == first.id and second.relation == "guardian"
    assert db.scalar(select(func.count(Relative.id))) == 1
    other = citizen_auth.RelativeDeclaration("Bo Jensen", "+4520304051", "child")
    _, third = _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now, relative=other)
    assert third.id != first.id
    rec = db.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
    assert rec.actor == f"relative:{third.id} Bo Jensen"
    assert rec.on_behalf_of == f"citizen:{citizen.id}"
    principal = CitizenPrincipal(citizen, third)
    assert (
        principal.actor.describe() == rec.actor and principal.actor.on_behalf_of == rec.on_behalf_of
    )


def test_a_relative_with_a_wrong_date_creates_nothing(db, keyring, now, citizen):
    declared = citizen_auth.RelativeDeclaration("Anna Jensen", "+4520304050", "child")
    with pytest.raises(services.InvalidCredentials):
        _sign_in(db, keyring, citizen.code, WRONG_DOB, now, relative=declared)
    assert db.scalar(select(func.count(Relative.id))) == 0


# --- sign-out and roles --------------------------------------------------------------------


def test_sign_out_makes_the_old_session_id_resolve_to_nobody(db, now, citizen):
    user = make_user(db)
    db.commit()
    staff_id = user.get_id()
    assert load_principal(db, staff_id) is user
    services.sign_out(db, user, now=now)
    assert load_principal(db, staff_id) is None
    principal = CitizenPrincipal(citizen)
    citizen_id = principal.get_id()
    assert load_principal(db, citizen_id).citizen == citizen
    services.sign_out(db, principal, now=now)
    assert load_principal(db, citizen_id) is None


def test_a_relatives_sign_out_ends_only_the_relatives_sessions(db, now, citizen):
    rel = Relative(citizen_id=citizen.id, name="Anna", phone="+4520304050", relation="child")
    db.add(rel)
    db.commit()
    own, as_relative = CitizenPrincipal(citizen).get_id(), CitizenPrincipal(citizen, rel).get_id()
    services.sign_out(db, CitizenPrincipal(citizen, rel), now=now)
    assert load_principal(db, as_relative) is None
    assert load_principal(db, own) is not None


@pytest.mark.parametrize(
    "ident", ["", "u", "u:x:1", "c:1", "c:1:2:3:4", "z:1:1", "u:999999:1", "c:999999:0:1"]
)
def test_garbage_session_ids_resolve_to_nobody(db, ident):
    assert load_principal(db, ident) is None


def test_role_change_is_audited_and_ends_sessions(db, now):
    user = make_user(db, role="locksmith")
    db.commit()
    before = user.get_id()
    services.change_role(db, user, "coordinator", now=now, actor=SYSTEM)
    assert load_principal(db, before) is None
    rec = db.scalars(select(AuditRecord)).one()
    assert rec.action == "role_change" and rec.data == {"from": "locksmith", "to": "coordinator"}
    with pytest.raises(ValueError):
        services.change_role(db, user, "admin", now=now, actor=SYSTEM)


def test_a_relative_with_danish_letters_is_recognised_again(db, keyring, now, citizen):
    first = citizen_auth.RelativeDeclaration("Åse Ørsted", "+4520304050", "child")
    _, rel = _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now, relative=first)
    again = citizen_auth.RelativeDeclaration("ÅSE ØRSTED", "+4520304050", "child")
    _, same = _sign_in(db, keyring, citizen.code, citizen.date_of_birth, now, relative=again)
    assert same.id == rel.id
    assert db.scalar(select(func.count(Relative.id))) == 1


def test_parallel_wrong_attempts_are_all_counted(app, db, keyring, now, citizen):
    """Two requests that loaded the citizen before either failed: both failures count."""
    from sqlalchemy.orm import Session

    with Session(db.get_bind()) as other:
        stale = other.get(type(citizen), citizen.id)
        assert stale.code_failures == 0
        for _ in range(4):
            with pytest.raises(services.InvalidCredentials):
                _sign_in(db, keyring, citizen.code, WRONG_DOB, now)
        # The other request still holds code_failures == 0 in memory; its failure is the 5th.
        with pytest.raises(services.CodeLocked):
            _committed(
                other, citizen_auth.sign_in_citizen, keyring, citizen.code, WRONG_DOB, now=now
            )
    db.expire_all()
    assert citizen.code_locked_until == now + timedelta(minutes=15)


def test_parallel_wrong_passwords_are_all_counted(db, now):
    from sqlalchemy.orm import Session

    user = make_user(db)
    db.commit()
    email = user.email
    with Session(db.get_bind()) as other:
        for _ in range(LIMIT - 1):
            with pytest.raises(services.InvalidCredentials):
                _committed(db, staff_auth.sign_in_staff, email, "wrong", now=now)
        with pytest.raises(services.InvalidCredentials):
            _committed(other, staff_auth.sign_in_staff, email, "wrong", now=now)
    with pytest.raises(services.AccountLocked):
        staff_auth.sign_in_staff(db, email, PASSWORD, now=now)
