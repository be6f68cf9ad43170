"""Sign-in rules: staff passwords, citizen letter codes with lockout, sign-out, roles.

They flush and never commit. A refused attempt raises after counting the failure and writing
its audit record, so the caller commits on those errors too, or the count would be lost.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.accounts import mfa
from portal.accounts import throttle as throttles
from portal.accounts.models import ROLES, User
from portal.accounts.passwords import check_password, hash_password
from portal.audit.services import SYSTEM, Actor, record
from portal.citizens import letter_codes
from portal.citizens.letter_codes import CODE_PURPOSE
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen, Relative

STAFF_LOCK = timedelta(minutes=15)


class InvalidCredentials(Exception):
    """The sign-in details do not match (never says which part)."""


class CodeLocked(Exception):
    """Too many wrong attempts for this code; it opens again at `until`."""

    def __init__(self, until: datetime):
        super().__init__(until.isoformat())
        self.until = until


class AccountLocked(CodeLocked):
    """Too many wrong attempts for this email or from this address (known or not)."""


@dataclass
class RelativeDeclaration:
    """What a relative declares about themself when signing in with the citizen's code."""

    name: str
    phone: str
    relation: str


def user_actor(user: User) -> Actor:
    """The audit actor for a staff or owner account."""
    return Actor("user", user.id, f"{user.name} ({user.role})")


def citizen_actor(citizen: Citizen, relative: Relative | None = None) -> Actor:
    """The audit actor for a citizen, or a relative acting on the citizen's behalf."""
    if relative is not None:
        return Actor("relative", relative.id, relative.name, on_behalf_of=f"citizen:{citizen.id}")
    return Actor("citizen", citizen.id, "", on_behalf_of=f"citizen:{citizen.id}")


def create_user(session, email, name, password, role, *, now, provider_id=None, **extra) -> User:
    """Create a staff or owner account (caller commits)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    user = User(
        email=email.strip().lower(),
        name=name,
        password_hash=hash_password(password),
        role=role,
        provider_id=provider_id,
        created_at=now,
        **extra,
    )
    session.add(user)
    session.flush()
    return user


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


def count_failure(session, obj, counter: str, lock_field: str, limit: int, until: datetime) -> bool:
    """Add one failed attempt in the database itself, so parallel attempts cannot overwrite
    each other's count (a Python `+= 1` lets 20 simultaneous guesses count as one); at the
    limit, lock until `until` and start counting again. True when this attempt locked it."""
    model = type(obj)
    column = getattr(model, counter)
    failures = session.execute(
        update(model)
        .where(model.id == obj.id)
        .values({counter: column + 1})
        .returning(column)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    locked = failures >= limit
    if locked:
        session.execute(
            update(model)
            .where(model.id == obj.id)
            .values({counter: 0, lock_field: until})
            .execution_options(synchronize_session=False)
        )
        failures = 0
        set_committed_value(obj, lock_field, until)
    set_committed_value(obj, counter, failures)
    return locked


def _reset_failures(session, obj, counter: str, lock_field: str) -> None:
    # In SQL, not on the object: its loaded count may be stale, and an unchanged attribute
    # is never written back.
    model = type(obj)
    session.execute(
        update(model)
        .where(model.id == obj.id)
        .values({counter: 0, lock_field: None})
        .execution_options(synchronize_session=False)
    )
    set_committed_value(obj, counter, 0)
    set_committed_value(obj, lock_field, None)


def find_by_code(session, keyring, code: str) -> Citizen | None:
    """Look a citizen up by a normalised letter code through its blind index."""
    index = keyring.blind_index(code, CODE_PURPOSE)
    return session.execute(
        select(Citizen).where(Citizen.letter_code_index == index)
    ).scalar_one_or_none()


def _declared(relative: RelativeDeclaration | None, citizen: Citizen | None = None) -> Actor:
    """Who tried a letter code: the portal for a citizen's own attempt (nobody is known yet);
    for a relative, the name they declared (no id: nobody is signed in) on behalf of the
    code's citizen. Never the date of birth that was typed."""
    if relative is None:
        return SYSTEM
    behalf = f"citizen:{citizen.id}" if citizen is not None else None
    return Actor("relative", None, relative.name.strip()[:200], on_behalf_of=behalf)


def sign_in_citizen(
    session,
    keyring,
    code_text: str,
    date_of_birth: date,
    *,
    now: datetime,
    relative: RelativeDeclaration | None = None,
    max_failures: int = 5,
    lock_minutes: int = 15,
) -> tuple[Citizen, Relative | None]:
    """Letter code plus date of birth; raises MalformedCode, CodeLocked or InvalidCredentials."""
    code = letter_codes.normalise(code_text)
    citizen = find_by_code(session, keyring, code)
    if citizen is None:
        record(
            session,
            _declared(relative),
            "sign_in_failed" if relative is None else "relative_sign_in_failed",
            now=now,
            data={"kind": "code", "known": False},
        )
        raise InvalidCredentials()
    if citizen.code_locked_until and citizen.code_locked_until > now:
        raise CodeLocked(citizen.code_locked_until)
    if citizen.date_of_birth != date_of_birth or citizen.status == CitizenStatus.CARE_ENDED:
        locked = count_failure(
            session,
            citizen,
            "code_failures",
            "code_locked_until",
            max_failures,
            now + timedelta(minutes=lock_minutes),
        )
        record(
            session,
            _declared(relative, citizen),
            "code_locked"
            if locked
            else ("sign_in_failed" if relative is None else "relative_sign_in_failed"),
            now=now,
            object_type="citizen",
            object_id=citizen.id,
            data={"kind": "code"},
        )
        if locked:
            raise CodeLocked(citizen.code_locked_until)
        raise InvalidCredentials()
    _reset_failures(session, citizen, "code_failures", "code_locked_until")
    rel = None
    if relative is not None:
        rel = session.execute(
            select(Relative).where(
                Relative.citizen_id == citizen.id,
                func.lower(Relative.name) == relative.name.strip().lower(),
                Relative.phone == relative.phone,
            )
        ).scalar_one_or_none()
        if rel is None:
            rel = Relative(
                citizen_id=citizen.id,
                name=relative.name.strip(),
                phone=relative.phone,
                relation=relative.relation,
                created_at=now,
            )
            session.add(rel)
            session.flush()
        rel.relation = relative.relation
    record(
        session,
        citizen_actor(citizen, rel),
        "sign_in",
        now=now,
        object_type="citizen",
        object_id=citizen.id,
    )
    return citizen, rel


def sign_out(session, principal, *, now: datetime) -> None:
    """End every session of this principal on the server by bumping its session version."""
    target = principal.relative or principal.citizen if principal.kind == "citizen" else principal
    target.session_version += 1
    record(session, principal.actor, "sign_out", now=now)


def change_role(session, user: User, role: str, *, now: datetime, actor: Actor) -> User:
    """Give an account another role; its sessions end so the new rights apply at once."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    old = user.role
    user.role = role
    user.session_version += 1
    record(
        session,
        actor,
        "role_change",
        now=now,
        object_type="user",
        object_id=user.id,
        data={"from": old, "to": role},
    )
    return user
