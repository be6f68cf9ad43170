"""Staff sign-in: email and password, throttled by account and by client address, with the
authenticator app's code as a way past a throttle.

It flushes and never commits. A refused attempt raises after counting the failure and writing
its audit record, so the caller commits on those errors too, or the count would be lost.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.accounts import mfa
from portal.accounts import throttle as throttles
from portal.accounts.models import User
from portal.accounts.passwords import check_password
from portal.accounts.services import AccountLocked, InvalidCredentials, user_actor
from portal.audit.services import SYSTEM, record

STAFF_LOCK = timedelta(minutes=15)


@dataclass(frozen=True)
class StaffThrottle:
    """How failed staff sign-ins are throttled (from the STAFF_* settings)."""

    account_limit: int = 10
    address_limit: int = 30
    window: timedelta = STAFF_LOCK
    lock: timedelta = STAFF_LOCK


@dataclass(frozen=True)
class StaffSignIn:
    """Who signed in, and the second factor already checked on the way ("totp": the app's
    code typed on a throttled sign-in; None: the second step, if any, is still to come)."""

    user: User
    second_factor: str | None = None


def sign_in_staff(
    session,
    email: str,
    password: str,
    *,
    now: datetime,
    address: str | None = None,
    known_ids: frozenset[int] = frozenset(),
    throttle: StaffThrottle | None = None,
    code: str | None = None,
    keyring=None,
) -> StaffSignIn:
    """Check email and password, throttling by account and by client address.

    Known and unknown emails take the same path (the password is always checked, failures
    are always counted), so neither the answer nor the work tells which emails exist.

    A throttled account or address answers every attempt alike, right password or wrong, so
    the lock never tells an attacker when a guess is right, and counts every attempt against
    the account and the address (the same work whatever was typed; and an attacker who has
    locked only their own address still locks the account they guess at). Two things still
    get in, so a stranger cannot lock anyone out: the right password from a browser this
    account signed in from before (`known_ids`), and the right password together with a
    right six-digit `code` from the account's authenticator app (checked, counted against
    the app's own limit and used up here; `keyring` decrypts it). Recovery codes are not
    taken here: each is checked with argon2, and ten such checks made only for the right
    password would give it away by the time they take. Without a throttle the code is not
    looked at: the second step asks for it.
    """
    rules = throttle or StaffThrottle()
    email = (email or "").strip().lower()
    user = session.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none()
    keys = [throttles.account_key(email), throttles.address_key(address)]
    until = throttles.throttled_until(session, keys, now)
    ok = check_password(user.password_hash if user else None, password or "")
    ok = ok and user is not None and user.active
    object_id = user.id if user else None
    second_factor = None
    if until is not None:
        known = ok and user.id in known_ids
        if ok and not known and code and keyring is not None:
            second_factor = _second_factor_passes(session, keyring, user, code, now)
        if not (known or second_factor):
            later = _count_failure(session, keys, rules, now)
            record(
                session, SYSTEM, "sign_in_locked", now=now, object_type="user", object_id=object_id
            )
            raise AccountLocked(max(until, later or until))
    if not ok:
        _count_failure(session, keys, rules, now)
        record(
            session,
            SYSTEM,
            "sign_in_failed",
            now=now,
            object_type="user",
            object_id=object_id,
            data={"kind": "staff"},
        )
        raise InvalidCredentials()
    throttles.clear(session, keys[0])
    record(session, user_actor(user), "sign_in", now=now, object_type="user", object_id=user.id)
    return StaffSignIn(user, second_factor)


def _count_failure(session, keys, rules: StaffThrottle, now: datetime) -> datetime | None:
    """One failed attempt against the account and the address; the latest lock it set."""
    locks = [
        throttles.count(session, key, limit=limit, window=rules.window, lock=rules.lock, now=now)
        for key, limit in zip(keys, (rules.account_limit, rules.address_limit), strict=True)
    ]
    throttles.forget_old(session, now, rules.window + rules.lock)
    return max((lock for lock in locks if lock is not None), default=None)


def _second_factor_passes(session, keyring, user: User, code: str, now: datetime) -> str | None:
    """ "totp" when `code` is the six digits of the user's authenticator app, else None (a
    wrong code is counted against the app's own throttle as on the second step)."""
    if not mfa.looks_like_totp(code) or mfa.factor_of(session, user.id) is None:
        return None
    try:
        return mfa.verify(session, keyring, user, code, now=now)
    except (mfa.WrongCode, mfa.TooManyWrongCodes):
        return None
