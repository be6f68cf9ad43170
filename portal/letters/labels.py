"""Translated names for batch statuses, letter statuses and failure reasons."""

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
LETTER_STATUS = {"pending": _l("Not made yet"), "done": _l("Made"), "failed": _l("Failed")}
KIND = {"information": _l("Information letter"), "booking_confirmation": _l("Booking confirmation")}
REASONS = {
    "address_missing": _l("The address is incomplete."),
    "citizen_inactive": _l("The citizen is no longer active."),
}


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
    }


def duration(seconds: int) -> str:
    """An estimate such as "3 minutes" in the reader's language."""
    return format_timedelta(timedelta(seconds=seconds), threshold=1.1, add_direction=False)
