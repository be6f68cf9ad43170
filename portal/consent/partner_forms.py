"""Forms for third-party access: shape only (the partner services check the rules)."""

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from portal.consent.models import PartnerCategory
from portal.phones import PHONE_MESSAGE, PhoneNumber

CATEGORY_LABELS = {
    PartnerCategory.POST: _l("Post"),
    PartnerCategory.PARCELS: _l("Parcels"),
    PartnerCategory.NEWSPAPERS: _l("Newspapers"),
    PartnerCategory.PHARMACY: _l("Pharmacy deliveries"),
    PartnerCategory.MEAL_BOXES: _l("Meal boxes"),
}
CATEGORY_CHOICES = [(c.value, label) for c, label in CATEGORY_LABELS.items()]
HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_hhmm(text: str | None) -> time | None:
    """'7:30', '07.30' or '07:30' as a time; None when it is not a time of day."""
    found = HHMM.match((text or "").strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


class CompanyForm(FlaskForm):
    """A partner company the municipality approves."""

    name = StringField(
        _l("Company name"),
        validators=[DataRequired(_l("Enter the company's name")), Length(max=200)],
    )
    org_number = StringField(
        _l("Organisation number"),
        validators=[
            Optional(),
            Length(max=20, message=_l("The number can have at most 20 characters")),
            Regexp(r"^[0-9 -]+$", message=_l("Use only digits, spaces and dashes")),
        ],
    )
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    email = StringField(
        _l("Email"),
        validators=[Optional(), Length(max=254), Email(_l("Enter an email address"))],
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=32, message=PHONE_MESSAGE), PhoneNumber()],
    )
    categories = SelectMultipleField(_l("Approved in the categories"), choices=CATEGORY_CHOICES)


class CategoriesForm(FlaskForm):
    """The categories a company is approved in (none: it gets no keys)."""

    categories = SelectMultipleField(_l("Approved in the categories"), choices=CATEGORY_CHOICES)


class AdminForm(FlaskForm):
    """An admin account for a partner company."""

    admin_name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the admin's name")), Length(max=200)]
    )
    admin_email = StringField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter the admin's email address")),
            Length(max=254),
            Email(_l("Enter an email address")),
        ],
    )


class ConfirmForm(FlaskForm):
    """A confirmation step (the CSRF token is all it carries)."""


DAY_CHOICES = [(str(d), str(d)) for d in range(7)]


class WindowsForm(FlaskForm):
    """Per category: the weekdays and one window of local time (the same on each day)."""

    def __init__(self, *args, day_labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        for category in PartnerCategory:
            field = self[f"{category.value}_days"]
            field.choices = day_labels or DAY_CHOICES

    def windows(self) -> list[tuple[str, int, time, time]] | None:
        """The windows asked for, or None after marking the fields in error."""
        result, ok = [], True
        for category in PartnerCategory:
            days = self[f"{category.value}_days"].data or []
            start_field, end_field = self[f"{category.value}_from"], self[f"{category.value}_to"]
            if not days:
                continue
            if any(d not in [str(n) for n in range(7)] for d in days):
                self[f"{category.value}_days"].errors.append(_l("Choose weekdays from the list"))
                ok = False
                continue
            starts, ends = parse_hhmm(start_field.data), parse_hhmm(end_field.data)
            if starts is None:
                start_field.errors.append(_l("Enter a time such as 07:00"))
                ok = False
            if ends is None:
                end_field.errors.append(_l("Enter a time such as 12:00"))
                ok = False
            if starts is not None and ends is not None and not starts < ends:
                end_field.errors.append(_l("The end must be later than the start"))
                ok = False
            if ok:
                result += [(category.value, int(d), starts, ends) for d in days]
        return result if ok else None


for _category in PartnerCategory:
    setattr(
        WindowsForm,
        f"{_category.value}_days",
        SelectMultipleField(
            _l("Weekdays"), choices=DAY_CHOICES, validators=[Optional()], validate_choice=False
        ),
    )
    setattr(
        WindowsForm,
        f"{_category.value}_from",
        StringField(
            _l("From (hh:mm)"),
            validators=[Optional(), Length(max=5, message=_l("Enter a time such as 07:00"))],
        ),
    )
    setattr(
        WindowsForm,
        f"{_category.value}_to",
        StringField(
            _l("To (hh:mm)"),
            validators=[Optional(), Length(max=5, message=_l("Enter a time such as 12:00"))],
        ),
    )
