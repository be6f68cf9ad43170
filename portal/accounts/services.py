"""Accounts: the sign-in errors both sign-ins raise, audit actors, creating accounts, roles and
signing out (staff_auth.py and citizen_auth.py hold the two sign-ins).

They flush and never commit.
"""

from datetime import datetime, timedelta

from portal.accounts import throttle as throttles
from portal.accounts.models import ROLES, User
from portal.accounts.passwords import check_password, hash_password
from portal.audit.services import Actor, record
from portal.citizens.models import Citizen, Relative


class InvalidCredentials(Exception):
    """The sign-in details do not match (never says which part)."""


class CodeLocked(Exception):
    """Too many wrong attempts for this code; it opens again at `until`."""

    def __init__(self, until: datetime):
        super().__init__(until.isoformat())
        self.until = until


class AccountLocked(CodeLocked):
    """Too many wrong attempts for this email or from this address (known or not)."""


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


def change_password(
    session,
    user: User,
    current: str,
    new: str,
    *,
    now: datetime,
    limit: int = 10,
    lock: timedelta = timedelta(minutes=15),
) -> None:
    """Give a staff or owner account the password `new` once `current` proves it is theirs.

    A password someone else chose (the coordinator who made a partner admin's account, whoever
    ran `flask users create`) stops working, and every session of the account ends: the caller
    starts the current one afresh. Wrong current passwords count against the same per-account
    throttle as sign-ins, so a left-open session is no way to guess the password; raises
    InvalidCredentials or AccountLocked (after counting: the caller commits on those too).
    """
    key = throttles.account_key(user.email)
    until = throttles.throttled_until(session, [key], now)
    if until is not None:
        raise AccountLocked(until)
    if not check_password(user.password_hash, current or ""):
        locked = throttles.count(session, key, limit=limit, window=lock, lock=lock, now=now)
        record(
            session,
            user_actor(user),
            "password_change_failed",
            now=now,
            object_type="user",
            object_id=user.id,
        )
        if locked is not None:
            raise AccountLocked(locked)
        raise InvalidCredentials()
    user.password_hash = hash_password(new)
    user.session_version += 1
    record(
        session,
        user_actor(user),
        "password_changed",
        now=now,
        object_type="user",
        object_id=user.id,
    )
