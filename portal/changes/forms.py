"""Change forms: shape only; the rules (dates, providers, districts) are the services'."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from portal.citizens.validation import PersonName, SingleLine
from portal.web.dates import DATE_MESSAGE, DayField
from portal.web.forms import PortalForm

TEXT_MAX = 1000


def _offered(field) -> bool:
    return not field.data or field.data in {value for value, _label in field.choices}


class OfferedRadio(RadioField):
    """A radio question whose answer must be one of the choices shown."""

    def __init__(self, label, message, **kwargs):
        super().__init__(
            label, choices=[], validate_choice=False, validators=[InputRequired(message)], **kwargs
        )

    def pre_validate(self, form):
        """Refuse a value that was not offered (a forged or stale answer)."""
        if not _offered(self):
            raise ValidationError(_l("Choose one of the answers shown"))


def _text(label, max_len, required_message=None, *, person=False):
    """A one-line text (an address, a name): it goes into letters and the register as it is.
    `person`: it names a person (portal.web.text.PersonName: at least one letter), and only
    spaces is no answer."""
    required = DataRequired if person else InputRequired
    validators = [required(required_message)] if required_message else [Optional()]
    validators.append(
        Length(
            max=max_len,
            message=lazy_ngettext(
                "Write at most %(num)s character", "Write at most %(num)s characters", max_len
            ),
        )
    )
    validators.append(PersonName() if person else SingleLine())
    return StringField(label, validators=validators)


def _date(label):
    # The picker's date, worded without a format (portal.web.dates).
    return DayField(label, validators=[InputRequired(DATE_MESSAGE)])


class ProviderForm(PortalForm):
    provider = OfferedRadio(_l("Which provider do you want?"), _l("Choose a provider"))


class DateForm(PortalForm):
    effective_on = _date(_l("Date"))


class InsideForm(PortalForm):
    inside = OfferedRadio(_l("Are you moving within the municipality?"), _l("Answer yes or no"))


class AddressForm(PortalForm):
    address = _text(_l("Street and number"), 200, _l("Enter the street and number"))
    postcode = StringField(
        _l("Postcode"),
        validators=[
            InputRequired(_l("Enter the postcode")),
            Length(min=3, max=10, message=_l("Enter a postcode of 3 to 10 characters")),
        ],
    )
    city = _text(_l("Town"), 100, _l("Enter the town"))

    def validate_postcode(self, field):
        """Digits and spaces only (4 digits in Denmark, 5 in Sweden)."""
        if not field.data.replace(" ", "").isdigit():
            raise ValidationError(_l("Enter the postcode in digits"))


class ReasonForm(PortalForm):
    reason = OfferedRadio(_l("What has changed?"), _l("Choose what has changed"))


class AlternativeForm(PortalForm):
    alternative = OfferedRadio(
        _l("How will home care get in instead?"), _l("Choose how home care will get in")
    )


class EstateForm(PortalForm):
    estate_contact = _text(
        _l("Contact person for the estate"),
        300,
        _l("Enter a contact person for the estate"),
        person=True,
    )


class QuestionForm(PortalForm):
    question = TextAreaField(
        _l("Question to the citizen"),
        validators=[InputRequired(_l("Write the question")), Length(max=TEXT_MAX)],
    )


class AnswerForm(PortalForm):
    answer = TextAreaField(
        _l("Your answer"),
        validators=[InputRequired(_l("Write your answer")), Length(max=TEXT_MAX)],
    )


class RefuseForm(PortalForm):
    reason = TextAreaField(
        _l("Reason for refusing"),
        validators=[InputRequired(_l("Write the reason")), Length(max=TEXT_MAX)],
    )


class CancelForm(PortalForm):
    reason = TextAreaField(
        _l("Why is the change cancelled?"),
        validators=[InputRequired(_l("Write why the change is cancelled")), Length(max=TEXT_MAX)],
    )


class ApproveForm(PortalForm):
    effective_on = _date(_l("Effective date"))
    provider = SelectField(_l("Provider at the new address"), choices=[], validate_choice=False)


class WithdrawForm(PortalForm):
    """The "Yes, withdraw" of the confirmation page: a POST without it withdraws nothing."""

    confirm = HiddenField(validators=[InputRequired(), AnyOf(["yes"])])


class DocumentForm(PortalForm):
    # Pressing "Attach" without a file is a missing file, not a file of the wrong type.
    document = FileField(
        _l("Attach a document"), validators=[FileRequired(_l("Choose a file to attach."))]
    )


class FilterForm(PortalForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), choices=[], validate_choice=False)
    status = SelectField(_l("Status"), choices=[], validate_choice=False)
    district = SelectField(_l("District"), choices=[], validate_choice=False)


class RegisterForm(PortalForm):
    """A coordinator registers a change from a phone call or the care system, all at once."""

    source = OfferedRadio(_l("Where does the change come from?"), _l("Choose where it comes from"))
    effective_on = _date(_l("Effective date"))
    provider = SelectField(_l("Provider"), choices=[], validate_choice=False)
    inside = SelectField(_l("Within the municipality"), choices=[], validate_choice=False)
    address = _text(_l("Street and number"), 200)
    postcode = _text(_l("Postcode"), 10)
    city = _text(_l("Town"), 100)
    district = SelectField(_l("District"), choices=[], validate_choice=False)
    reason = SelectField(_l("Reason"), choices=[], validate_choice=False)
    alternative = SelectField(_l("Way in instead"), choices=[], validate_choice=False)
    estate_contact = _text(_l("Contact person for the estate"), 300, person=True)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=TEXT_MAX)])
