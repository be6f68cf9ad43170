"""Forms for staff, devices and lock units: shape only (services check the rules)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.web.text import PersonName

STAFF_NUMBER = r"^[A-Za-z0-9._-]+$"
SERIAL = r"^[A-Za-z0-9._-]+$"


class StaffForm(FlaskForm):
    """A new staff member."""

    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(_l("Enter the first name")), Length(max=100), PersonName()],
    )
    last_name = StringField(
        _l("Last name"),
        validators=[DataRequired(_l("Enter the last name")), Length(max=100), PersonName()],
    )
    staff_number = StringField(
        _l("Staff number"),
        validators=[
            DataRequired(_l("Enter the staff number")),
            Length(max=32, message=_l("The staff number can have at most 32 characters")),
            Regexp(
                STAFF_NUMBER, message=_l("Use only letters, digits, dots, dashes and underscores")
            ),
        ],
    )
    care_groups = SelectMultipleField(
        _l("Care groups"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one care group"))],
    )


class PartnerStaffForm(FlaskForm):
    """A new courier of a partner company (no care groups: entrance-only keys)."""

    first_name = StaffForm.first_name
    last_name = StaffForm.last_name
    staff_number = StaffForm.staff_number


class ConfirmForm(FlaskForm):
    """A confirmation step (the CSRF token is all it carries)."""


class EnrolmentForm(FlaskForm):
    """A one-time enrolment code, and the name the phone will go by."""

    label = StringField(
        _l("Name of the phone"),
        validators=[Optional(), Length(max=60, message=_l("Write at most 60 characters"))],
    )
    model = StringField(
        _l("Phone model"),
        validators=[Optional(), Length(max=60, message=_l("Write at most 60 characters"))],
    )


class ProviderFilterForm(FlaskForm):
    """Coordinators choose whose staff to list (GET, changes nothing)."""

    class Meta:
        csrf = False

    provider = SelectField(_l("Provider"), coerce=str, validators=[Optional()])


class LockUnitForm(FlaskForm):
    """A lock unit fitted at a citizen's door or at a building entrance."""

    serial = StringField(
        _l("Serial number"),
        validators=[
            DataRequired(_l("Enter the serial number from the unit")),
            Length(max=64, message=_l("The serial number can have at most 64 characters")),
            Regexp(SERIAL, message=_l("Use only letters, digits, dots, dashes and underscores")),
        ],
    )
    kind = RadioField(
        _l("Where is the unit fitted?"),
        choices=[
            ("door", _l("At a citizen's front door")),
            ("entrance", _l("At a building entrance")),
        ],
        default="door",
        validators=[DataRequired(_l("Choose where the unit is fitted"))],
    )
    citizen = StringField(
        _l("Citizen (external id)"),
        validators=[
            Optional(),
            Length(max=64, message=_l("The id can have at most 64 characters")),
        ],
    )
    entrance = SelectField(_l("Entrance"), coerce=str, validators=[Optional()])
    public_key = TextAreaField(
        _l("The unit's public key"),
        validators=[
            DataRequired(_l("Paste the unit's public key")),
            Length(max=4096, message=_l("The key can have at most 4096 characters")),
        ],
    )
