"""The token form: shape only (the service checks the scopes and the expiry)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from portal.directory.forms import CheckboxesField, too_long
from portal.web.forms import PortalForm

SCOPE_LABELS = {
    "citizens:write": _l("Push citizen changes (citizens:write)"),
    "visits:read": _l("Read visits (visits:read)"),
    "requests:read": _l("Read the status of requests (requests:read)"),
}
VALIDITY = [
    ("90", _l("90 days")),
    ("365", _l("One year")),
    ("30", _l("30 days")),
    ("0", _l("Until it is revoked")),
]


class TokenForm(PortalForm):
    """A new token: who uses it, what it may do, for which provider, for how long."""

    name = StringField(
        _l("Name of the client"),
        validators=[
            DataRequired(_l("Enter the name of the system that will use the token")),
            Length(max=120, message=too_long(120)),
        ],
    )
    scopes = CheckboxesField(
        _l("What it may do"),
        choices=list(SCOPE_LABELS.items()),
        validators=[DataRequired(_l("Choose at least one thing the token may do"))],
    )
    provider = SelectField(_l("Visits of one provider only"), choices=[])
    valid = SelectField(_l("Valid for"), choices=VALIDITY)
