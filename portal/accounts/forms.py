"""Sign-in forms: shape only; the rules live in services."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from portal.web.forms import PortalForm

RELATIONS = (
    ("child", _l("Son or daughter")),
    ("partner", _l("Spouse or partner")),
    ("sibling", _l("Brother or sister")),
    ("grandchild", _l("Grandchild")),
    ("guardian", _l("Guardian or power of attorney")),
    ("other", _l("Other relative or friend")),
)


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
    dob_errors: list

    def parse_dob(self) -> date | None:
        """The date typed, or None with a message in dob_errors."""
        self.dob_errors = []
        parts = [(f.data or "").strip() for f in (self.day, self.month, self.year)]
        if not all(parts):
            self.dob_errors.append(_l("Enter your date of birth with day, month and year"))
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
        if value.year < 1890 or value > date.today():
            self.dob_errors.append(_l("Date of birth must be a real date"))
            return None
        return value


class CitizenSignInForm(DateOfBirthMixin, PortalForm):
    """Letter code plus date of birth."""

    code = StringField(
        _l("Personal code from your letter"),
        validators=[DataRequired(_l("Enter the personal code from your letter")), Length(max=40)],
    )


class RelativeSignInForm(CitizenSignInForm):
    """The citizen's code and date of birth, and who the relative is."""

    name = StringField(
        _l("Your full name"),
        validators=[DataRequired(_l("Enter your full name")), Length(max=200)],
    )
    phone = StringField(
        _l("Your phone number"),
        validators=[DataRequired(_l("Enter your phone number")), Length(max=32)],
    )
    relation = SelectField(
        _l("How are you related to the citizen?"),
        choices=RELATIONS,
        validators=[DataRequired(_l("Choose how you are related"))],
    )
