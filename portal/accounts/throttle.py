"""Failed staff sign-ins counted per account and per client address, in the database.

Both are keyed by a hash, so an email that has no account counts exactly like one that has
(the answer and the work done are the same, and nothing tells an attacker which emails
exist). A key with `limit` failures inside `window` is throttled for `lock`; the sign-in
service lets a throttled attempt through only with proof that a stranger cannot have (the
right password from a browser this account has signed in from before).
"""

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import SignInFailure


def account_key(email: str) -> str:
    """The throttle key of an email address (known or not)."""
    return "a:" + hashlib.sha256((email or "").strip().lower().encode()).hexdigest()


def address_key(address: str | None) -> str:
    """The throttle key of a client address."""
    return "c:" + hashlib.sha256((address or "?").encode()).hexdigest()


def throttled_until(session, keys: list[str], now: datetime) -> datetime | None:
    """The latest moment any of these keys is throttled until, if one is now."""
    until = session.scalar(
        select(func.max(SignInFailure.locked_until)).where(
            SignInFailure.key.in_(keys), SignInFailure.locked_until > now
        )
    )
    return until


def count(session, key: str, *, limit: int, window: timedelta, lock: timedelta, now: datetime):
    """Add one failure in the database itself (parallel failures all count); at `limit`
    inside `window`, throttle the key until now + lock. Returns that moment, or None."""
    table = SignInFailure
    fresh = table.first_at < now - window
    failures = session.execute(
        update(table)
        .where(table.key == key)
        .values(
            failures=case((fresh, 1), else_=table.failures + 1),
            first_at=case((fresh, now), else_=table.first_at),
        )
        .returning(table.failures)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if failures is None:
        try:
            with session.begin_nested():
                session.execute(insert(table).values(key=key, failures=1, first_at=now))
            failures = 1
        except IntegrityError:  # a parallel request made the row first: count on it
            return count(session, key, limit=limit, window=window, lock=lock, now=now)
    if failures < limit:
        return None
    session.execute(
        update(table)
        .where(table.key == key)
        .values(failures=0, first_at=now, locked_until=now + lock)
        .execution_options(synchronize_session=False)
    )
    return now + lock


def clear(session, key: str) -> None:
    """Forget the failures of a key (after a successful sign-in)."""
    session.execute(delete(SignInFailure).where(SignInFailure.key == key))


def forget_old(session, now: datetime, keep: timedelta) -> None:
    """Delete counts that no longer matter, so guessed emails do not pile up."""
    session.execute(
        delete(SignInFailure).where(
            SignInFailure.first_at < now - keep,
            (SignInFailure.locked_until.is_(None)) | (SignInFailure.locked_until < now),
        )
    )
