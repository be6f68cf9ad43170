"""Translated names for batch statuses, letter statuses, and reasons for failed or skipped
letters."""

from datetime import timedelta

from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l

BATCH_STATUS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "interrupted": _l("Interrupted"),
    "cancelled": _l("Stopped"),
    "done": _l("Ready to print"),
    "posted": _l("Posted"),
}
BATCH_STATUS_VARIANT = {
    "queued": "info",
    "running": "info",
    "interrupted": "warning",
    "cancelled": "warning",
    "done": "success",
    "posted": "success",
}
LETTER_STATUS = {
    "pending": _l("Not made yet"),
    "done": _l("Made"),
    "failed": _l("Failed"),
    "skipped": _l("Not sent"),
}
KIND = {"information": _l("Information letter"), "booking_confirmation": _l("Booking confirmation")}
REASONS = {
    "address_missing": _l("The address is incomplete."),
    "citizen_inactive": _l("The citizen is no longer active."),
    "render_timeout": _l(
        "Making the letter took too long, so it was stopped. The other letters were made. "
        "Try the batch again; if this letter fails again, check the municipality's logo and "
        "texts."
    ),
}


# Why a letter chosen when the batch was created was not made (portal.letters.scope's rule).
SKIP_REASONS = {
    "booked": _l("Has booked a fitting already"),
    "fitted": _l("Has the lock already"),
    "opted_out": _l("Has said no to keyless care"),
    "care_ended": _l("No longer gets home care"),
    "moving": _l("Is moving"),
    "switching_provider": _l("Has the lock and is changing provider"),
    "door_restored": _l("Has had the lock removed"),
    "moved_out": _l("Has moved out of the district"),
    "care_ending": _l("A death is reported, or home care is ending"),
    "has_letter": _l("Has been sent a letter already, or one is on its way"),
}


def skip_reason_text(reason: str | None) -> str:
    """Why a letter was not sent, for people."""
    if not reason:
        return ""
    return str(SKIP_REASONS.get(reason, reason))


def reason_text(error: str | None) -> str:
    """A failure reason for people: known problems translated, anything else as recorded."""
    if not error:
        return ""
    return str(REASONS.get(error, error))


def template_globals() -> dict:
    """What the letters templates need."""
    return {
        "batch_status_labels": BATCH_STATUS,
        "batch_status_variants": BATCH_STATUS_VARIANT,
        "letter_status_labels": LETTER_STATUS,
        "letter_kind_labels": KIND,
        "letter_reason": reason_text,
        "skip_reason": skip_reason_text,
    }


def duration(seconds: int) -> str:
    """An estimate such as "3 minutes" in the reader's language."""
    return format_timedelta(timedelta(seconds=seconds), threshold=1.1, add_direction=False)
