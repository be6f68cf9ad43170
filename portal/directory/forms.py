"""Reference-data and settings forms: shape only; the services check names and uses."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from portal.phones import PHONE_MESSAGE, PhoneNumber
from portal.web.forms import PortalForm
from portal.web.production import is_production
from portal.web.text import PersonName, SingleLine


def too_long(n: int):
    """The message of a Length(max=n) check, in the plural n needs."""
    return lazy_ngettext("At most %(num)s character", "At most %(num)s characters", n)


class DistrictForm(PortalForm):
    """A district's name."""

    name = StringField(
        _l("Name of the district"),
        validators=[
            DataRequired(_l("Enter the district's name")),
            Length(max=120, message=too_long(120)),
            SingleLine(),
        ],
    )


class ProviderForm(PortalForm):
    """A provider: name, municipal or private, and whom to contact."""

    name = StringField(
        _l("Name of the provider"),
        validators=[
            DataRequired(_l("Enter the provider's name")),
            Length(max=120, message=too_long(120)),
            SingleLine(),
        ],
    )
    kind = RadioField(
        _l("Kind of provider"),
        choices=[("municipal", _l("Municipal")), ("private", _l("Private"))],
        validators=[DataRequired(_l("Choose municipal or private"))],
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=[Optional(), Length(max=120, message=too_long(120)), PersonName()],
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=32, message=PHONE_MESSAGE), PhoneNumber()],
    )
    email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            Length(max=254, message=too_long(254)),
            Email(_l("Enter an email address like name@example.org")),
        ],
    )


class CheckboxesField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CareGroupForm(PortalForm):
    """A care group: its provider, name, the districts it serves, night patrol or not."""

    provider = SelectField(
        _l("Provider"), validators=[DataRequired(_l("Choose the provider"))], choices=[]
    )
    name = StringField(
        _l("Name of the care group"),
        validators=[
            DataRequired(_l("Enter the care group's name")),
            Length(max=120, message=too_long(120)),
            SingleLine(),
        ],
    )
    districts = CheckboxesField(
        _l("Districts it serves"),
        choices=[],
        validators=[DataRequired(_l("Choose at least one district"))],
    )
    night_patrol = BooleanField(_l("Night patrol (serves its districts at night)"))


class ImportForm(PortalForm):
    """A CSV file of districts, providers or care groups."""

    kind = RadioField(
        _l("What does the file hold?"),
        choices=[
            ("districts", _l("Districts")),
            ("providers", _l("Providers")),
            ("care_groups", _l("Care groups")),
        ],
        validators=[DataRequired(_l("Choose what the file holds"))],
    )
    file = FileField(_l("CSV file"))


URL_MESSAGE = _l("Enter the address starting with https://")
URL = Regexp(r"^https?://[^\s/]+", message=URL_MESSAGE)


def https_in_production(form, field):
    """In production the address must be https: letters' QR links carry citizens' and owners'
    codes to it (production also refuses to start with another, `plain_http_portal_url`)."""
    if is_production(current_app.config) and not (field.data or "").lower().startswith("https://"):
        raise ValidationError(URL_MESSAGE)


class SettingsForm(PortalForm):
    """The municipality's own texts; the per-language fields are added for each language."""

    name = StringField(
        _l("Name of the municipality"),
        validators=[
            DataRequired(_l("Enter the municipality's name")),
            Length(max=120, message=too_long(120)),
            SingleLine(),
        ],
    )
    phone = StringField(
        _l("Phone number citizens call"),
        validators=[
            DataRequired(_l("Enter the phone number")),
            Length(max=32, message=PHONE_MESSAGE),
            PhoneNumber(),
        ],
    )
    email = StringField(
        _l("Email address citizens write to"),
        validators=[
            DataRequired(_l("Enter the email address")),
            Length(max=254, message=too_long(254)),
            Email(_l("Enter an email address like name@example.org")),
        ],
    )
    sender_address = StringField(
        _l("Sender address on letters"),
        validators=[
            DataRequired(_l("Enter the sender address")),
            Length(max=200, message=too_long(200)),
            SingleLine(),
        ],
    )
    portal_url = StringField(
        _l("The portal's address"),
        validators=[
            DataRequired(_l("Enter the portal's address")),
            Length(max=200, message=too_long(200)),
            URL,
            https_in_production,
        ],
    )
    signature_name = StringField(
        _l("Who signs the letters"),
        validators=[
            DataRequired(_l("Enter the name that signs the letters")),
            Length(max=120, message=too_long(120)),
            PersonName(),
        ],
    )


class LogoForm(PortalForm):
    """The municipality's logo."""

    logo = FileField(_l("Logo (PNG or SVG, at most 200 kB)"))
