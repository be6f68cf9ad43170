"""The citizen lifecycle: the one place that writes `Citizen.status`.

A citizen is always in exactly one of these states (the database refuses any other value with
the CHECK constraint `ck_citizen_status`):

registered          imported from the care system; nothing has happened yet
letter_sent         the information letter with the sign-in code has been posted
booked              a fitting is booked
fitted              the lock is fitted at the citizen's door
follow_up           a fitting failed; the coordinator calls the citizen to book again
opted_out           the citizen said no to keyless care
switching_provider  a fitted citizen's change of home-care provider is under way
moving              the citizen is moving; the lock goes (or follows them) to the new home
door_restored       the lock has been removed and the door is as it was
care_ended          home care has ended: no sign-in, no door rights, no letters, no booking

Everything that changes the status is an event, one function each. An event either moves the
citizen to its target state, keeps the state they are in (a "stay": the event is allowed and
changes nothing), or raises `IllegalTransition(citizen_id, from, to)`, a domain error that the
caller turns into its own message. The table `RULES` below is the whole specification:

event               moves to            from                                  stays in
letter_sent         letter_sent         registered                            every other state
booked              booked              registered, letter_sent, follow_up    -
booking_cancelled   back_to (1)         booked                                every state after
                                                                              booking (2)
fitted              fitted              registered, letter_sent, booked,      fitted (3)
                                        follow_up, moving
fitting_failed      follow_up           registered, letter_sent, booked       follow_up
opted_out           opted_out           registered, letter_sent, booked,      opted_out
                                        follow_up, fitted
switching_provider  switching_provider  fitted                                switching_provider
provider_switched   fitted              switching_provider                    -
moving              moving              registered, letter_sent, booked,      moving
                                        fitted, follow_up, switching_provider
moved               registered (4)      moving                                -
door_restored       door_restored       fitted, opted_out, moving             door_restored,
                                                                              care_ended (5)
care_ended          care_ended          every other state                     care_ended
rejoined            registered          opted_out, door_restored, care_ended  -

(1) back to where the booking came from: registered, letter_sent or follow_up (the booking
    keeps it; `booked()` returns it). (2) fitted, switching_provider, opted_out, moving,
    door_restored, care_ended: the citizen got further (or left the roll-out) while a booking
    was open, so the booking is cleared afterwards and the status stays; only registered,
    letter_sent and follow_up, where no booking can be open, refuse it. (3) A second fitting
    (a replacement lock) keeps a fitted citizen fitted. (4) At the new address the citizen
    starts over; a lock that follows them is `fitted` straight from moving instead. (5) Ended
    care is the stronger fact: restoring the door of a citizen whose care ended keeps them
    care_ended.

Idempotence is decided per event, as listed: a letter is a fact about the post, so a second
letter, or a letter to a citizen who has got further, is allowed and never moves anyone back
(a letter to a fitted citizen leaves them fitted). A request that is already in force
(opted_out, switching_provider, moving, door_restored, care_ended) is allowed again and changes
nothing. A second booking is not: `booked` on a booked citizen raises.

Each function takes the citizen (anything with `id` and `status`), sets the new status, returns
the status the citizen came from, and never flushes or commits: the caller's unit of work does.
A new citizen enters with `registered(citizen)`.
"""

from enum import StrEnum
from typing import NamedTuple

from flask_babel import lazy_gettext as _l


class CitizenStatus(StrEnum):
    """Where a citizen is in the lifecycle (values are stored in citizen.status)."""

    REGISTERED = "registered"
    LETTER_SENT = "letter_sent"
    BOOKED = "booked"
    FITTED = "fitted"
    FOLLOW_UP = "follow_up"
    OPTED_OUT = "opted_out"
    SWITCHING_PROVIDER = "switching_provider"
    MOVING = "moving"
    DOOR_RESTORED = "door_restored"
    CARE_ENDED = "care_ended"


