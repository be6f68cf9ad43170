"""Where the citizen's booking stands: overview, confirmation, calendar file, print, cancel."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.booking import bp, closed_words, done_by, errors, services
from portal.booking.details import AccessDetails
from portal.booking.emails import gets_reminder
from portal.booking.forms import ConfirmForm
from portal.booking.ics import calendar_file
from portal.booking.queries import free_days, latest_appointment
from portal.booking.services import open_booking
from portal.booking.web import (
    clear_wizard,
    cutoff,
    me,
    own_appointment_or_404,
    save_wizard,
    time_range,
)
from portal.citizens import closures
from portal.citizens.lifecycle import SELF_BOOKABLE
from portal.citizens.validation import display_phone
from portal.extensions import db
from portal.web.auth import citizen_required


def _letters_pdf(appointment):
    endpoint = "letters.booking_confirmation_pdf"
    if endpoint in current_app.view_functions and appointment.status == "booked":
        return url_for(endpoint, appointment_id=appointment.id)
    return None


@bp.route("/citizen/booking/")
@citizen_required
def start():
    """Booked, fitted, to be called, or not booked yet: what the citizen can do now."""
    citizen = me()
    booking = open_booking(db.session, citizen.id)
    latest = booking or latest_appointment(db.session, citizen.id)
    now = clock.now()
    closure = closures.closure(db.session, citizen.id)
    bookable = booking is None and citizen.status in SELF_BOOKABLE and closure is None
    has_days = bookable and bool(
        free_days(db.session, citizen.district_id, not_before=now + cutoff())
    )
    return render_template(
        "booking/start.html",
        citizen=citizen,
        booking=booking,
        latest=latest,
        has_days=has_days,
        closed=closed_words.no_booking(closure) if closure else None,
        booked_note=closed_words.booked_while_reported(closure) if closure else None,
        may_change=booking is not None and services.may_change(booking, now, cutoff()),
        deadline=booking.starts_at - cutoff() if booking else None,
        when=time_range(booking.starts_at, booking.ends_at) if booking else None,
        by_relative=done_by.by_relative(db.session, booking) if booking else None,
    )


@bp.route("/citizen/booking/change")
@citizen_required
def change():
    """Start the questions again to move the booking (answers filled in from the booking)."""
    citizen = me()
    booking = open_booking(db.session, citizen.id)
    if booking is None or not services.may_change(booking, clock.now(), cutoff()):
        return redirect(url_for("booking.start"), 303)
    save_wizard(
        {
            "citizen": citizen.id,
            "mode": "change",
            "appointment": booking.id,
            "details": AccessDetails.of(booking).to_dict(),
        }
    )
    return redirect(url_for("booking.day"), 303)


@bp.route("/citizen/booking/cancel", methods=["GET", "POST"])
@citizen_required
def cancel():
    """Are you sure? Then cancel (until the cut-off; after it, call the municipality)."""
    citizen = me()
    booking = open_booking(db.session, citizen.id)
    if booking is None or not services.may_change(booking, clock.now(), cutoff()):
        return redirect(url_for("booking.start"), 303)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.cancel(
                db.session, booking.id, now=clock.now(), actor=current_user.actor, cutoff=cutoff()
            )
        except errors.BookingError:
            return redirect(url_for("booking.start"), 303)
        db.session.commit()
        clear_wizard()
        if closures.closure(db.session, citizen.id) is not None:  # no new time can be booked
            flash(_("The booking is cancelled."), "success")
        else:
            flash(
                _("The booking is cancelled. You can book a new time whenever you like."),
                "success",
            )
        return redirect(url_for("booking.start"), 303)
    return render_template("booking/cancel.html", form=form, booking=booking)


def _receipt_context(appointment) -> dict:
    return {
        "appointment": appointment,
        "when": time_range(appointment.starts_at, appointment.ends_at),
        "deadline": appointment.starts_at - cutoff(),
        "may_change": appointment.status == "booked"
        and services.may_change(appointment, clock.now(), cutoff()),
        "pdf_url": _letters_pdf(appointment),
        "phone": display_phone(appointment.call_phone, current_app.config["COUNTRY"]),
        "reminder": gets_reminder(appointment, ZoneInfo(current_app.config["TIMEZONE"])),
    }


@bp.route("/citizen/booking/<int:appointment_id>")
@citizen_required
def confirmation(appointment_id: int):
    """The confirmation panel: reference, time in words, locksmith, door password, next steps."""
    appointment = own_appointment_or_404(appointment_id)
    done = request.args.get("done") if request.args.get("done") in ("booked", "changed") else None
    current = None
    if appointment.status == "cancelled":
        current = open_booking(db.session, appointment.citizen_id)
    return render_template(
        "booking/confirmation.html",
        done=done,
        current=current,
        may_book=appointment.citizen.status in SELF_BOOKABLE
        and closures.closure(db.session, appointment.citizen_id) is None,
        **_receipt_context(appointment),
    )


@bp.route("/citizen/booking/<int:appointment_id>/print")
@citizen_required
def printable(appointment_id: int):
    """A printable confirmation (the browser's print function makes paper or a PDF of it)."""
    appointment = own_appointment_or_404(appointment_id)
    if appointment.status != "booked":  # nothing left to confirm: the page says what happened
        return redirect(url_for("booking.confirmation", appointment_id=appointment.id), 303)
    return render_template("booking/print.html", **_receipt_context(appointment))


@bp.route("/citizen/booking/<int:appointment_id>/calendar.ics")
@citizen_required
def calendar(appointment_id: int):
    """The fitting as a calendar file; a cancelled fitting as its cancellation.

    Never the door password: calendar files sync to cloud calendars and are shared.
    """
    appointment = own_appointment_or_404(appointment_id)
    citizen = appointment.citizen
    config = current_app.config
    cancelled = appointment.status == "cancelled"
    description = "\n".join(
        [
            *([_("This fitting is cancelled.")] if cancelled else []),
            _("Booking reference: %(ref)s", ref=appointment.reference),
            _("Locksmith: %(name)s", name=appointment.locksmith_first_name),
            _("Questions? Phone %(phone)s.", phone=config["MUNICIPALITY_PHONE"]),
        ]
    )
    summary = _("Fitting of the keyless door lock")
    body = calendar_file(
        appointment,
        summary=_("Cancelled: %(summary)s", summary=summary) if cancelled else summary,
        description=description,
        location=f"{citizen.address}, {citizen.postcode} {citizen.city}",
        host=urlsplit(config.get("PORTAL_URL") or "http://portal").hostname or "portal",
        now=clock.now(),
        tz=config["TIMEZONE"],
        organizer=(config["MUNICIPALITY_NAME"], config.get("MUNICIPALITY_EMAIL")),
    )
    response = make_response(body)
    response.mimetype = "text/calendar"
    name = f"{_('booking')}-{appointment.reference}.ics"
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response
