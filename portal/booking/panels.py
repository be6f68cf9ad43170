"""Booking panels on the citizen's page, the coordinator's citizen page and campaign page."""

from flask import current_app, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from portal import clock
from portal.access.models import LockUnit
from portal.audit.queries import latest_for_object
from portal.booking import closed_words, done_by, for_citizen, queries, services
from portal.booking.models import Appointment
from portal.booking.queries import affected_appointments, latest_appointment
from portal.booking.web import APPOINTMENT_STATUS_LABELS, OPENERS, cutoff, time_range
from portal.citizens import closures
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.validation import display_phone
from portal.extensions import db
from portal.rollout.forms import weekdays_text
from portal.web.panels import panel

# Roles that need the door password and the access details (provider admins do not).
ACCESS_ROLES = ("coordinator", "locksmith")


@panel("citizen_home", order=20)
def booking_status(citizen, principal):
    """Not booked / booked for DATE TIME with NAME / fitted on DATE / the municipality will call."""
    latest = latest_appointment(db.session, citizen.id)
    booked = latest is not None and latest.status == "booked"
    now = clock.now()
    closure = closures.closure(db.session, citizen.id)
    has_days = (
        not booked
        and closure is None
        and bool(queries.free_days(db.session, citizen.district_id, not_before=now + cutoff()))
    )
    lock = _door_unit(citizen.id) is not None
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "booking/_status_panel.html",
            citizen=citizen,
            closed=closed_words.no_booking(closure) if closure else None,
            booked_note=closed_words.booked_while_reported(closure) if closure else None,
            lock_words=closed_words.lock_words(citizen.status, closure, lock),
            has_lock=lock,
            latest=latest,
            when=time_range(latest.starts_at, latest.ends_at) if latest else None,
            may_change=booked and services.may_change(latest, now, cutoff()),
            has_days=has_days,
        )
    )


def who(actor_text: str | None) -> tuple[str, str]:
    """(kind, name) of an actor as stored (see `done_by.who`)."""
    return done_by.who(db.session, actor_text)


def _door_unit(citizen_id: int, *, active_only: bool = True) -> LockUnit | None:
    """The citizen's latest door unit (only a unit still fitted, unless told otherwise)."""
    stmt = select(LockUnit).where(LockUnit.citizen_id == citizen_id, LockUnit.kind == "door")
    if active_only:
        stmt = stmt.where(LockUnit.active.is_(True))
    return db.session.scalar(stmt.order_by(LockUnit.installed_at.desc()).limit(1))


def _fitted_lock(citizen) -> tuple[LockUnit, tuple[str, str]] | None:
    """A fitted citizen's door unit and who registered it, when no booking tells the story."""
    if citizen.status != CitizenStatus.FITTED:
        return None
    unit = _door_unit(citizen.id, active_only=False)
    if unit is None:
        return None
    registered = latest_for_object(db.session, "lock_unit", unit.id, ("lock_unit_registered",))
    return unit, who(registered.actor if registered else None)


@panel("citizen_detail", order=20)
def booking_for_coordinator(citizen):
    """The fitting on the coordinator's citizen page: time, access details, who booked it."""
    latest = latest_appointment(db.session, citizen.id)
    fitted = _fitted_lock(citizen) if latest is None or latest.status == "cancelled" else None
    change = done_by.last_change(db.session, latest) if latest is not None else None
    country = current_app.config["COUNTRY"]
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "booking/_detail_panel.html",
            citizen=citizen,
            latest=latest,
            when=time_range(latest.starts_at, latest.ends_at) if latest else None,
            appointment_statuses=APPOINTMENT_STATUS_LABELS,
            openers=OPENERS,
            booked_by=who(latest.booked_by) if latest else None,
            change=change,
            changed_by=who(change.actor) if change else None,
            show_access=getattr(current_user, "role", None) in ACCESS_ROLES,
            phone=lambda value: display_phone(value, country),
            fitted=fitted,
            started=latest is not None and latest.starts_at <= clock.now(),
        )
    )


@panel("locksmith_job", order=10)
def access_for_job(job):
    """On a locksmith's fitting job: how to get in, as the citizen booked it."""
    if job.appointment_id is None:
        return None
    appointment = db.session.get(Appointment, job.appointment_id)
    country = current_app.config["COUNTRY"]
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "booking/_job_access.html",
            appointment=appointment,
            openers=OPENERS,
            appointment_statuses=APPOINTMENT_STATUS_LABELS,
            phone=lambda value: display_phone(value, country),
        )
    )


@panel("campaign_detail", order=20)
def campaign_availability(campaign):
    """The campaign page's locksmith availability and the bookings that need a new time."""
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "booking/_campaign_availability.html",
            campaign=campaign,
            availability=queries.availability_rows(db.session, campaign.id),
            affected=affected_appointments(db.session, campaign.id),
            weekdays_text=weekdays_text,
        )
    )


@panel("follow_up_job", order=10)
def rebook_link(job):
    """On the follow-up list: a link to the schedule of the failed booking's campaign, or why no
    new time can be booked once care is ending (with a link to the request)."""
    appointment = db.session.get(Appointment, job.appointment_id) if job.appointment_id else None
    if appointment is None:
        return None
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "booking/_rebook_link.html",
            appointment=appointment,
            citizen=job.citizen,
            closed=for_citizen.closed(job.citizen),
        )
    )
