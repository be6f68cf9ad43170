"""The export buttons and the retention periods: shape only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from portal.privacy.catalog import KINDS
from portal.privacy.retention import MAX_DAYS, MIN_DAYS
from portal.web.forms import PortalForm


class ExportForm(FlaskForm):
    """A download button: the CSRF token is the whole form."""


def _days_field(kind):
    return IntegerField(
        kind.label,
        validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(
                MIN_DAYS,
                MAX_DAYS,
                _l(
                    "Enter a whole number of days from %(low)s to %(high)s.",
                    low=MIN_DAYS,
                    high=MAX_DAYS,
                ),
            ),
        ],
    )


class RetentionForm(PortalForm):
    """Days each kind of data is kept after care ended (one field per kind)."""


for _kind in KINDS:
    setattr(RetentionForm, _kind.key, _days_field(_kind))
