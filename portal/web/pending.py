"""What a visitor began and has not finished, kept in the session for a short while.

The session cookie lives as long as the browser. A letter code from a QR link, or an owner's
checked invitation, left there by someone who walked away from a shared computer would fill in
the form (or make the organisation's account) for whoever used that browser next, hours or
days later. Each is kept with the moment it was put there and is gone after PENDING_MINUTES.
"""

from flask import session

from portal import clock

PENDING_MINUTES = 30


def keep(name: str, value) -> None:
    """Keep `value` under `name` until it is taken, dropped or PENDING_MINUTES have passed."""
    session[name] = {"v": value, "at": int(clock.now().timestamp())}


def peek(name: str):
    """The value kept under `name`, or None when there is none or it is too old (then gone)."""
    kept = session.get(name)
    if kept is None:
        return None
    at = kept.get("at") if isinstance(kept, dict) else None
    if not isinstance(at, int) or clock.now().timestamp() - at > PENDING_MINUTES * 60:
        session.pop(name, None)
        return None
    return kept.get("v")


def drop(name: str) -> None:
    """Forget what was kept under `name`."""
    session.pop(name, None)
