"""Letters on the citizen's own page and on the coordinator's citizen page."""

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from portal.extensions import db
from portal.letters import services
from portal.letters.forms import ActionForm
from portal.letters.models import Letter
from portal.web.panels import panel


def _open_appointment(citizen_id: int):
    """The citizen's booked appointment, if the booking feature is there and one exists."""
    try:
        from portal.booking.models import Appointment
    except ImportError:  # pragma: no cover - letters work without booking
        return None
    return db.session.scalar(
        select(Appointment)
        .where(Appointment.citizen_id == citizen_id, Appointment.status == "booked")
        .order_by(Appointment.id.desc())
        .limit(1)
    )


@panel("citizen_home", order=30)
def citizen_letters(citizen, principal) -> Markup:
    """Download your own letter (and your booking confirmation); when it was posted."""
    posted = db.session.scalar(
        select(Letter.posted_at)
        .where(
            Letter.citizen_id == citizen.id,
            Letter.kind == "information",
            Letter.posted_at.is_not(None),
        )
        .order_by(Letter.posted_at.desc())
        .limit(1)
    )
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "letters/_home_panel.html",
            citizen=citizen,
            posted=posted,
            appointment=_open_appointment(citizen.id),
        )
    )


@panel("citizen_detail", order=40)
def citizen_letter_record(citizen) -> Markup | None:
    """Which letter was sent when, with a reprint; coordinators only (the letter has the code)."""
    if getattr(current_user, "role", None) != "coordinator":
        return None
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "letters/_detail_panel.html",
            citizen=citizen,
            letters=services.letters_of(db.session, citizen.id),
            form=ActionForm(),
        )
    )
