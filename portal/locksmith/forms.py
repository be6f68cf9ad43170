"""Job forms: shape only (the key check and the job rules live in the services)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from portal.locksmith.models import CHECKLIST, JobKind, JobStatus
from portal.web.forms import PortalForm

CHOICE_MESSAGE = _l("Choose one of the options")
CHECK_MESSAGE = _l("Tick every point of the checklist before you complete the job")
NOTE_REQUIRED_MESSAGE = _l("Write a short note when the reason is “other”")
NOTE = {"validators": [Optional(), Length(max=500, message=_l("Write at most 500 characters"))]}


class _OwnChoiceMessage:
    """A value that is not one of the options gets the portal's own, translated message."""

    def pre_validate(self, form):
        """The value must be one of the choices."""
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(CHOICE_MESSAGE) from None


class Choice(_OwnChoiceMessage, SelectField):
    """A select with the portal's own message for a value that is not an option."""


class Radios(_OwnChoiceMessage, RadioField):
    """Radio buttons with the portal's own message for a value that is not an option."""


KIND_LABELS = {
    JobKind.FITTING: _l("Fitting"),
    JobKind.ENTRANCE_UNIT: _l("Entrance unit"),
    JobKind.RELOCATION: _l("Relocation"),
    JobKind.REMOVAL: _l("Removal"),
    JobKind.BATTERY: _l("Battery change"),
    JobKind.REPAIR: _l("Repair"),
}
STATUS_LABELS = {
    JobStatus.OPEN: _l("Not assigned"),
    JobStatus.PLANNED: _l("Planned"),
    JobStatus.DONE: _l("Done"),
    JobStatus.FAILED: _l("Failed"),
    JobStatus.CANCELLED: _l("Cancelled"),
}
# A coordinator makes these by hand; fittings come from bookings.
HAND_KINDS = (
    JobKind.REPAIR,
    JobKind.BATTERY,
    JobKind.REMOVAL,
    JobKind.RELOCATION,
    JobKind.ENTRANCE_UNIT,
)


class CompleteJobForm(PortalForm):
    """The unit fitted and the fitting checklist."""

    serial = StringField(
        _l("Serial number of the unit"),
        validators=[
            InputRequired(_l("Enter the serial number")),
            Length(max=64, message=_l("The serial number is at most 64 characters")),
        ],
    )
    public_key = TextAreaField(
        _l("The unit's public key"),
        validators=[
            InputRequired(_l("Enter the unit's public key")),
            Length(max=2000, message=_l("The key is too long to be a P-256 public key")),
        ],
    )
    # The checklist is one question: an unticked point is reported once, on the fieldset
    # (checklist_errors), not once per box.
    turns_both_ways = BooleanField(_l("The unit turns the lock both ways"))
    battery_read = BooleanField(_l("The battery level has been read"))
    door_closes = BooleanField(_l("The door closes freely"))
    citizen_told = BooleanField(_l("The citizen has been told how it works"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist_errors: list = []

    def ticked(self) -> set[str]:
        """The checklist points ticked."""
        return {name for name in CHECKLIST if self[name].data}

    def first_unticked(self) -> str:
        """The id of the first box left empty (where the error summary leads)."""
        return next((name for name in CHECKLIST if not self[name].data), CHECKLIST[0])

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the checklist as a whole."""
        ok = super().validate(extra_validators)
        self.checklist_errors = [CHECK_MESSAGE] if self.ticked() != set(CHECKLIST) else []
        return ok and not self.checklist_errors


class BatteryDoneForm(PortalForm):
    """The battery is changed: the level the lock shows now."""

    checklist_errors = ()  # only a fitting has a checklist

    # Text, not IntegerField: "abc" gets the portal's own message, in the user's language.
    level = StringField(
        _l("Battery level after the change (%)"),
        validators=[
            InputRequired(_l("Enter the battery level as a whole number")),
            Regexp(r"^\s*\d{1,3}\s*$", message=_l("Enter the battery level as a whole number")),
        ],
    )
    note = TextAreaField(_l("Note for the coordinator"), **NOTE)

    def validate_level(self, field) -> None:
        """0 to 100 per cent."""
        if field.data and field.data.strip().isdigit() and int(field.data) > 100:
            raise ValidationError(_l("Enter a level from 0 to 100"))

    @property
    def percent(self) -> int:
        """The level as a number (after validation)."""
        return int(self.level.data)


class DoneForm(PortalForm):
    """Any other job is done: what was done, in a few words."""

    checklist_errors = ()

    note = TextAreaField(_l("Note for the coordinator"), **NOTE)


class FailJobForm(PortalForm):
    """Why the job could not be done."""

    reason = Radios(
        _l("Why could the job not be done?"),
        choices=[
            ("not_home", _l("Nobody was at home")),
            ("door_unsuitable", _l("The door is not suitable")),
            ("declined", _l("The citizen declined")),
            ("other", _l("Other reason")),
        ],
        validators=[InputRequired(_l("Choose a reason"))],
    )
    # Required only for "other": the label says so, and the service refuses "other" without it.
    note = TextAreaField(
        _l("Note for the coordinator (required when the reason is “other”)"), **NOTE
    )

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the note that "other" needs (the service checks it again)."""
        ok = super().validate(extra_validators)
        if self.reason.data == "other" and not (self.note.data or "").strip():
            self.note.errors = [*self.note.errors, NOTE_REQUIRED_MESSAGE]
            return False
        return ok
