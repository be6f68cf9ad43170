"""The audit browser's search form (GET, shape only)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.web.dates import DATE_MESSAGE, to_date
from portal.web.forms import PortalForm


class AuditSearchForm(PortalForm):
    """Who, what, which object and when; every field optional."""

    class Meta:
        csrf = False

    actor = StringField(_l("Who (name or account)"), validators=[Optional(), Length(max=100)])
    action = StringField(_l("What (action)"), validators=[Optional(), Length(max=60)])
    object_type = StringField(_l("Object type"), validators=[Optional(), Length(max=40)])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    start = StringField(_l("From (date)"), validators=[Optional(), Length(max=10)])
    end = StringField(_l("To (date, included)"), validators=[Optional(), Length(max=10)])

    def validate_start(self, field):
        """A date as the picker sends it, or typed (portal.web.dates)."""
        if to_date(field.data) is None:
            raise ValidationError(DATE_MESSAGE)

    def validate_end(self, field):
        """A date, not before the start."""
        day = to_date(field.data)
        if day is None:
            raise ValidationError(DATE_MESSAGE)
        start = to_date(self.start.data)
        if start is not None and day < start:
            raise ValidationError(_l("The end date must not be before the start date."))
