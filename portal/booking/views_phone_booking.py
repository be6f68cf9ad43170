"""A phone booking from the coordinator's day board: find the citizen, book a free time for them."""

from datetime import timedelta

from flask import current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.booking import bp, errors, queries, services
from portal.booking.details import AccessDetails
from portal.booking.for_citizen import bookable, citizen_to_book, closed_matches, why_closed
from portal.booking.forms import PhoneBookingForm, no_nul
from portal.booking.models import Slot
from portal.booking.web import board_url, day_label, time_range
from portal.citizens.models import Citizen
from portal.citizens.validation import normalise_phone
from portal.extensions import db
from portal.phones import phone_message
from portal.web.auth import role_required
from portal.web.htmx import hx_redirect, render, wants_fragment

coordinator_required = role_required("coordinator")
MATCHES = 20


def _matches(district_id: int, text: str) -> list[Citizen]:
    return queries.bookable_citizens(db.session, district_id, text, limit=MATCHES)


def _citizen_choices(matches: list[Citizen], chosen: Citizen | None) -> list[tuple[str, str]]:
    people = [chosen] if chosen else []
    people += [c for c in matches if chosen is None or c.id != chosen.id]
    return [(str(c.id), f"{c.name}, {c.address}") for c in people]


@bp.route("/coordinator/slots/<int:slot_id>/book", methods=["GET", "POST"])
@coordinator_required
def book_for_citizen(slot_id: int):
    """A phone booking: find the citizen, enter the details, book this slot for them.

    The search only narrows what is shown; the POST accepts any bookable citizen of the slot's
    district (the live search may have shown other names than the page first did).
    """
    slot = db.get_or_404(Slot, slot_id)
    district_id = slot.campaign.district_id
    q = no_nul(request.values.get("q") or "")[:100]
    form = PhoneBookingForm(data={"interpreter": "no", "opener": "self"})
    chosen = (
        bookable(district_id, request.form.get("citizen")) if request.method == "POST" else None
    )
    if request.method == "GET" and (wanted := citizen_to_book(district_id)) is not None:
        chosen, form.citizen.data = wanted, str(wanted.id)  # from the follow-up list
    form.citizen.choices = _citizen_choices(_matches(district_id, q), chosen)
    problem = None
    if chosen is None:  # care is ending: say so rather than "not a valid choice"
        problem = why_closed(district_id, request.values.get("citizen"))
    if request.method == "POST" and problem is None and form.validate_on_submit():
        typed = (form.call_phone.data or "").strip() or (chosen.phone or "")
        phone = normalise_phone(typed, current_app.config["COUNTRY"])
        if phone is None:
            form.call_phone.errors.append(phone_message())
        else:
            details = AccessDetails(
                opener=form.opener.data,
                call_phone=phone,
                door_code=form.door_code.data,
                interpreter=form.interpreter.data == "yes",
                interpreter_language=form.interpreter_language.data,
                note=form.note.data,
            )
            try:
                services.book_slot(
                    db.session,
                    chosen.id,
                    slot.id,
                    now=clock.now(),
                    actor=current_user.actor,
                    details=details,
                    cutoff=timedelta(0),
                )
            except errors.AlreadyBooked:
                problem = _("This citizen already has a booking. Move that booking instead.")
            except errors.SlotUnavailable:
                problem = _("That time was just taken. Go back to the schedule and choose another.")
            except errors.BookingClosed:  # a death reported since the citizen was found
                problem = why_closed(district_id, chosen.id)
            except errors.NotBookable:
                problem = _("This citizen cannot be booked (already fitted or no longer active).")
            else:
                db.session.commit()
                flash(_("The time is booked."), "success")
                return hx_redirect(board_url(slot.campaign_id, slot.local_date))
    closed = closed_matches(district_id, q, MATCHES)  # shown with why, never offered
    if wants_fragment() and request.method == "GET":
        return render(
            "booking/_citizen_matches.html",
            "booking/_citizen_matches.html",
            form=form,
            q=q,
            closed=closed,
        )
    return render_template(
        "booking/book_for_citizen.html",
        form=form,
        slot=slot,
        q=q,
        closed=closed,
        problem=problem,
        when=day_label(slot.local_date) + ", " + time_range(slot.starts_at, slot.ends_at),
        back=board_url(slot.campaign_id, slot.local_date),
    )
