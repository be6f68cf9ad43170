"""Sign-in forms: shape only; the rules live in services."""

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from portal import clock
from portal.citizens import relations
from portal.citizens.validation import normalise_phone
from portal.web.forms import PortalForm

PHONE_MESSAGE = _l("Enter a phone number, for example 20 12 34 56")

RELATIONS = relations.RELATIONS  # how a relative is related: the citizens' register owns it


class PhoneNumber:
    """A phone number that is valid in the municipality's country (config COUNTRY)."""

    def __init__(self, message=PHONE_MESSAGE):
        self.message = message

    def __call__(self, form, field):
        # One message per field: a number already too long for Length is not checked again.
        if field.errors:
            return
        if normalise_phone(field.data or "", current_app.config["COUNTRY"]) is None:
            raise ValidationError(self.message)


class StaffSignInForm(PortalForm):
    """Email and password."""

    email = StringField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=200)]
    )


class DateOfBirthMixin:
    """Day / month / year fields that become one date, with one error for the group."""

    day = StringField(_l("Day"), validators=[Length(max=2)])
    month = StringField(_l("Month"), validators=[Length(max=2)])
    year = StringField(_l("Year"), validators=[Length(max=4)])
    dob_missing = _l("Enter your date of birth with day, month and year")
    dob_errors: list

    def parse_dob(self) -> date | None:
        """The date typed, or None with a message in dob_errors."""
        self.dob_errors = []
        parts = [(f.data or "").strip() for f in (self.day, self.month, self.year)]
        if not all(parts):
            self.dob_errors.append(self.dob_missing)
            return None
        # isdigit() alone lets "²" and other scripts' digits through; only 0-9 are numbers here.
        if not all(p.isascii() and p.isdigit() for p in parts) or len(parts[2]) != 4:
            self.dob_errors.append(_l("Date of birth must be numbers, for example 24 3 1941"))
            return None
        try:
            value = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except (ValueError, OverflowError):  # a 20-digit "day" overflows before it is checked
            self.dob_errors.append(_l("Date of birth must be a real date"))
            return None
        if value.year < 1890 or value > clock.today_in(ZoneInfo(current_app.config["TIMEZONE"])):
            self.dob_errors.append(_l("Date of birth must be a real date"))
            return None
        return value


class CitizenSignInForm(DateOfBirthMixin, PortalForm):
    """Letter code plus date of birth."""

    # The fields in the order the page shows them ("dob": the day/month/year group).
    page_order = ("code", "dob")

    code = StringField(
        _l("Personal code from your letter"),
        validators=[DataRequired(_l("Enter the personal code from your letter")), Length(max=40)],
    )

    def summary_errors(self, problem=None) -> list[tuple[str | None, str]]:
        """(field id, message) for the error summary, in page order; problem: a general one."""
        items = [("code", problem)] if problem else []
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None and csrf.errors:
            items.append((None, csrf.errors[0]))
        for name in self.page_order:
            if name == "dob":
                parts = (self.day, self.month, self.year)
                dob = getattr(self, "dob_errors", None) or [f.errors[0] for f in parts if f.errors]
                if dob:
                    items.append((self.day.id, dob[0]))
            elif self[name].errors:
                items.append((self[name].id, self[name].errors[0]))
        return items


class RelativeSignInForm(CitizenSignInForm):
    """The citizen's code and date of birth, and who the relative is."""

    page_order = ("code", "dob", "name", "phone", "relation")
    dob_missing = _l("Enter the date of birth with day, month and year")

    code = StringField(
        _l("The code from the letter to the person you help"),
        validators=[DataRequired(_l("Enter the code from the letter")), Length(max=40)],
    )
    name = StringField(
        _l("Your full name"),
        validators=[DataRequired(_l("Enter your full name")), Length(max=200)],
    )
    phone = StringField(
        _l("Your phone number"),
        validators=[
            DataRequired(_l("Enter your phone number")),
            Length(max=32, message=PHONE_MESSAGE),
            PhoneNumber(),
        ],
    )
    relation = SelectField(
        _l("How are you related to the person you help?"),
        # An empty first option, so nobody is a "son or daughter" by not choosing.
        choices=[("", _l("Choose")), *RELATIONS],
        validators=[DataRequired(_l("Choose how you are related"))],
    )
