"""The citizen's booking questions, one thing per page: day -> time -> details -> check."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import inspect

from portal import clock
from portal.booking import bp, by_time, errors, services
from portal.booking.details import AccessDetails
from portal.booking.forms import ConfirmForm, DayForm, DetailsForm, TimeForm
from portal.booking.queries import free_days, free_times, open_booking_start
from portal.booking.web import (
    clear_wizard,
    cutoff,
    day_label,
    load_wizard,
    me,
    opener_labels,
    parse_day,
    parse_time_key,
    save_wizard,
    time_key,
    time_range,
)
from portal.citizens import closures, lifecycle
from portal.citizens.validation import display_phone, normalise_phone
from portal.extensions import db
from portal.web.auth import citizen_required
from portal.web.wording import worded


def _to(step: str):
    return redirect(url_for(f"booking.{step}"), 303)


def _wizard_or_redirect(citizen, *, booking_services_decide: bool = False):
    """The wizard state, or a redirect when the citizen may not (or no longer) book.

    When the request is about to book or rebook, the booking services refuse a citizen who
    may not (already booked, fitted, past the cut-off) inside the booking transaction, so the
    read here would only repeat their check one statement earlier.
    """
    state = load_wizard(citizen.id)
    if booking_services_decide:
        return state, None
    if closures.closure(db.session, citizen.id) is not None:  # care is ending: the start says so
        clear_wizard()
        return state, _to("start")
    if state.get("mode") == "change":
        booking = open_booking_start(db.session, citizen.id)
        if (
            booking is None
            or booking[0] != state.get("appointment")
            or not services.before_cutoff(booking[1], clock.now(), cutoff())
        ):
            clear_wizard()
            return state, _to("start")
    # A new booking: the statuses that may book (registered, letter sent, follow-up) are the
    # ones in which no booking can be open (citizens.lifecycle), so the status alone decides.
    elif not lifecycle.allowed("booked", citizen.status):
        clear_wizard()
        return state, _to("start")
    return state, None


@bp.route("/citizen/booking/day", methods=["GET", "POST"])
@citizen_required
def day():
    """Question 1: which day (only days with free times in the citizen's district)."""
    citizen = me()
    if request.args.get("start") == "new":
        save_wizard({"citizen": citizen.id, "mode": "new"})
    state, away = _wizard_or_redirect(citizen)
    if away:
        return away
    days = free_days(db.session, citizen.district_id, not_before=clock.now() + cutoff())
    form = DayForm(data={"day": state.get("day")})
    form.day.choices = [(d.isoformat(), day_label(d, n)) for d, n in days]
    if not days:
        return render_template("booking/no_times.html", citizen=citizen)
    if form.validate_on_submit():
        state["day"] = form.day.data
        state.pop("time", None)
        save_wizard(state)
        return _to("time")
    full = state.pop("day_full", False)
    if full:
        save_wizard(state)
    return render_template("booking/day.html", form=form, state=state, day_full=full)


@bp.route("/citizen/booking/time", methods=["GET", "POST"])
@citizen_required
def time():
    """Question 2: which time on that day."""
    citizen = me()
    state, away = _wizard_or_redirect(citizen)
    if away:
        return away
    chosen = parse_day(state.get("day"))
    if chosen is None:
        return _to("day")
    times = free_times(db.session, citizen.district_id, chosen, not_before=clock.now() + cutoff())
    if not times:
        state["day_full"] = True
        state.pop("day", None)
        save_wizard(state)
        return _to("day")
    keyed = {time_key(s): (s, e) for s, e in times}
    form = TimeForm(data={"time": state.get("time")})
    form.time.choices = [(key, time_range(s, e)) for key, (s, e) in keyed.items()]
    if form.validate_on_submit():
        state["time"], state["end"] = form.time.data, time_key(keyed[form.time.data][1])
        save_wizard(state)
        return _to("check" if state.get("details") else "details")
    taken = state.pop("taken", False)
    if taken:
        save_wizard(state)
    return render_template("booking/time.html", form=form, day=chosen, taken=taken)


def _details_defaults(citizen, state) -> dict:
    details = dict(state.get("details") or {})
    if not details:
        relative = current_user.relative if current_user.is_relative else None
        details = {"opener": "", "call_phone": (relative or citizen).phone, "interpreter": None}
    country = current_app.config["COUNTRY"]
    details["call_phone"] = display_phone(details.get("call_phone"), country)
    flag = details.get("interpreter")
    details["interpreter"] = None if flag is None else ("yes" if flag else "no")
    return details


@bp.route("/citizen/booking/details", methods=["GET", "POST"])
@citizen_required
def details():
    """Question 3: who opens the door, whom to call, codes, interpreter, anything else."""
    citizen = me()
    state, away = _wizard_or_redirect(citizen)
    if away:
        return away
    if not state.get("time"):
        return _to("time")
    form = DetailsForm(data=_details_defaults(citizen, state))
    labels = opener_labels(citizen, current_user.is_relative)
    form.opener.choices = list(labels.items())
    if form.validate_on_submit():
        # The form has checked the number (PhoneNumber), so this is its E.164 form.
        interpreter = form.interpreter.data == "yes"
        language = (form.interpreter_language.data or "").strip()
        state["details"] = AccessDetails(
            opener=form.opener.data,
            call_phone=normalise_phone(form.call_phone.data, current_app.config["COUNTRY"]),
            door_code=(form.door_code.data or "").strip() or None,
            interpreter=interpreter,
            interpreter_language=language if interpreter and language else None,
            note=(form.note.data or "").strip() or None,
        ).to_dict()
        save_wizard(state)
        return _to("check")
    return render_template("booking/details.html", form=form)


def _book(citizen, state, details: AccessDetails):
    starts = parse_time_key(state.get("time"))
    kwargs = {
        "now": clock.now(),
        "actor": current_user.actor,
        "details": details,
        "cutoff": cutoff(),
    }
    if starts is None:
        raise errors.SlotUnavailable()
    if state.get("mode") == "change":
        return by_time.rebook_time(db.session, state.get("appointment"), starts, **kwargs)
    return by_time.book_time(db.session, citizen.id, starts, **kwargs)


@bp.route("/citizen/booking/check", methods=["GET", "POST"])
@citizen_required
def check():
    """Check your answers, then book: exactly one of two people gets the last time."""
    citizen = me()
    state, away = _wizard_or_redirect(citizen, booking_services_decide=request.method == "POST")
    if away:
        return away
    starts, ends = parse_time_key(state.get("time")), parse_time_key(state.get("end"))
    if starts is None or ends is None:
        return _to("time")
    if not state.get("details"):
        return _to("details")
    details = AccessDetails.from_dict(state["details"])
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            appointment = _book(citizen, state, details)
        except errors.SlotUnavailable:
            state["taken"] = True
            state.pop("time", None)
            save_wizard(state)
            return _to("time")
        except errors.BookingClosed:  # a death reported meanwhile: the start page says why
            clear_wizard()
            return _to("start")
        except errors.BookingError:
            clear_wizard()
            flash(
                worded(
                    _l("Your booking has changed in the meantime. Here is how it stands."),
                    _l(
                        "The booking for %(name)s has changed in the meantime. Here is how it stands."
                    ),
                ),
                "info",
            )
            return _to("start")
        db.session.commit()
        done = "changed" if state.get("mode") == "change" else "booked"
        clear_wizard()
        # The id from the identity key: reading appointment.id would reload the whole row.
        appointment_id = inspect(appointment).identity[0]
        return redirect(
            url_for("booking.confirmation", appointment_id=appointment_id, done=done), 303
        )
    return render_template(
        "booking/check.html",
        form=form,
        state=state,
        starts=starts,
        ends=ends,
        details=details,
        openers=opener_labels(citizen, current_user.is_relative),
        phone=display_phone(details.call_phone, current_app.config["COUNTRY"]),
    )
