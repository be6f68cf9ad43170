"""Words for the register's codes on the owner's pages and receipts (translated lazily)."""

from flask_babel import lazy_gettext as _l

KIND = {
    "street_door": _l("Street door"),
    "gate": _l("Gate"),
    "courtyard_door": _l("Courtyard door"),
}
DOOR_PHONE = {
    "none": _l("No door phone"),
    "audio": _l("Door phone with sound"),
    "video": _l("Door phone with video"),
    "unknown": _l("Door phone not known"),
}
POWER = {
    "mains_12_24v": _l("Powered from the electric strike (12/24 V, at most 1 W)"),
    "battery": _l("Battery powered"),
    None: _l("Battery powered, unless the fitter finds an electric strike to use"),
}
STATUS = {
    "not_requested": _l("Not asked yet"),
    "requested": _l("Waiting for your answer"),
    "expired": _l("Request expired"),
    "granted": _l("Consent given"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


def labels() -> dict:
    """Everything above, for a template's context."""
    return {
        "kind": KIND,
        "door_phone": DOOR_PHONE,
        "power": POWER,
        "status": STATUS,
        "weekdays": WEEKDAYS,
    }
