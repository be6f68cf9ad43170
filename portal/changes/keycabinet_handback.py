"""Handing a key back for good, and correcting a hand-back made by mistake.

The hand-back is final for the provider: the key leaves the cabinet and the register, so it is
its own confirmed step (not a button beside the everyday handout), and it records who received
the key (the citizen, a relative, the estate's representative: RECIPIENTS, with their name)
and on which day, never the staff member who had it out. A hand-back registered by mistake
(wrong key, wrong button) is corrected by a coordinator, who is not the provider that made it,
with a reason: the key returns to where it was before (in the cabinet, or with the staff
member who had it out), and the log and the audit trail keep both steps. A correction is
refused when another key of that kind has been registered for the citizen since.

Services flush, never commit.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.changes.keycabinet import (
    KeyAlreadyHeld,
    KeyCabinetError,
    KeyStateError,
    PersonMissing,
    _clean,
    _event,
    claim,
)
from portal.changes.keycabinet_models import RECIPIENTS, CabinetKey, CabinetKeyEvent
from portal.changes.keycabinet_queries import events
from portal.citizens.validation import has_letter
from portal.directory.queries import local_date

HAND_BACK = "return_to_citizen"
CORRECTED = "return_corrected"


class RecipientUnknown(KeyCabinetError):
    """The recipient is not one of RECIPIENTS."""


class ReceivedDateWrong(KeyCabinetError):
    """The day of the hand-back is in the future or before the key was registered."""


class ReasonMissing(KeyCabinetError):
    """A correction says why."""


def may_correct(user) -> bool:
    """Coordinators correct a mistaken hand-back (the provider that made it does not)."""
    return getattr(user, "role", None) == "coordinator"


def _return(session, key, *, person, now, actor, note=None, recipient=None, received_on=None):
    if key.status not in ("in_cabinet", "handed_out"):
        raise KeyStateError(HAND_BACK)
    was_with = key.holder
    claim(session, key, HAND_BACK, ("in_cabinet", "handed_out"), status="returned", holder=None)
    _event(
        session,
        key,
        HAND_BACK,
        person,
        now=now,
        actor=actor,
        note=note,
        recipient=recipient,
        received_on=received_on,
        audit={"was_with": was_with},
    )
    return key


def hand_back(
    session,
    key: CabinetKey,
    *,
    recipient: str,
    person: str,
    received_on: date,
    now,
    actor,
    tz: str,
    note=None,
):
    """Hand the key back for good to `person`, who is the citizen, a relative or the estate's
    representative (`recipient`), on `received_on` (not in the future, not before the key was
    registered)."""
    if recipient not in RECIPIENTS:
        raise RecipientUnknown()
    person = _clean(person, 200)
    if not has_letter(person):  # "..." or "--" names nobody (the forms' PersonName rule)
        raise PersonMissing()
    if received_on is None or not (
        local_date(key.created_at, tz) <= received_on <= local_date(now, tz)
    ):
        raise ReceivedDateWrong()
    return _return(
        session,
        key,
        person=person,
        now=now,
        actor=actor,
        note=note,
        recipient=recipient,
        received_on=received_on,
    )


def on_removal_done(session, *, job, signed_by, now, actor, **_extra) -> None:
    """Receiver of removal_done: every key held for the citizen is handed back to whoever
    signed for them on the removal job."""
    for key in session.scalars(
        select(CabinetKey).where(
            CabinetKey.citizen_id == job.citizen_id, CabinetKey.status != "returned"
        )
    ):
        _return(
            session,
            key,
            person=signed_by or "-",
            now=now,
            actor=actor,
            note=f"removal job {job.id}",
        )


def hand_back_of(session, key: CabinetKey) -> CabinetKeyEvent | None:
    """The hand-back that took the key out of the register (None while it is held)."""
    if key.status != "returned":
        return None
    return next((e for e in events(session, key.id) if e.action == HAND_BACK), None)


def correct(session, key: CabinetKey, *, reason: str, now, actor):
    """Undo a mistaken hand-back: the key is where it was before it (in the cabinet, or with
    whoever had it out), logged and audited with the reason."""
    if key.status != "returned":
        raise KeyStateError(CORRECTED)
    reason = _clean(reason, 500)
    if not reason:
        raise ReasonMissing()
    log = events(session, key.id)  # newest first: the hand-back, then what came before it
    before = next((e for e in log[1:] if e.action not in (HAND_BACK, CORRECTED)), None)
    out = before is not None and before.action == "hand_out"
    try:
        with session.begin_nested():
            status, holder = ("handed_out", before.person) if out else ("in_cabinet", None)
            claim(session, key, CORRECTED, ("returned",), status=status, holder=holder)
    except IntegrityError:
        session.refresh(key)
        raise KeyAlreadyHeld() from None
    _event(session, key, CORRECTED, None, now=now, actor=actor, note=reason)
    return key
