"""Forms of the coordinator's consent pages: shape only (the services check the rest)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from portal.consent.labels import (
    CONSENT_STATUSES,
    DOOR_PHONES,
    ENTRANCE_KINDS,
    LANGUAGE_NAMES,
    POWER_SOURCES,
)
from portal.phones import PHONE_MESSAGE, PhoneNumber
from portal.web.forms import PortalForm
from portal.web.text import SingleLine

REQUIRED = _l("Fill in this field")
# The register's status filter: a property is listed when one of its entrances has the status.
STATUS_FILTERS = {
    "not_requested": ("not_requested",),
    "requested": ("requested",),
    "granted": ("granted",),
    "declined": ("declined",),
    "withdrawn": ("withdrawn",),
    "refused": ("declined", "withdrawn"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _blank_none(value):
    value = _strip(value)
    return value or None


class OwnerForm(PortalForm):
    """An owner organisation's details."""

    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=200), SingleLine()],
    )
    org_number = StringField(
        _l("Organisation number (CVR)"),
        filters=[_blank_none],
        validators=[
            Optional(),
            Regexp(r"^[0-9][0-9 \-]{5,18}$", message=_l("Write digits only, like 12345678")),
        ],
    )
    contact_person = StringField(
        _l("Contact person"),
        filters=[_blank_none],
        validators=[Optional(), Length(max=200), SingleLine()],
    )
    email = StringField(
        _l("Email"),
        filters=[_blank_none],
        validators=[Optional(), Length(max=254), Email(_l("Not a valid email address"))],
    )
    phone = StringField(
        _l("Phone"),
        filters=[_blank_none],
        validators=[Optional(), Length(max=32, message=PHONE_MESSAGE), PhoneNumber()],
    )
    postal_address = StringField(
        _l("Postal address"),
        filters=[_blank_none],
        validators=[Optional(), Length(max=200), SingleLine()],
    )
    postcode = StringField(
        _l("Postcode"), filters=[_blank_none], validators=[Optional(), Length(max=10)]
    )
    city = StringField(
        _l("City"), filters=[_blank_none], validators=[Optional(), Length(max=100), SingleLine()]
    )
    language = SelectField(
        _l("Language of letters and emails"), choices=list(LANGUAGE_NAMES.items())
    )


class PropertyForm(PortalForm):
    """A property: address, owner, district."""

    owner = SelectField(_l("Owner"), validators=[DataRequired(_l("Choose the owner"))])
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=200), SingleLine()],
    )
    property_number = StringField(
        _l("Land register number"),
        filters=[_blank_none],
        validators=[Optional(), Length(max=40), SingleLine()],
    )
    address = StringField(
        _l("Address"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=200), SingleLine()],
    )
    postcode = StringField(
        _l("Postcode"),
        filters=[_strip],
        validators=[
            DataRequired(REQUIRED),
            Regexp(r"^[0-9]{3}\s?[0-9]{1,2}$", message=_l("Write the postcode, like 4100")),
        ],
    )
    city = StringField(
        _l("City"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=100), SingleLine()],
    )
    district = SelectField(_l("District"), validators=[Optional()])


class EntranceForm(PortalForm):
    """An entrance: what is there and how a unit would be powered."""

    label = StringField(
        _l("Name of the entrance"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=120), SingleLine()],
    )
    kind = SelectField(_l("Kind"), choices=list(ENTRANCE_KINDS.items()))
    door_phone = SelectField(_l("Door phone"), choices=list(DOOR_PHONES.items()))
    electric_strike = BooleanField(_l("The door has an electric strike"))
    power_source = SelectField(
        _l("Power for the unit"),
        choices=[("", _l("Not decided yet"))] + list(POWER_SOURCES.items()),
        validators=[Optional()],
    )
    notes = TextAreaField(
        _l("Notes for the fitter"), filters=[_blank_none], validators=[Optional(), Length(max=2000)]
    )


class BehindForm(PortalForm):
    """Put a citizen behind an entrance, take one off, or follow the address again."""

    citizen = IntegerField(
        _l("Citizen number in the register"),
        validators=[DataRequired(_l("Write the citizen's number")), NumberRange(1, 2**31 - 1)],
    )
    action = HiddenField(default="add")


class AddBehindForm(PortalForm):
    """Put a citizen behind an entrance, found by external id or name."""

    citizen = StringField(
        _l("Add a citizen who needs this entrance"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Write the citizen's external id or name")),
            Length(max=200),
        ],
    )


class FilterForm(PortalForm):
    """The GET form above the register and consent lists (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search address or name"), validators=[Optional(), Length(max=100)])
    district = SelectField(_l("District"), validators=[Optional()])
    owner = SelectField(_l("Owner"), validators=[Optional()])
    status = SelectField(
        _l("Consent status"),
        choices=[
            ("", _l("Any status")),
            ("not_requested", CONSENT_STATUSES["not_requested"]),
            # Asked and not answered: waiting, or past its answer-by date ("Request expired").
            ("requested", _l("Asked, no answer yet")),
            ("granted", CONSENT_STATUSES["granted"]),
            ("declined", CONSENT_STATUSES["declined"]),
            ("withdrawn", CONSENT_STATUSES["withdrawn"]),
            ("refused", _l("Declined or withdrawn")),
        ],
        validators=[Optional()],
        validate_choice=False,
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100000)])


class AskForm(PortalForm):
    """The properties to ask about, or every one still to ask in a district."""

    properties = SelectMultipleField(
        _l("Properties"), coerce=str, validators=[Optional()], validate_choice=False
    )
    district = HiddenField()
    everything = HiddenField()


class AnswerForm(PortalForm):
    """A coordinator's answer to an owner's question."""

    answer = TextAreaField(
        _l("Answer"),
        filters=[_strip],
        validators=[DataRequired(_l("Write an answer")), Length(max=4000)],
    )


class ImportForm(PortalForm):
    """A CSV file of properties and entrances."""

    file = FileField(
        _l("CSV file with properties and entrances"),
        validators=[FileRequired(_l("Choose a CSV file to import"))],
    )