S = CitizenStatus
ALL = frozenset(S)

LABELS = {
    S.REGISTERED: _l("Registered"),
    S.LETTER_SENT: _l("Letter sent"),
    S.BOOKED: _l("Booked"),
    S.FITTED: _l("Fitted"),
    S.FOLLOW_UP: _l("Needs follow-up"),
    S.OPTED_OUT: _l("Opted out"),
    S.SWITCHING_PROVIDER: _l("Switching provider"),
    S.MOVING: _l("Moving"),
    S.DOOR_RESTORED: _l("Door restored"),
    S.CARE_ENDED: _l("Care ended"),
}


class Rule(NamedTuple):
    """One event: its target state, the states it moves from, the states it leaves alone."""

    target: CitizenStatus
    moves: frozenset[CitizenStatus]
    stays: frozenset[CitizenStatus] = frozenset()


def _states(*states: CitizenStatus) -> frozenset[CitizenStatus]:
    return frozenset(states)


RULES: dict[str, Rule] = {
    "letter_sent": Rule(S.LETTER_SENT, _states(S.REGISTERED), ALL - {S.REGISTERED}),
    "booked": Rule(S.BOOKED, _states(S.REGISTERED, S.LETTER_SENT, S.FOLLOW_UP)),
    "booking_cancelled": Rule(
        S.REGISTERED,  # the nominal target; the real one is the booking's back_to
        _states(S.BOOKED),
        ALL - {S.BOOKED, S.REGISTERED, S.LETTER_SENT, S.FOLLOW_UP},
    ),
    "fitted": Rule(
        S.FITTED,
        _states(S.REGISTERED, S.LETTER_SENT, S.BOOKED, S.FOLLOW_UP, S.MOVING),
        _states(S.FITTED),
    ),
    "fitting_failed": Rule(
        S.FOLLOW_UP, _states(S.REGISTERED, S.LETTER_SENT, S.BOOKED), _states(S.FOLLOW_UP)
    ),
    "opted_out": Rule(
        S.OPTED_OUT,
        _states(S.REGISTERED, S.LETTER_SENT, S.BOOKED, S.FOLLOW_UP, S.FITTED),
        _states(S.OPTED_OUT),
    ),
    "switching_provider": Rule(
        S.SWITCHING_PROVIDER, _states(S.FITTED), _states(S.SWITCHING_PROVIDER)
    ),
    "provider_switched": Rule(S.FITTED, _states(S.SWITCHING_PROVIDER)),
    "moving": Rule(
        S.MOVING,
        _states(S.REGISTERED, S.LETTER_SENT, S.BOOKED, S.FITTED, S.FOLLOW_UP, S.SWITCHING_PROVIDER),
        _states(S.MOVING),
    ),
    "moved": Rule(S.REGISTERED, _states(S.MOVING)),
    "door_restored": Rule(
        S.DOOR_RESTORED,
        _states(S.FITTED, S.OPTED_OUT, S.MOVING),
        _states(S.DOOR_RESTORED, S.CARE_ENDED),
    ),
    "care_ended": Rule(S.CARE_ENDED, ALL - {S.CARE_ENDED}, _states(S.CARE_ENDED)),
    "rejoined": Rule(S.REGISTERED, _states(S.OPTED_OUT, S.DOOR_RESTORED, S.CARE_ENDED)),
}


def _in_order(states) -> tuple[CitizenStatus, ...]:
    return tuple(s for s in CitizenStatus if s in states)


# Named groups, as tuples in the enum's order so they bind straight into SQL `IN (...)`.
# The states a booking may come from, and so the states a cancelled booking goes back to.
BOOKABLE = _in_order(RULES["booked"].moves)
# Offered to book on their own page; follow-up citizens are called by the coordinator instead.
SELF_BOOKABLE = (S.REGISTERED, S.LETTER_SENT)
# Waiting to book: the coordinator's "not booked" list.
NOT_BOOKED = (S.REGISTERED, S.LETTER_SENT)
# Not taking part in the roll-out any more: no information letters, not counted in progress.
OUT_OF_ROLLOUT = (S.OPTED_OUT, S.DOOR_RESTORED, S.CARE_ENDED)


