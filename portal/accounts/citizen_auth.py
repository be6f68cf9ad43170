"""Citizen sign-in: the letter code and the date of birth, with a lockout per code, for the
citizen or for a relative who declares who they are.

It flushes and never commits. A refused attempt raises after counting the failure and writing
its audit record, so the caller commits on those errors too, or the count would be lost.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.accounts.services import CodeLocked, InvalidCredentials, citizen_actor
from portal.audit.services import SYSTEM, Actor, record
from portal.citizens import letter_codes
from portal.citizens.letter_codes import CODE_PURPOSE
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen, Relative


@dataclass
class RelativeDeclaration:
    """What a relative declares about themself when signing in with the citizen's code."""

    name: str
    phone: str
    relation: str


FORGET_AFTER = timedelta(days=1)  # a lock that ended this long ago no longer counts


def count_failure(
    session,
    obj,
    counter: str,
    lock_field: str,
    limit: int,
    *,
    now: datetime,
    lock: timedelta,
    max_lock: timedelta,
) -> bool:
    """Add one failed attempt in the database itself, so parallel attempts cannot overwrite
    each other's count (a Python `+= 1` lets 20 simultaneous guesses count as one). Every
    `limit`-th attempt in a row locks until now + `lock`, doubled for each lock before it in
    the row, at most `max_lock`: a fixed pause let anyone holding a lost letter try 480 dates
    of birth a day, and a birth year has 365. The count starts again after a right answer, or
    once a day has passed since the last lock ended. True when this attempt locked it."""
    model = type(obj)
    column, locked_until = getattr(model, counter), getattr(model, lock_field)
    forgotten = and_(locked_until.is_not(None), locked_until < now - FORGET_AFTER)
    failures = session.execute(
        update(model)
        .where(model.id == obj.id)
        .values(
            {
                counter: case((forgotten, 1), else_=column + 1),
                lock_field: case((forgotten, None), else_=locked_until),
            }
        )
        .returning(column, locked_until)
        .execution_options(synchronize_session=False)
    ).one()
    failures, until = failures[0], failures[1]
    locked = failures % limit == 0
    if locked:
        until = now + min(lock * 2 ** (failures // limit - 1), max(lock, max_lock))
        session.execute(
            update(model)
            .where(model.id == obj.id)
            .values({lock_field: until})
            .execution_options(synchronize_session=False)
        )
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
    max_lock_minutes: int = 8 * 60,
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
            now=now,
            lock=timedelta(minutes=lock_minutes),
            max_lock=timedelta(minutes=max_lock_minutes),
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


def lift_code_pause(session, citizen: Citizen, *, now: datetime, actor: Actor) -> bool:
    """A coordinator lifts a pause on the citizen's letter code (after speaking with the
    citizen or a relative): the wrong dates of birth in a row are forgotten too, so the next
    pause starts short again. Audited; False (nothing written) when no pause is running."""
    if citizen.code_locked_until is None or citizen.code_locked_until <= now:
        return False
    until = citizen.code_locked_until
    _reset_failures(session, citizen, "code_failures", "code_locked_until")
    record(
        session,
        actor,
        "citizen.code_pause_lifted",
        now=now,
        object_type="citizen",
        object_id=citizen.id,
        data={"was_paused_until": until.isoformat()},
    )
    return True
