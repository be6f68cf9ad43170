"""Inventory forms: the list's filters (GET) and a coordinator's action with a note."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal.access.forms import SERIAL
from portal.web.forms import PortalForm

KIND_LABELS = {"door": _l("Front door"), "entrance": _l("Building entrance")}
STATE_LABELS = {
    "in_stock": _l("In stock"),
    "fitted": _l("Fitted"),
    "removed": _l("Removed"),
    "defective": _l("Defective"),
    "in_repair": _l("In repair"),
    "scrapped": _l("Scrapped"),
}
ACTION_LABELS = {
    "registered": _l("Registered and fitted"),
    "received": _l("Received into stock"),
    "fit": _l("Fitted from stock"),
    "move": _l("Moved with the citizen"),
    "remove": _l("Removed from the door"),
    "mark_defective": _l("Marked defective"),
    "send_to_repair": _l("Sent to repair"),
    "record_reset": _l("Reset recorded"),
    "back_to_stock": _l("Back in stock"),
    "scrap": _l("Scrapped"),
}
BUTTON_LABELS = {
    "mark_defective": _l("Mark defective"),
    "send_to_repair": _l("Send to repair"),
    "record_reset": _l("Record a reset"),
    "back_to_stock": _l("Put back in stock"),
    "scrap": _l("Scrap"),
}


CHOICE_MESSAGE = _l("Choose one of the options")


class InventoryFilterForm(PortalForm):
    """The inventory list's filters (a GET form: no CSRF token, nothing changes).

    A value that is not one of the options (an old bookmark, an edited address) or a search
    text too long is an error, not left out: leaving it out would list units nobody asked for.
    """

    class Meta:
        csrf = False

    state = SelectField(
        _l("State"),
        choices=[("", _l("Any state"))] + list(STATE_LABELS.items()),
        validators=[Optional()],
        validate_choice=False,
    )
    kind = SelectField(
        _l("Kind"),
        choices=[("", _l("Any kind")), ("door", _l("Door")), ("entrance", _l("Entrance"))],
        validators=[Optional()],
        validate_choice=False,
    )
    q = StringField(
        _l("Serial or lock number"),
        validators=[Optional(), Length(max=64, message=_l("Write at most 64 characters"))],
    )

    def validate_state(self, field):
        """One of the states in the list."""
        if field.data not in STATE_LABELS:
            raise ValidationError(CHOICE_MESSAGE)

    def validate_kind(self, field):
        """Door or entrance."""
        if field.data not in ("door", "entrance"):
            raise ValidationError(CHOICE_MESSAGE)


class UnitActionForm(PortalForm):
    """A coordinator's action on a unit: why, in a few words (for the history)."""

    note = TextAreaField(
        _l("Note for the unit's history"),
        validators=[Optional(), Length(max=1000, message=_l("Write at most 1000 characters"))],
    )


class StockUnitForm(PortalForm):
    """A new unit delivered to the depot: its serial number, kind and public key."""

    serial = StringField(
        _l("Serial number"),
        validators=[
            DataRequired(_l("Enter the serial number from the unit")),
            Length(max=64, message=_l("The serial number can have at most 64 characters")),
            Regexp(SERIAL, message=_l("Use only letters, digits, dots, dashes and underscores")),
        ],
    )
    kind = RadioField(
        _l("What kind of unit is it?"),
        choices=[("door", _l("Door")), ("entrance", _l("Entrance"))],
        default="door",
        validators=[DataRequired(_l("Choose door or entrance"))],
    )
    public_key = TextAreaField(
        _l("The unit's public key"),
        validators=[
            DataRequired(_l("Paste the unit's public key")),
            Length(max=4096, message=_l("The key can have at most 4096 characters")),
        ],
    )