class IllegalTransition(Exception):
    """The event is not allowed in the citizen's current state."""

    def __init__(self, citizen_id, from_status, to_status, event: str = ""):
        super().__init__(f"citizen {citizen_id}: {event or 'change'} {from_status} -> {to_status}")
        self.citizen_id = citizen_id
        self.from_status = from_status
        self.to_status = to_status
        self.event = event


def label(status) -> str:
    """The translated label of a status (the value itself if it is unknown)."""
    try:
        return LABELS[CitizenStatus(status)]
    except ValueError:
        return str(status)


def allowed(event: str, status) -> bool:
    """True if the event may happen to a citizen in this status (moving or staying)."""
    rule = RULES[event]
    return status in rule.moves or status in rule.stays


def _apply(citizen, event: str, target: CitizenStatus | None = None) -> CitizenStatus:
    rule = RULES[event]
    target = target or rule.target
    current = citizen.status
    if current in rule.moves:
        citizen.status = target
    elif current not in rule.stays:
        raise IllegalTransition(citizen.id, current, target, event)
    return CitizenStatus(current)


def registered(citizen) -> None:
    """A new citizen enters the lifecycle as registered (refused for one already in it)."""
    if citizen.status is not None:
        raise IllegalTransition(citizen.id, citizen.status, S.REGISTERED, "registered")
    citizen.status = S.REGISTERED


def letter_sent(citizen) -> CitizenStatus:
    """An information letter was posted: registered becomes letter_sent, others stay."""
    return _apply(citizen, "letter_sent")


def booked(citizen) -> CitizenStatus:
    """A fitting was booked; returns the state to go back to if it is cancelled."""
    return _apply(citizen, "booked")


def booking_cancelled(citizen, back_to) -> CitizenStatus:
    """A booking was cancelled: back to the state it was booked from (see `booked`)."""
    if back_to not in BOOKABLE:
        raise IllegalTransition(citizen.id, citizen.status, back_to, "booking_cancelled")
    return _apply(citizen, "booking_cancelled", CitizenStatus(back_to))


def fitted(citizen) -> CitizenStatus:
    """The lock was fitted at the citizen's door (a fitting or relocation job completed)."""
    return _apply(citizen, "fitted")


def fitting_failed(citizen) -> CitizenStatus:
    """A fitting could not be done: the coordinator follows up."""
    return _apply(citizen, "fitting_failed")


def opted_out(citizen) -> CitizenStatus:
    """The citizen declined keyless care."""
    return _apply(citizen, "opted_out")


def switching_provider(citizen) -> CitizenStatus:
    """A fitted citizen's change of home-care provider has been asked for."""
    return _apply(citizen, "switching_provider")


def provider_switched(citizen) -> CitizenStatus:
    """The provider switch took effect or was withdrawn: back to fitted."""
    return _apply(citizen, "provider_switched")


def moving(citizen) -> CitizenStatus:
    """The citizen is moving to a new address."""
    return _apply(citizen, "moving")


def moved(citizen) -> CitizenStatus:
    """The move is done without the lock following: the citizen starts over as registered."""
    return _apply(citizen, "moved")


def door_restored(citizen) -> CitizenStatus:
    """The lock was removed and the door restored."""
    return _apply(citizen, "door_restored")


def care_ended(citizen) -> CitizenStatus:
    """Home care ended (or the citizen died)."""
    return _apply(citizen, "care_ended")


def rejoined(citizen) -> CitizenStatus:
    """A citizen who opted out, or whose door was restored or care ended, starts over."""
    return _apply(citizen, "rejoined")
