"""Sign-in forms: shape only; the rules live in services."""

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from portal import clock
from portal.accounts import birthdates
from portal.citizens import relations
from portal.i18n import current_language
from portal.phones import PHONE_MESSAGE, PhoneNumber  # noqa: F401 (forms import them here)
from portal.web.forms import PortalForm
from portal.web.text import PersonName

RELATIONS = relations.RELATIONS  # how a relative is related: the citizens' register owns it


class StaffSignInForm(PortalForm):
    """Email and password."""

    email = StringField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=200)]
    )
    # Asked for only while sign-ins are throttled: the password and this code together still
    # get in (accounts.staff_auth.sign_in_staff).
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[Optional(), Length(max=20, message=_l("The code is at most 20 characters"))],
    )


def new_password(label, required) -> PasswordField:
    """A password someone chooses: 12 to 200 characters (every form that sets one)."""
    return PasswordField(
        label,
        validators=[
            DataRequired(required),
            Length(min=12, max=200, message=_l("The password must be 12 to 200 characters")),
        ],
    )


def password_again(label, required, field: str = "password") -> PasswordField:
    """The chosen password typed a second time."""
    return PasswordField(
        label,
        validators=[
            DataRequired(required),
            EqualTo(field, message=_l("The two passwords are not the same")),
        ],
    )


class PasswordChangeForm(PortalForm):
    """The password in use, and a new one typed twice."""

    current = PasswordField(
        _l("Your password now"),
        validators=[DataRequired(_l("Enter the password you use now")), Length(max=200)],
    )
    password = new_password(_l("New password"), _l("Choose a new password"))
    confirm = password_again(_l("Type the new password again"), _l("Type the new password again"))


class DateOfBirthMixin:
    """Day / month / year boxes that become one date, with one error for the group.

    People may type the whole date in one box, or the year first (portal.accounts.birthdates).
    """

    day = StringField(_l("Day"), validators=[Length(max=10)])
    month = StringField(_l("Month"), validators=[Length(max=10)])
    year = StringField(_l("Year"), validators=[Length(max=10)])
    dob_missing = _l("Enter your date of birth with day, month and year")
    dob_errors: list

    def parse_dob(self) -> date | None:
        """The date typed, or None with a message in dob_errors."""
        self.dob_errors = []
        today = clock.today_in(ZoneInfo(current_app.config["TIMEZONE"]))
        found = birthdates.parse(self.day.data, self.month.data, self.year.data, today)
        if isinstance(found, date):
            return found
        if found == birthdates.MISSING:
            self.dob_errors.append(self.dob_missing)
        elif found == birthdates.SHORT_YEAR:
            self.dob_errors.append(_l("Write the year with 4 digits, for example 1962"))
        elif found == birthdates.NOT_NUMBERS:
            self.dob_errors.append(_l("Date of birth must be numbers, for example 24 3 1941"))
        else:
            self.dob_errors.append(_l("Date of birth must be a real date"))
        return None

    def first_dob_box(self):
        """The box shown first in the page's language (the error summary links to it)."""
        order = birthdates.order_for(current_language())
        return self.year if order == "ymd" else self.day


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
                    items.append((self.first_dob_box().id, dob[0]))
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
        validators=[DataRequired(_l("Enter your full name")), Length(max=200), PersonName()],
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
