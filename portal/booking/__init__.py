"""Booking: the citizen's booking questions, and the coordinator's day board."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("booking", __name__)


def init_app(app):
    """Load the views and panels, follow the fitting jobs' results, add the navigation."""
    from portal.booking import (  # noqa: F401
        days_off,
        panels,
        tasks,
        views_availability,
        views_board,
        views_citizen,
        views_phone_booking,
        views_receipt,
    )
    from portal.booking.fitting_jobs import on_job_closed
    from portal.booking.web import APPOINTMENT_STATUS_LABELS
    from portal.locksmith.signals import job_closed
    from portal.web.panels import nav_item
    from portal.web.wording import Worded

    job_closed.connect(on_job_closed)

    app.jinja_env.globals.setdefault("appointment_statuses", APPOINTMENT_STATUS_LABELS)

    nav_item("citizen", "booking.start", Worded(_l("My fitting"), _l("Fitting")), order=20)
    nav_item("coordinator", "booking.board", _l("Schedule"), order=35)
