"""The second factor's services without HTTP: how many recovery codes are left, new recovery
codes (a code from the app first; the old codes stop working; audited), and moving the app
with a recent recovery-code sign-in as the proof."""

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts import mfa
from portal.audit.models import AuditRecord
from tests.factories import make_user


def _enrolled(db, keyring, clock):
    user = make_user(db, "coordinator")
    secret = mfa.new_secret()
    codes = mfa.enrol(db, keyring, user, secret, pyotp.TOTP(secret).at(clock()), now=clock())
    db.flush()
    return user, secret, codes


def _actions(db) -> list[str]:
    return db.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)).all()


def test_codes_left_count_down_and_few_means_time_for_new_ones(db, keyring, clock):
    user, _secret, codes = _enrolled(db, keyring, clock)
    state = mfa.state_of(db, user.id)
    assert state.set_up_at == clock() and state.codes_left == 10 and not state.few_codes
    for used, code in enumerate(codes[:7], start=1):
        assert mfa.verify(db, keyring, user, code, now=clock()) == "recovery"
        assert mfa.recovery_codes_left(db, user.id) == 10 - used
    assert not mfa.state_of(db, user.id).few_codes  # 3 left
    mfa.verify(db, keyring, user, codes[7], now=clock())
    assert mfa.state_of(db, user.id).few_codes  # 2 left
    for code in codes[8:]:
        mfa.verify(db, keyring, user, code, now=clock())
    assert mfa.state_of(db, user.id).codes_left == 0


def test_without_an_app_there_is_nothing_set_up_and_no_codes(db, keyring, clock):
    user = make_user(db, "locksmith")
    state = mfa.state_of(db, user.id)
    assert state.set_up_at is None and state.codes_left == 0
    with pytest.raises(mfa.NoFactor):
        mfa.renew_recovery_codes(db, keyring, user, "123456", now=clock())


def test_new_recovery_codes_need_a_code_and_void_the_old_ones(db, keyring, clock):
    user, secret, old = _enrolled(db, keyring, clock)
    mfa.verify(db, keyring, user, old[0], now=clock())
    with pytest.raises(mfa.WrongCode):
        mfa.renew_recovery_codes(db, keyring, user, "000000", now=clock())
    assert "mfa_failed" in _actions(db) and mfa.recovery_codes_left(db, user.id) == 9
    clock.advance(timedelta(seconds=30))
    new = mfa.renew_recovery_codes(db, keyring, user, pyotp.TOTP(secret).at(clock()), now=clock())
    assert len(set(new)) == 10 and not set(new) & set(old)
    assert mfa.recovery_codes_left(db, user.id) == 10
    assert _actions(db)[-2:] == ["mfa_passed", "recovery_codes_renewed"]
    record = db.scalar(select(AuditRecord).where(AuditRecord.action == "recovery_codes_renewed"))
    assert record.object_id == str(user.id) and str(user.id) in record.actor
    assert not any(code in str(record.data) for code in new)
    with pytest.raises(mfa.WrongCode):
        mfa.verify(db, keyring, user, old[1], now=clock())  # an old code no longer works
    assert mfa.verify(db, keyring, user, new[0].lower(), now=clock()) == "recovery"


def test_a_recovery_code_also_proves_it_is_them_for_new_codes(db, keyring, clock):
    user, _secret, old = _enrolled(db, keyring, clock)
    new = mfa.renew_recovery_codes(db, keyring, user, old[4], now=clock())
    assert len(new) == 10 and mfa.recovery_codes_left(db, user.id) == 10


def test_too_many_wrong_codes_stop_new_codes_too(db, keyring, clock):
    user, secret, _old = _enrolled(db, keyring, clock)
    for _ in range(mfa.MAX_WRONG - 1):
        with pytest.raises(mfa.WrongCode):
            mfa.renew_recovery_codes(db, keyring, user, "000000", now=clock())
    with pytest.raises(mfa.TooManyWrongCodes):
        mfa.renew_recovery_codes(db, keyring, user, "000000", now=clock())
    clock.advance(timedelta(seconds=30))
    with pytest.raises(mfa.TooManyWrongCodes):
        mfa.renew_recovery_codes(db, keyring, user, pyotp.TOTP(secret).at(clock()), now=clock())


def test_a_recent_recovery_sign_in_is_the_proof_for_a_new_app(db, keyring, clock):
    user, old_secret, codes = _enrolled(db, keyring, clock)
    for code in codes:  # the last code went on the sign-in
        mfa.verify(db, keyring, user, code, now=clock())
    signed_in = clock()
    clock.advance(mfa.RECOVERY_PROOF)
    new_secret = mfa.new_secret()
    version = user.session_version
    new_codes = mfa.replace(
        db,
        keyring,
        user,
        None,
        new_secret,
        pyotp.TOTP(new_secret).at(clock()),
        now=clock(),
        recovered_at=signed_in,
    )
    assert len(new_codes) == 10 and mfa.recovery_codes_left(db, user.id) == 10
    assert user.session_version == version + 1  # every other session ends
    assert mfa.state_of(db, user.id).set_up_at == clock()
    clock.advance(timedelta(seconds=30))
    with pytest.raises(mfa.WrongCode):
        mfa.verify(db, keyring, user, pyotp.TOTP(old_secret).at(clock()), now=clock())
    assert mfa.verify(db, keyring, user, pyotp.TOTP(new_secret).at(clock()), now=clock()) == "totp"


@pytest.mark.parametrize(
    "signed_in_ago",
    [mfa.RECOVERY_PROOF + timedelta(seconds=1), -timedelta(minutes=1), None],
)
def test_an_old_or_missing_recovery_sign_in_proves_nothing(db, keyring, clock, signed_in_ago):
    user, old_secret, _codes = _enrolled(db, keyring, clock)
    clock.advance(timedelta(minutes=30))
    new_secret = mfa.new_secret()
    new_code = pyotp.TOTP(new_secret).at(clock())
    at = None if signed_in_ago is None else clock() - signed_in_ago
    with pytest.raises(mfa.WrongCode):
        mfa.replace(db, keyring, user, None, new_secret, new_code, now=clock(), recovered_at=at)
    assert mfa.factor_of(db, user.id) is not None
    assert "mfa_failed" in _actions(db)
    with pytest.raises(mfa.WrongCode):  # the old app was never replaced
        mfa.verify(db, keyring, user, pyotp.TOTP(new_secret).at(clock()), now=clock())
