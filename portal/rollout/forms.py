"""Campaign and availability forms: shape only; the services check the rules."""

from babel.dates import get_day_names
from babel.lists import format_list
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
    widgets,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.web.dates import DATE_MESSAGE, DayField
from portal.web.forms import TEXT


def day_name(weekday: int, context: str = "format") -> str:
    """The weekday's name from the locale's data (Monday is 0).

    CLDR knows how each language writes it: Danish and Swedish in lower case ("mandag",
    "måndag"), English capitalised. "format" is the form inside a sentence or a list,
    "stand-alone" the form on its own (a checkbox label).
    """
    return get_day_names("wide", context, locale=get_locale())[weekday]


WEEKDAY_DIGITS = "0123456"


def weekdays_text(digits: str) -> str:
    """ "mandag og tirsdag" / "Monday and Tuesday" for "01", as the locale writes a list."""
    days = [day_name(int(d)) for d in sorted(set(digits)) if d in WEEKDAY_DIGITS]
    return format_list(days, locale=get_locale()) if days else ""


WEEKDAYS = tuple((str(day), LazyString(day_name, day, "stand-alone")) for day in range(7))
TIME_MESSAGE = _l("Enter a time, for example 08:00")


class WeekdaysField(SelectMultipleField):
    """Weekday checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _date(label, optional=False):
    # The picker's date or one typed as a Dane or Swede writes it; the message names no format
    # (portal.web.dates).
    validators = [Optional()] if optional else [InputRequired(DATE_MESSAGE)]
    return DayField(label, validators=validators)


def _time(label):
    return TimeField(label, format="%H:%M", validators=[InputRequired(TIME_MESSAGE)])


class WindowMixin:
    """Dates, weekdays and hours, shared by campaigns and availability."""

    weekdays = WeekdaysField(
        _l("Weekdays"),
        choices=WEEKDAYS,
        default=["0", "1", "2", "3", "4"],
        validators=[InputRequired(_l("Choose at least one weekday"))],
    )
    day_start = _time(_l("Working day starts"))
    day_end = _time(_l("Working day ends"))

    def check_window(self) -> bool:
        """Cross-field checks the user can fix on this page."""
        ok = True
        if self.day_start.data and self.day_end.data and self.day_end.data <= self.day_start.data:
            self.day_end.errors.append(_l("The working day must end after it starts"))
            ok = False
        start, end = self.starts_on.data, self.ends_on.data
        if start and end and end < start:
            self.ends_on.errors.append(_l("The last day must be on or after the first day"))
            ok = False
        return ok


class CampaignForm(WindowMixin, FlaskForm):
    """A new campaign for a district."""

    name = StringField(
        _l("Name of the campaign"),
        **TEXT,
        validators=[
            InputRequired(_l("Enter a name")),
            Length(max=120, message=_l("Write at most 120 characters")),
        ],
    )
    district = SelectField(_l("District"), validators=[InputRequired(_l("Choose a district"))])
    starts_on = _date(_l("First day"))
    ends_on = _date(_l("Last day"))
    slot_minutes = IntegerField(
        _l("Length of a fitting (minutes)"),
        default=20,
        validators=[
            InputRequired(_l("Enter the length in minutes")),
            NumberRange(10, 240, _l("Enter a number of minutes from 10 to 240")),
        ],
    )
    buffer_minutes = IntegerField(
        _l("Travel time between fittings (minutes)"),
        default=10,
        validators=[
            InputRequired(_l("Enter the travel time in minutes")),
            NumberRange(0, 240, _l("Enter a number of minutes from 0 to 240")),
        ],
    )
    open_now = BooleanField(_l("Open for booking at once"))


class RemoveAvailabilityForm(FlaskForm):
    """Confirm removing an availability, at the version the page showed (optimistic locking)."""

    version = HiddenField()


class AvailabilityForm(WindowMixin, FlaskForm):
    """When a locksmith works in a campaign's district."""

    locksmith = SelectField(_l("Locksmith"), validators=[InputRequired(_l("Choose a locksmith"))])
    campaign = SelectField(
        _l("District (campaign)"), validators=[InputRequired(_l("Choose a district"))]
    )
    starts_on = _date(_l("First day"), optional=True)
    ends_on = _date(_l("Last day"), optional=True)
    # The version of the availability the form was filled from (optimistic locking).
    version = HiddenField()
