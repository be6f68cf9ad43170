"""What the audit log's codes mean, in the page's language.

A record stores its action as a stable code ("sign_in", "letters.batch_posted"): the chain's
hashes and every search depend on it, so the code never changes and is always shown beside
the label. Codes without a label here are shown as they are.
"""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "sign_in": _l("Signed in"),
    "sign_out": _l("Signed out"),
    "sign_in_failed": _l("Sign-in failed"),
    "sign_in_locked": _l("Sign-in locked after too many attempts"),
    "mfa_passed": _l("Second factor accepted"),
    "mfa_failed": _l("Second factor refused"),
    "mfa_enrolled": _l("Second factor set up"),
    "mfa_reset": _l("Second factor reset"),
    "citizen.viewed": _l("Citizen's record opened"),
    "citizen.created": _l("Citizen added"),
    "letters.batch_created": _l("Letter batch created"),
    "letters.batch_posted": _l("Letter batch posted"),
    "letters.batch_cancelled": _l("Letter batch cancelled"),
    "letters.single_posted": _l("Letter posted"),
    "appointment_booked": _l("Fitting booked"),
    "appointment_moved": _l("Booking moved"),
    "appointment_cancelled": _l("Booking cancelled"),
    "device_enrolled": _l("Phone enrolled"),
    "device_blocked": _l("Phone blocked"),
    "staff_created": _l("Staff member added"),
    "staff_blocked": _l("Staff member blocked"),
    "shift_key_issued": _l("Shift key issued"),
    "shift_refused": _l("Shift key refused"),
    "lock_unit_registered": _l("Lock registered"),
    "lock_unit_removed": _l("Lock removed"),
    "settings.changed": _l("Settings changed"),
    "reminder.sent": _l("Reminder sent"),
}


def action_label(code: str | None):
    """The label of an action code, or None when it has none (show the code)."""
    return ACTION_LABELS.get(code or "")
