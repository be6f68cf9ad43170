"""Translated names of the register's choices, for forms, tables and filters."""

from flask_babel import lazy_gettext as _l

ENTRANCE_KINDS = {
    "street_door": _l("Street door"),
    "gate": _l("Gate"),
    "courtyard_door": _l("Courtyard door"),
}
DOOR_PHONES = {
    "unknown": _l("Not known"),
    "none": _l("No door phone"),
    "audio": _l("Audio door phone"),
    "video": _l("Video door phone"),
}
POWER_SOURCES = {
    "mains_12_24v": _l("From the electric strike (12/24 V, at most 1 W)"),
    "battery": _l("Battery"),
}
CONSENT_STATUSES = {
    "not_requested": _l("Not asked yet"),
    "requested": _l("Waiting for the owner"),
    "expired": _l("Request expired"),
    "granted": _l("Consent given"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
CONSENT_VARIANTS = {
    "not_requested": None,
    "requested": "warning",
    "expired": "error",
    "granted": "success",
    "declined": "error",
    "withdrawn": "error",
}
LANGUAGE_NAMES = {"da": _l("Danish"), "sv": _l("Swedish"), "en": _l("English")}
EVENT_LABELS = {
    "requested": _l("Consent requested"),
    "reminded": _l("Reminder sent"),
    "granted": _l("Consent given"),
    "declined": _l("Declined"),
    "withdrawn": _l("Consent withdrawn"),
    "question": _l("Question from the owner"),
    "answer": _l("Question answered"),
    "owner_changed": _l("New owner"),
    "expired": _l("Request expired"),
    "cancelled": _l("Request cancelled"),
}


def template_globals() -> dict:
    """The label tables, for templates."""
    return {
        "consent_kinds": ENTRANCE_KINDS,
        "consent_door_phones": DOOR_PHONES,
        "consent_power": POWER_SOURCES,
        "consent_statuses": CONSENT_STATUSES,
        "consent_variants": CONSENT_VARIANTS,
        "consent_events": EVENT_LABELS,
        "consent_languages": LANGUAGE_NAMES,
    }
