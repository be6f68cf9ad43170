"""What the citizen's booking pages say when care is ending (`portal.citizens.closures`) and
what happens to the lock in a status that is not about booking (moving, switching, opted out,
door restored): words, never a bare status."""

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from portal.citizens.closures import Closure
from portal.citizens.lifecycle import CitizenStatus
from portal.web.wording import worded

_NO_FITTING = {
    "deceased": (
        _l("Home care stops from %(date)s, so no lock will be fitted."),
        _l(
            "The death of %(name)s has been registered. Home care stops from %(date)s, so no "
            "lock will be fitted."
        ),
    ),
    "care_ended": (
        _l("Your home care stops from %(date)s, so no lock will be fitted."),
        _l("Home care for %(name)s stops from %(date)s, so no lock will be fitted."),
    ),
    "moved_away": (
        _l("You move away from the municipality on %(date)s, so no lock will be fitted here."),
        _l(
            "%(name)s moves away from the municipality on %(date)s, so no lock will be fitted here."
        ),
    ),
    "opted_out": (
        _l("You have said no to the keyless lock, so no lock will be fitted."),
        _l("%(name)s has said no to the keyless lock, so no lock will be fitted."),
    ),
}
_REPORTED = (
    _l(
        "A death has been reported. No time can be booked for the fitting while the "
        "municipality handles the report."
    ),
    _l(
        "A death has been reported for %(name)s. No time can be booked for the fitting while "
        "the municipality handles the report."
    ),
)
_BOOKED_REPORTED = _l(
    "The booked fitting is cancelled when the municipality approves the report. You can also "
    "cancel it yourself."
)
_LOCK_REMOVED = _l(
    "Home care's keys stop opening the door from %(date)s. After that a locksmith removes the "
    "lock unit, and the door is as it was."
)
_LOCK_WORDS = {
    CitizenStatus.MOVING: (
        _l("You are moving. A locksmith moves the lock unit to your new home."),
        _l("%(name)s is moving. A locksmith moves the lock unit to the new home."),
    ),
    CitizenStatus.SWITCHING_PROVIDER: (
        _l(
            "The lock stays as it is. From the day of the switch, staff of your new provider "
            "open the door."
        ),
        _l(
            "The lock stays as it is. From the day of the switch, staff of the new provider "
            "open the door of %(name)s."
        ),
    ),
    CitizenStatus.OPTED_OUT: (
        _l("You have said no to the keyless lock. If a unit was fitted, a locksmith removes it."),
        _l(
            "%(name)s has said no to the keyless lock. If a unit was fitted, a locksmith "
            "removes it."
        ),
    ),
    CitizenStatus.DOOR_RESTORED: (
        _l("The lock unit has been removed, and the door is as it was."),
        _l("The lock unit has been removed, and the door is as it was."),
    ),
}
_MOVING_NO_LOCK = (
    _l("You are moving. You can book a fitting at your new home after the move."),
    _l("%(name)s is moving. A fitting can be booked at the new home after the move."),
)


def no_booking(closure: Closure) -> str:
    """Why no time can be booked, for the citizen ("you") or a relative (by name)."""
    if not closure.decided:
        return worded(*_REPORTED)
    own, relative = _NO_FITTING.get(closure.reason, _NO_FITTING["care_ended"])
    return worded(own, relative, date=format_date(closure.on, "long"))


def booked_while_reported(closure: Closure) -> str | None:
    """What becomes of a booking while a death report waits for its decision."""
    return None if closure.decided else str(_BOOKED_REPORTED)


def lock_words(status, closure: Closure | None, has_lock: bool) -> str | None:
    """What happens to the lock: removed after care stops, moved, kept, or already removed."""
    if closure is not None and has_lock:  # a death not decided yet: the lock stays for now
        return (
            str(_LOCK_REMOVED) % {"date": format_date(closure.on, "long")}
            if closure.decided
            else None
        )
    if closure is not None:
        return no_booking(closure)
    if status == CitizenStatus.MOVING and not has_lock:
        return worded(*_MOVING_NO_LOCK)
    words = _LOCK_WORDS.get(status)
    return worded(*words) if words else None


_FOR_COORDINATOR = {
    "deceased": _l(
        "No time can be booked or moved for %(name)s: care is ending, as a death has been "
        "reported (request %(reference)s)."
    ),
    "care_ended": _l(
        "No time can be booked or moved for %(name)s: care is ending on %(date)s "
        "(request %(reference)s)."
    ),
    "moved_away": _l(
        "No time can be booked or moved for %(name)s: care is ending, as they move away from "
        "the municipality on %(date)s (request %(reference)s)."
    ),
    "opted_out": _l(
        "No time can be booked or moved for %(name)s: care is ending, as they have said no to "
        "the keyless lock (request %(reference)s)."
    ),
}


def for_coordinator(closure: Closure, name: str) -> str:
    """Why the coordinator can neither book nor move a fitting for this citizen, naming the
    request that ends the care."""
    words = _FOR_COORDINATOR.get(closure.reason, _FOR_COORDINATOR["care_ended"])
    return str(words) % {
        "name": name,
        "date": format_date(closure.on, "long"),
        "reference": closure.reference,
    }
