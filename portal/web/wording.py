"""Whom the citizen's pages speak to: the citizen as "you", a relative signed in on the
citizen's behalf about the citizen by name.

The one place that decides it. Templates read `acting_for()` (a template global) and pick
between two literal strings, the relative's with %(name)s:

    {% set who = acting_for() %}
    {{ _("Which day suits %(name)s?", name=who) if who else _("Which day suits you?") }}

Python code passes both lazy strings to `worded(own, relative)`, or, for a label made once
and shown on every page (a navigation item), to `Worded(own, relative)`.
"""

from flask import has_request_context
from flask_login import current_user
from markupsafe import escape


def acting_for() -> str | None:
    """The citizen's name when a relative is signed in on their behalf; None otherwise."""
    if not has_request_context() or not getattr(current_user, "is_relative", False):
        return None
    return current_user.citizen.name


def worded(own, relative, **values) -> str:
    """`own` for the citizen, `relative` (its %(name)s the citizen's name) for a relative."""
    name = acting_for()
    if name is not None:
        return str(relative) % {**values, "name": name}
    return str(own) % values if values else str(own)


class Worded:
    """A label worded when it is shown: `worded(own, relative)` for whoever is signed in."""

    def __init__(self, own, relative):
        self.own, self.relative = own, relative

    def __str__(self) -> str:
        return worded(self.own, self.relative)

    def __html__(self) -> str:
        return str(escape(str(self)))
