"""Register filters and the import upload: shape only."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from portal.citizens.lifecycle import LABELS as STATUS_LABELS
from portal.web.forms import PortalForm


class RegisterFilterForm(PortalForm):
    """The GET form above the register list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search name, address or id"), validators=[Optional(), Length(max=100)])
    district = SelectField(_l("District"), coerce=str, validators=[Optional()])
    provider = SelectField(_l("Provider"), coerce=str, validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[("", _l("All statuses"))] + list(STATUS_LABELS.items()),
        validators=[Optional()],
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100000)])


class ImportUploadForm(PortalForm):
    """The CSV file from the care system."""

    file = FileField(
        _l("CSV file from the care system"),
        validators=[FileRequired(_l("Choose a CSV file to import"))],
    )


class ImportConfirmForm(PortalForm):
    """Confirm a previewed import."""

    batch = HiddenField()
