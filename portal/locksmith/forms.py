"""Job forms: shape only (the key check and the job rules live in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.booking.forms import TEXT

CHECK_MESSAGE = _l("Tick every point of the checklist before you complete the job")


class CompleteJobForm(FlaskForm):
    """The unit fitted and the fitting checklist."""

    serial = StringField(
        _l("Serial number of the unit"),
        **TEXT,
        validators=[
            InputRequired(_l("Enter the serial number")),
            Length(max=64, message=_l("The serial number is at most 64 characters")),
        ],
    )
    public_key = TextAreaField(
        _l("The unit's public key"),
        **TEXT,
        validators=[
            InputRequired(_l("Enter the unit's public key")),
            Length(max=2000, message=_l("The key is too long to be a P-256 public key")),
        ],
    )
    turns_both_ways = BooleanField(
        _l("The unit turns the lock both ways"), validators=[InputRequired(CHECK_MESSAGE)]
    )
    battery_read = BooleanField(
        _l("The battery level has been read"), validators=[InputRequired(CHECK_MESSAGE)]
    )
    door_closes = BooleanField(
        _l("The door closes freely"), validators=[InputRequired(CHECK_MESSAGE)]
    )
    citizen_told = BooleanField(
        _l("The citizen has been told how it works"), validators=[InputRequired(CHECK_MESSAGE)]
    )


class FailJobForm(FlaskForm):
    """Why the job could not be done."""

    reason = RadioField(
        _l("Why could the lock not be fitted?"),
        choices=[
            ("not_home", _l("Nobody was at home")),
            ("door_unsuitable", _l("The door is not suitable")),
            ("declined", _l("The citizen declined")),
            ("other", _l("Other reason")),
        ],
        validators=[InputRequired(_l("Choose a reason"))],
    )
    note = TextAreaField(
        _l("Note for the coordinator"),
        **TEXT,
        validators=[Optional(), Length(max=500, message=_l("Write at most 500 characters"))],
    )
