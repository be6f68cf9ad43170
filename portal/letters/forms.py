"""Letter forms: shape only (the services decide what is allowed)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import DataRequired, Optional


class ChooseForm(FlaskForm):
    """Which letters: a campaign or district, optionally only citizens without a letter (GET)."""

    class Meta:
        csrf = False

    scope = SelectField(
        _l("Campaign or district"),
        validators=[DataRequired(_l("Choose a campaign or a district"))],
        validate_choice=False,
    )
    only_new = BooleanField(_l("Only citizens without a letter yet"), validators=[Optional()])


class StartForm(FlaskForm):
    """Start a batch for the shown choice."""

    scope = HiddenField(validators=[DataRequired()])
    only_new = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes a batch (cancel, resume, mark as posted): CSRF only."""
