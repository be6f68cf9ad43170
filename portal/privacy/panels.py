"""The "Data protection" section of the coordinator's citizen page."""

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from portal.privacy.forms import ExportForm
from portal.web.panels import panel


@panel("citizen_detail", order=90)
def data_protection(citizen) -> Markup | None:
    """The access export buttons (JSON and PDF); coordinators only."""
    if getattr(current_user, "role", None) != "coordinator":
        return None
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template("privacy/_detail_panel.html", citizen=citizen, form=ExportForm())
    )
