"""The booking domain's errors: what book, rebook and cancel refuse, by name.

Views and callers in other features catch these (one message each) without importing the
services that raise them.
"""


class BookingError(Exception):
    """Base class of the booking domain errors."""


class SlotUnavailable(BookingError):
    """The slot is taken, withdrawn, too soon, or not in the citizen's district."""


class AlreadyBooked(BookingError):
    """The citizen already has an open booking: change that one instead."""


class NotBookable(BookingError):
    """The citizen cannot book (no longer active, or the lock is already fitted)."""


class BookingClosed(NotBookable):
    """Care is ending (a death reported, an end of care or a move away approved): no fitting
    may be booked or moved (`portal.citizens.closures`)."""


class TooLate(BookingError):
    """The appointment is inside the cut-off: only the municipality can change it now."""


class NoSuchAppointment(BookingError):
    """No open booking with that id."""
