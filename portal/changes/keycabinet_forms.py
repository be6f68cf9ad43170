"""Key cabinet forms: shape only (who may act on what, and the key rules, are in the service)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.citizens.validation import PersonName
from portal.web.dates import DATE_MESSAGE, DayField
from portal.web.forms import PortalForm


def _length(n: int):
    return Length(
        max=n,
        message=lazy_ngettext(
            "Write at most %(num)s character", "Write at most %(num)s characters", n
        ),
    )


class CabinetForm(PortalForm):
    """A new key cabinet."""

    name = StringField(
        _l("Name of the cabinet"),
        validators=[InputRequired(_l("Enter a name for the cabinet")), _length(100)],
    )
    location = StringField(
        _l("Where is it?"),
        validators=[InputRequired(_l("Enter where the cabinet is")), _length(200)],
    )


class KeyKindRadios(RadioField):
    """Day or night, with the portal's own message for anything else."""

    def pre_validate(self, form):
        """The value must be one of the choices."""
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("Choose day key or night key")) from None


class StoreKeyForm(PortalForm):
    """A citizen's key put in the cabinet."""

    citizen = StringField(
        _l("Citizen"),
        validators=[
            InputRequired(_l("Enter the citizen's id from the care system, or their name")),
            _length(200),
        ],
    )
    kind = KeyKindRadios(
        _l("Which key?"),
        choices=[("day", _l("Day key")), ("night", _l("Night key"))],
        validators=[InputRequired(_l("Choose day key or night key"))],
    )
    tag = StringField(
        _l("Tag number on the key"),
        validators=[InputRequired(_l("Enter the tag number on the key")), _length(40)],
    )


class KeyActionForm(PortalForm):
    """Hand a key out or put it back: always with a person's name."""

    person = StringField(
        _l("Name of the person"),
        validators=[DataRequired(_l("Enter the name of the person")), _length(200), PersonName()],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), _length(500)])


class MoveKeyForm(PortalForm):
    """Move a key to another cabinet (after a provider switch: the new provider's)."""

    cabinet = SelectField(
        _l("To which cabinet?"),
        choices=[],
        validators=[InputRequired(_l("Choose the cabinet"))],
        validate_choice=False,
    )
    person = StringField(
        _l("Who carries the key there?"),
        validators=[DataRequired(_l("Enter the name of the person")), _length(200), PersonName()],
    )


class RecipientRadios(KeyKindRadios):
    """Who received the key, with the portal's own message for anything else."""

    def pre_validate(self, form):
        """The value must be one of the choices."""
        try:
            RadioField.pre_validate(self, form)
        except ValidationError:
            raise ValidationError(_l("Choose who received the key")) from None


class HandBackForm(PortalForm):
    """The key handed back for good: who received it, their name, and the day."""

    recipient = RecipientRadios(
        _l("Who received the key?"),
        choices=[
            ("citizen", _l("The citizen")),
            ("relative", _l("A relative")),
            ("estate", _l("The estate's representative")),
        ],
        validators=[InputRequired(_l("Choose who received the key"))],
    )
    person = StringField(
        _l("Name of the person who received the key"),
        # Only spaces is no name; only dots, dashes or emoji neither (the portal's name rule).
        validators=[DataRequired(_l("Enter the name of the person")), _length(200), PersonName()],
    )
    received_on = DayField(_l("Day of the hand-back"), validators=[InputRequired(DATE_MESSAGE)])
    note = TextAreaField(_l("Note"), validators=[Optional(), _length(500)])


class CorrectHandBackForm(PortalForm):
    """A coordinator undoes a mistaken hand-back, saying why."""

    reason = TextAreaField(
        _l("Why is the hand-back a mistake?"),
        validators=[InputRequired(_l("Write why the hand-back is a mistake")), _length(500)],
    )
