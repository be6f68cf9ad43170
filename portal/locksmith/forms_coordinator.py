"""The coordinator's job forms: filter the list, make a job by hand, assign, cancel."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from portal.locksmith.forms import (
    HAND_KINDS,
    KIND_LABELS,
    STATUS_LABELS,
    Choice,
    Radios,
)
from portal.web.dates import DATE_MESSAGE, DayField
from portal.web.forms import PortalForm


def _any(label):
    return [("", label)]


class JobFilterForm(PortalForm):
    """The job list's filters (a GET form: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    status = Choice(
        _l("Status"),
        choices=[*_any(_l("Any status")), ("todo", _l("Still to be done"))]
        + [(str(k), v) for k, v in STATUS_LABELS.items()],
        validators=[Optional()],
    )
    kind = Choice(
        _l("Kind"),
        choices=_any(_l("Any kind")) + [(str(k), v) for k, v in KIND_LABELS.items()],
        validators=[Optional()],
    )
    locksmith = Choice(_l("Locksmith"), choices=[], validators=[Optional()])
    day = DayField(_l("Day"), validators=[Optional()])

    def set_locksmiths(self, people) -> None:
        """The locksmiths to choose from."""
        self.locksmith.choices = _any(_l("Any locksmith")) + [(str(p.id), p.name) for p in people]


class AssignForm(PortalForm):
    """Give a job to a locksmith on a day."""

    locksmith = Choice(
        _l("Locksmith"), choices=[], validators=[InputRequired(_l("Choose a locksmith"))]
    )
    day = DayField(_l("Day"), validators=[InputRequired(DATE_MESSAGE)])

    def set_locksmiths(self, people) -> None:
        """The locksmiths to choose from."""
        self.locksmith.choices = _any(_l("Choose a locksmith")) + [
            (str(p.id), p.name) for p in people
        ]


class NewJobForm(AssignForm):
    """A job made by hand: what, where (a lock number, a citizen or an entrance), and for whom."""

    kind = Radios(
        _l("What is the job?"),
        choices=[(str(k), KIND_LABELS[k]) for k in HAND_KINDS],
        validators=[InputRequired(_l("Choose what the job is"))],
    )
    lock = StringField(
        _l("Lock number"),
        validators=[
            Optional(),
            Regexp(r"^\s*\d{1,10}\s*$", message=_l("A lock number is digits only")),
        ],
    )
    citizen = StringField(
        _l("Citizen's external id"),
        validators=[
            Optional(),
            Length(max=64, message=_l("An external id is at most 64 characters")),
        ],
    )
    entrance = Choice(_l("Building entrance"), choices=[], validators=[Optional()])
    instructions = TextAreaField(
        _l("What should the locksmith do?"),
        validators=[
            InputRequired(_l("Describe the job in a few words")),
            Length(max=2000, message=_l("Write at most 2000 characters")),
        ],
    )
    # Planning is optional here: the job can wait in the list until somebody is free.
    locksmith = Choice(_l("Locksmith"), choices=[], validators=[Optional()])
    day = DayField(_l("Day"), validators=[Optional()])

    def set_locksmiths(self, people) -> None:
        """The locksmiths to choose from (or nobody yet)."""
        self.locksmith.choices = _any(_l("Not yet")) + [(str(p.id), p.name) for p in people]

    def validate(self, extra_validators=None) -> bool:
        """The fields; then one place, and a locksmith and a day together or neither."""
        ok = super().validate(extra_validators)
        places = [f for f in (self.lock, self.citizen, self.entrance) if (f.data or "").strip()]
        if len(places) != 1:
            self.lock.errors = [
                *self.lock.errors,
                _l("Give one place: a lock number, a citizen's external id or an entrance"),
            ]
            ok = False
        if bool(self.locksmith.data) != bool(self.day.data) and not self.day.errors:
            self.day.errors = [
                *self.day.errors,
                _l("Choose both a locksmith and a day, or neither"),
            ]
            ok = False
        return ok


class CancelForm(PortalForm):
    """Cancel a job: why, for the record."""

    note = TextAreaField(
        _l("Why is the job cancelled?"),
        validators=[Optional(), Length(max=500, message=_l("Write at most 500 characters"))],
    )
