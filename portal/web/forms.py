"""Form plumbing shared by every feature: a base form that drops NUL characters from input."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired


def drop_nul(value):
    """Remove NUL characters from text (PostgreSQL refuses them; no keyboard types them)."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    return value


# For a FlaskForm field that is not on a PortalForm: `StringField(label, **TEXT, ...)`.
TEXT = {"filters": [drop_nul]}


class ConfirmForm(FlaskForm):
    """Only the CSRF token: confirm, cancel and similar one-button forms."""


class YesForm(FlaskForm):
    """The "Yes, ..." button of a confirmation page: a POST without it (a page from before the
    question was asked, a script, a stray Enter) is answered with the question, never acted on."""

    confirm = HiddenField(validators=[InputRequired(), AnyOf(["yes"])])


class PortalForm(FlaskForm):
    """FlaskForm whose every field drops NUL characters before validation and echoing back."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), drop_nul]
            return unbound_field.bind(form=form, filters=filters, **options)
