"""Sections this feature adds to shared pages: the visit log on the citizen's own page and on
the coordinator's citizen page (with the citizen's lock units)."""

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from portal.access import visits
from portal.access.models import LockUnit
from portal.extensions import db
from portal.web.panels import panel

# Lines that features above add to the citizen's visit log (a provider switch, say):
# note(citizen) -> [(date, text)], shown newest first above the visits.
VISIT_LOG_NOTES: list = []


def visit_log_notes(citizen) -> list:
    """The registered notes about a citizen's visit log, newest first."""
    notes = [note for source in VISIT_LOG_NOTES for note in source(citizen)]
    return sorted(notes, key=lambda note: note[0], reverse=True)


@panel("citizen_home", order=40)
def citizen_visit_log(citizen, principal):
    """Who from home care came, when they arrived and left (the citizen's own door only)."""
    if principal.role != "citizen" or principal.citizen.id != citizen.id:
        return None
    rows = visits.for_citizen(db.session, citizen.id)
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "access/_visit_log.html",
            visits=rows,
            heading_level=2,
            notes=visit_log_notes(citizen),
        )
    )


@panel("citizen_detail", order=40)
def coordinator_locks_and_visits(citizen):
    """A coordinator sees the citizen's lock units and visit log (other roles do not)."""
    if getattr(current_user, "role", None) != "coordinator":
        return None
    units = db.session.scalars(select(LockUnit).where(LockUnit.citizen_id == citizen.id)).all()
    rows = visits.for_citizen(db.session, citizen.id)
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template("access/_citizen_locks.html", units=units, visits=rows)
    )
