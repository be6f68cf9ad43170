"""Booking forms: shape only (the free days and times are checked against fresh queries)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError

from portal.accounts.forms import PHONE_MESSAGE, PhoneNumber
from portal.web.forms import TEXT, ConfirmForm  # noqa: F401 (booking's views import them here)
from portal.web.forms import drop_nul as no_nul  # noqa: F401

NOTE_MAX = 500


class RequiredWhen:
    """Required when another question has a given answer; otherwise optional (empty is fine)."""

    field_flags = {"optional": True}

    def __init__(self, other: str, answer: str, message):
        self.other, self.answer, self.message = other, answer, message

    def __call__(self, form, field):
        if isinstance(field.data, str) and field.data.strip():
            return
        field.errors[:] = []
        if form[self.other].data == self.answer:
            raise StopValidation(self.message)
        raise StopValidation()


def _choice_is_offered(field) -> bool:
    return not field.data or field.data in {value for value, _label in field.choices}


class DayForm(FlaskForm):
    """Which day (only days with free times are offered)."""

    not_offered_message = _l("Choose one of the days shown")
    day = RadioField(
        _l("Which day suits you?"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose a day"))],
    )

    def validate_day(self, field):
        """The day must still be one of the offered days."""
        if not _choice_is_offered(field):
            raise ValidationError(self.not_offered_message)


class TimeForm(FlaskForm):
    """Which time on the chosen day."""

    not_offered_message = _l("Choose one of the times shown")
    time = RadioField(
        _l("Which time suits you?"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose a time"))],
    )

    def validate_time(self, field):
        """The time must still be one of the offered times."""
        if not _choice_is_offered(field):
            raise ValidationError(self.not_offered_message)


class DetailsForm(FlaskForm):
    """Contact and access details for the locksmith."""

    opener = RadioField(
        _l("Who will open the door for the locksmith?"),
        choices=[
            ("self", _l("The citizen opens the door")),
            ("relative", _l("A relative opens the door")),
            ("home_care", _l("Home care staff open the door")),
        ],
        validators=[InputRequired(_l("Choose who will open the door"))],
    )
    call_phone = StringField(
        _l("Phone number the locksmith can call before arriving"),
        **TEXT,
        validators=[
            InputRequired(_l("Enter a phone number")),
            Length(max=32, message=PHONE_MESSAGE),
            PhoneNumber(),
        ],
    )
    door_code = StringField(
        _l("Code for the street door"),
        **TEXT,
        validators=[Optional(), Length(max=40, message=_l("Write at most 40 characters"))],
    )
    interpreter = RadioField(
        _l("Is an interpreter needed?"),
        choices=[("no", _l("No")), ("yes", _l("Yes"))],
        validators=[InputRequired(_l("Answer whether an interpreter is needed"))],
    )
    interpreter_language = StringField(
        _l("Which language should the interpreter speak?"),
        **TEXT,
        validators=[
            RequiredWhen(
                "interpreter", "yes", _l("Write which language the interpreter should speak")
            ),
            Length(max=60, message=_l("Write at most 60 characters")),
        ],
    )
    note = TextAreaField(
        _l("Anything else the locksmith should know?"),
        **TEXT,
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Write at most 500 characters"))],
    )


class MoveForm(FlaskForm):
    """The coordinator picks another free slot (any locksmith)."""

    not_offered_message = _l("Choose one of the free times shown")
    slot = RadioField(
        _l("New time"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose a new time"))],
    )

    def validate_slot(self, field):
        """The slot must still be one of the free slots offered."""
        if not _choice_is_offered(field):
            raise ValidationError(self.not_offered_message)


class PhoneBookingForm(DetailsForm):
    """Booking on a citizen's behalf over the phone: which citizen, then the same details."""

    call_phone = StringField(
        _l("Phone number the locksmith can call before arriving"),
        **TEXT,
        validators=[Optional(), Length(max=32, message=PHONE_MESSAGE), PhoneNumber()],
    )

    not_offered_message = _l("Choose one of the citizens shown")
    citizen = RadioField(
        _l("Citizen"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose the citizen"))],
    )

    def validate_citizen(self, field):
        """The citizen must be one of the matches offered."""
        if not _choice_is_offered(field):
            raise ValidationError(self.not_offered_message)
