"""The owner's forms: shape only (lengths, required fields, times); the rules live in services.

Several forms share the entrance page, so each gets a prefix (grant-, decline-, withdraw-,
question-) and field ids never collide.
"""

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.accounts.forms import new_password, password_again
from portal.consent import terms
from portal.consent.decision_support import Window
from portal.consent.owner_labels import WEEKDAYS
from portal.i18n import current_language
from portal.web.forms import PortalForm
from portal.web.text import PersonName

EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
WINDOW_ROWS = 3


def _email(form, field):
    if field.data and not EMAIL.match(field.data.strip()):
        raise ValidationError(_l("Enter an email address like name@example.dk"))


class InvitationForm(PortalForm):
    """The code from the consent letter (or a colleague)."""

    code = StringField(
        _l("Invitation code"),
        validators=[DataRequired(_l("Enter the invitation code from the letter")), Length(max=40)],
    )


class AccountForm(PortalForm):
    """Name, email and a password for the new owner account."""

    name = StringField(
        _l("Your full name"),
        validators=[DataRequired(_l("Enter your full name")), Length(max=200), PersonName()],
    )
    email = StringField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254), _email],
    )
    password = new_password(_l("Choose a password"), _l("Choose a password"))
    confirm = password_again(_l("Type the password again"), _l("Type the password again"))


class ColleagueForm(PortalForm):
    """A colleague who may sign for the organisation too."""

    name = StringField(
        _l("Your colleague's full name"),
        validators=[
            DataRequired(_l("Enter your colleague's full name")),
            Length(max=200),
            PersonName(),
        ],
    )
    email = StringField(
        _l("Your colleague's email address"),
        validators=[
            DataRequired(_l("Enter your colleague's email address")),
            Length(max=254),
            _email,
        ],
    )


class SignerMixin:
    """Who signs and in what capacity."""

    signer_name = StringField(
        _l("Your full name"),
        validators=[DataRequired(_l("Enter your full name")), Length(max=200), PersonName()],
    )
    signer_role = StringField(
        _l("Your role in the organisation"),
        validators=[
            DataRequired(_l("Enter your role, for example chair or administrator")),
            Length(max=120),
        ],
    )


# WTForms orders a form's fields by when they were made, i.e. by their place in this file, and
# the error summary lists them in that order: so the mixins below come in the order the grant
# page shows their fields (signer, confirmation, then the fitter's times).
class ConfirmMixin:
    """The signer may sign, and types the confirmation phrase."""

    may_sign = BooleanField(
        _l("I may sign for the organisation"),
        validators=[DataRequired(_l("Confirm that you may sign for the organisation"))],
    )
    typed = StringField(
        _l("Type the words shown above to confirm"),
        validators=[DataRequired(_l("Type the words to confirm")), Length(max=200)],
    )

    def validate_typed(self, field):
        """The typed words are the phrase in the page's language."""
        if field.data and not terms.phrase_matches(field.data, current_language()):
            raise ValidationError(
                _l("Type exactly: %(phrase)s", phrase=terms.confirmation_phrase(current_language()))
            )


def _window_fields(n: int) -> dict:
    days = [("", _l("Choose a day")), *[(str(i), d) for i, d in enumerate(WEEKDAYS)]]
    return {
        f"day_{n}": SelectField(_l("Day"), choices=days, validators=[Optional()]),
        f"starts_{n}": StringField(_l("From"), validators=[Optional(), Length(max=5)]),
        f"ends_{n}": StringField(_l("To"), validators=[Optional(), Length(max=5)]),
    }


class WindowsMixin:
    """Up to three weekly windows when the fitter may come (all optional)."""

    locals().update({k: v for n in range(1, WINDOW_ROWS + 1) for k, v in _window_fields(n).items()})

    def window_rows(self):
        """(day, starts, ends) fields per row, for the template."""
        return [
            (self[f"day_{n}"], self[f"starts_{n}"], self[f"ends_{n}"])
            for n in range(1, WINDOW_ROWS + 1)
        ]

    def parse_windows(self) -> list[Window] | None:
        """The windows typed, or None with messages on the fields."""
        windows, ok = [], True
        # Each message names its row and field ("Time 2, from: ..."), as the legend and label
        # do: the error summary lists it away from the field, where "this time" says nothing.
        for num, (day, starts, ends) in enumerate(self.window_rows(), start=1):
            if not (day.data or starts.data or ends.data):
                continue
            if not day.data:
                day.errors = [*day.errors, _l("Time %(num)d: choose a day", num=num)]
                ok = False
                continue
            times = []
            for field, message in (
                (starts, _l("Time %(num)d, from: enter a time like 09:00", num=num)),
                (ends, _l("Time %(num)d, to: enter a time like 12:00", num=num)),
            ):
                found = TIME.match((field.data or "").strip())
                if not found:
                    field.errors = [*field.errors, message]
                    ok = False
                else:
                    times.append(time(int(found.group(1)), int(found.group(2))))
            if len(times) == 2:
                if times[0] >= times[1]:
                    message = _l("Time %(num)d: the end must be after the start", num=num)
                    ends.errors = [*ends.errors, message]
                    ok = False
                else:
                    windows.append(Window(int(day.data), times[0], times[1]))
        return windows if ok else None


class GrantForm(SignerMixin, ConfirmMixin, WindowsMixin, PortalForm):
    """Consent with a signature on the terms shown."""

    version = HiddenField()
    terms_hash = HiddenField()
    method = RadioField(
        _l("How do you want to sign?"),
        choices=[
            ("typed", _l("With the typed words")),
            ("mitid_erhverv", _l("With MitID Erhverv")),
        ],
        default="typed",
        validators=[Optional()],
    )


class BlanketForm(GrantForm):
    """Consent for every present and future property: the same signature, no version."""


class DeclineForm(SignerMixin, PortalForm):
    """No, with a reason."""

    version = HiddenField()
    reason = TextAreaField(
        _l("Why do you decline?"),
        validators=[DataRequired(_l("Tell us why you decline")), Length(max=2000)],
    )


class WithdrawForm(SignerMixin, PortalForm):
    """Take a consent back; door rights end after the notice."""

    version = HiddenField()
    reason = TextAreaField(_l("Why do you withdraw?"), validators=[Optional(), Length(max=2000)])
    understood = BooleanField(
        _l("I understand that a fitted unit will be removed after the notice period"),
        validators=[DataRequired(_l("Confirm that you understand what happens"))],
    )


class QuestionForm(PortalForm):
    """A question to the municipality about an entrance or the request."""

    entrance = HiddenField()
    text = TextAreaField(
        _l("Your question"),
        validators=[DataRequired(_l("Write your question")), Length(max=2000)],
    )


def version_of(form) -> int:
    """The version the page showed; -1 (never a version) when missing or not a number."""
    raw = (form.version.data or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else -1
