"""Form plumbing shared by every feature: a base form that drops NUL characters from input."""

from flask_wtf import FlaskForm


def drop_nul(value):
    """Remove NUL characters from text (PostgreSQL refuses them; no keyboard types them)."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    return value


class PortalForm(FlaskForm):
    """FlaskForm whose every field drops NUL characters before validation and echoing back."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), drop_nul]
            return unbound_field.bind(form=form, filters=filters, **options)
