"""The export buttons and the retention periods: shape only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, StopValidation

from portal.privacy.catalog import KINDS
from portal.privacy.retention import MAX_DAYS, MIN_DAYS
from portal.web.forms import PortalForm

RANGE = _l("Enter a whole number of days from %(low)s to %(high)s.", low=MIN_DAYS, high=MAX_DAYS)


class ExportForm(FlaskForm):
    """A download button: the CSRF token is the whole form."""


def _short(form, field):
    # Hundreds of digits would overflow NumberRange's float check: refuse them first.
    if len((field.raw_data or [""])[0].strip()) > len(str(MAX_DAYS)):
        raise StopValidation(str(RANGE))


def _days_field(kind):
    return IntegerField(
        kind.label,
        validators=[
            InputRequired(_l("Enter a number of days.")),
            _short,
            NumberRange(MIN_DAYS, MAX_DAYS, RANGE),
        ],
    )


class RetentionForm(PortalForm):
    """Days each kind of data is kept after care ended (one field per kind)."""


for _kind in KINDS:
    setattr(RetentionForm, _kind.key, _days_field(_kind))
