"""The coordinator's "Add a staff account" form and the invited person's password form
(shape only: duplicates and the link's validity are the services' rules)."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length

from portal.accounts.forms import new_password, password_again
from portal.accounts.invitations import INVITABLE_ROLES
from portal.accounts.roles import ROLE_LABELS
from portal.i18n import LANGUAGE_NAMES
from portal.web.forms import PortalForm
from portal.web.text import PersonName

ROLE_MESSAGE = _l("Choose whether the new account is a locksmith or a coordinator")
LANGUAGE_MESSAGE = _l("Choose the language of the invitation e-mail")


class StaffAccountForm(PortalForm):
    """Name, e-mail address, role and the invitation's language."""

    name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(_l("Enter the full name")),
            Length(max=200, message=_l("The name is at most 200 characters")),
            PersonName(),
        ],
    )
    email = StringField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter the email address")),
            Length(max=254, message=_l("The email address is at most 254 characters")),
            Email(_l("Enter an email address like name@example.org")),
        ],
    )
    # A value that is not offered (a forged form) gets the same message as none chosen.
    role = RadioField(
        _l("Role"),
        choices=[(role, ROLE_LABELS[role]) for role in INVITABLE_ROLES],
        validate_choice=False,
        validators=[InputRequired(ROLE_MESSAGE), AnyOf(INVITABLE_ROLES, message=ROLE_MESSAGE)],
    )
    language = SelectField(
        _l("Language of the invitation e-mail"),
        choices=list(LANGUAGE_NAMES.items()),
        validate_choice=False,
        validators=[
            InputRequired(LANGUAGE_MESSAGE),
            AnyOf(tuple(LANGUAGE_NAMES), message=LANGUAGE_MESSAGE),
        ],
    )


class ChoosePasswordForm(PortalForm):
    """The new staff member's password (the portal's rule: 12 to 200 characters, typed twice)."""

    password = new_password(_l("Choose a password"), _l("Choose a password"))
    confirm = password_again(_l("Type the password again"), _l("Type the password again"))
