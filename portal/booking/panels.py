"""Booking panels on the citizen's own page and on the coordinator's citizen page."""

from flask import render_template
from markupsafe import Markup

from portal.booking import services
from portal.booking.queries import latest_appointment
from portal.booking.web import APPOINTMENT_STATUS_LABELS, cutoff, time_range
from portal.clock import utcnow
from portal.extensions import db
from portal.web.panels import panel


@panel("citizen_home", order=20)
def booking_status(citizen, principal):
    """Not booked / booked for DATE TIME with NAME / fitted on DATE / the municipality will call."""
    latest = latest_appointment(db.session, citizen.id)
    booked = latest is not None and latest.status == "booked"
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "booking/_status_panel.html",
            citizen=citizen,
            latest=latest,
            when=time_range(latest.starts_at, latest.ends_at) if latest else None,
            may_change=booked and services.may_change(latest, utcnow(), cutoff()),
        )
    )


@panel("citizen_detail", order=20)
def booking_for_coordinator(citizen):
    """The fitting on the coordinator's citizen page, with links to the board."""
    latest = latest_appointment(db.session, citizen.id)
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "booking/_detail_panel.html",
            citizen=citizen,
            latest=latest,
            when=time_range(latest.starts_at, latest.ends_at) if latest else None,
            appointment_statuses=APPOINTMENT_STATUS_LABELS,
        )
    )
