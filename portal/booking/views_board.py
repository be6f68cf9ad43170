"""The coordinator's day board: locksmiths as columns; move or cancel a booking.

Booking a free time on a citizen's behalf (a phone booking) is in views_phone_booking.
"""

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.booking import bp, closed_words, errors, queries, services
from portal.booking.days_off import holiday_name
from portal.booking.for_citizen import citizen_to_book, closed_in, first_free_day
from portal.booking.forms import ConfirmForm, MoveForm
from portal.booking.models import Appointment, Slot
from portal.booking.web import board_url, day_label, municipality_tz, parse_day, time_range
from portal.citizens import closures
from portal.extensions import db
from portal.rollout import queries as rollout_queries
from portal.rollout.models import Campaign
from portal.web.auth import role_required
from portal.web.htmx import hx_redirect, render, wants_fragment
from portal.web.params import id_arg, to_id

coordinator_required = role_required("coordinator")


def _today():
    return clock.now().astimezone(municipality_tz()).date()


def _pick_campaign(campaigns: list[Campaign]) -> Campaign | None:
    wanted = id_arg("campaign")
    for campaign in campaigns:
        if campaign.id == wanted:
            return campaign
    running = [c for c in campaigns if c.status == "running"]
    return (running or campaigns or [None])[0]


@bp.route("/coordinator/schedule")
@coordinator_required
def board():
    """One day of one campaign; the day and campaign are GET parameters (bookmarkable)."""
    campaigns = rollout_queries.open_campaigns(db.session)
    campaign = _pick_campaign(campaigns)
    if campaign is None:
        return render_template("booking/board.html", campaign=None, campaigns=[])
    days = queries.campaign_days(db.session, campaign.id)
    for_citizen = citizen_to_book(campaign.district_id)
    day = parse_day(request.args.get("day"))
    if day is None and for_citizen is not None:
        day = first_free_day(campaign.id, days)
    if day is None:
        later = [d for d in days if d >= _today()]
        day = later[0] if later else (days[-1] if days else campaign.starts_on)
    earlier = [d for d in days if d < day]
    later = [d for d in days if d > day]
    return render(
        "booking/board.html",
        "booking/_board_day.html",
        campaign=campaign,
        campaigns=campaigns,
        day=day,
        day_text=day_label(day),
        holiday=holiday_name(current_app.config["COUNTRY"], day),
        columns=queries.board(db.session, campaign.id, day),
        previous_day=earlier[-1] if earlier else None,
        next_day=later[0] if later else None,
        affected=queries.affected_appointments(db.session, campaign.id),
        form=ConfirmForm(),
        inline=wants_fragment(),
        now=clock.now(),
        for_citizen=for_citizen,
        closed=closed_in(campaign.district_id, request.args.get("citizen"))
        if for_citizen is None
        else None,
    )


@bp.route("/coordinator/appointments/<int:appointment_id>/cancel", methods=["GET", "POST"])
@coordinator_required
def coordinator_cancel(appointment_id: int):
    """Cancel a booking (no cut-off for the municipality); htmx swaps just the board entry."""
    appointment = db.get_or_404(Appointment, appointment_id)
    slot = appointment.slot
    form = ConfirmForm()
    if appointment.status == "booked" and _started(appointment):
        return _too_late(appointment)
    if appointment.status == "booked" and form.validate_on_submit():
        services.cancel(
            db.session, appointment.id, now=clock.now(), actor=current_user.actor, cutoff=None
        )
        db.session.commit()
        if wants_fragment():
            return _cancelled_fragment(slot.id, appointment.citizen.name)
        flash(_cancelled_message(appointment.citizen.name, slot), "success")
        return redirect(board_url(slot.campaign_id, slot.local_date), 303)
    if appointment.status != "booked":
        return redirect(board_url(slot.campaign_id, slot.local_date), 303)
    return render(
        "booking/coordinator_cancel.html",
        "booking/_coordinator_cancel.html",
        appointment=appointment,
        form=form,
        when=time_range(slot.starts_at, slot.ends_at),
        back=board_url(slot.campaign_id, slot.local_date),
        inline=wants_fragment(),
    )


def _started(appointment: Appointment) -> bool:
    """The visit's time has come: it is the locksmith's to report now, not to move or cancel."""
    return appointment.slot.starts_at <= clock.now()


def _too_late(appointment: Appointment):
    """Back to the board: a visit that has started is no longer moved or cancelled."""
    slot = appointment.slot
    flash(
        _(
            "The visit to %(name)s has already started, so it can no longer be moved or "
            "cancelled. The locksmith reports how it went.",
            name=appointment.citizen.name,
        ),
        "info",
    )
    return hx_redirect(board_url(slot.campaign_id, slot.local_date))


def _cancelled_message(name: str, slot: Slot) -> str:
    return _(
        "The booking of %(name)s at %(time)s is cancelled.",
        name=name,
        time=time_range(slot.starts_at, slot.ends_at),
    )


def _cancelled_fragment(slot_id: int, name: str):
    """The freed entry, and out of band its column's new count and a status message."""
    db.session.expire_all()
    slot = db.session.get(Slot, slot_id)
    columns = queries.board(db.session, slot.campaign_id, slot.local_date)
    column = next((c for c in columns if c.locksmith.id == slot.locksmith_id), None)
    message = _cancelled_message(name, slot)
    return render(
        "booking/_board_cancelled.html",
        "booking/_board_cancelled.html",
        entry=queries.BoardEntry(slot, None),
        column=column,
        message=message,
        now=clock.now(),
    )


def _slot_choices(campaign_id: int, day) -> list[tuple[str, str]]:
    slots = queries.free_slots(db.session, campaign_id, day, not_before=clock.now())
    return [(str(s.id), f"{time_range(s.starts_at, s.ends_at)}, {s.locksmith.name}") for s in slots]


@bp.route("/coordinator/appointments/<int:appointment_id>/move", methods=["GET", "POST"])
@coordinator_required
def move(appointment_id: int):
    """Move a booking to another free slot of the campaign (any day, any locksmith)."""
    appointment = db.get_or_404(Appointment, appointment_id)
    if appointment.status != "booked":
        abort(404)
    if _started(appointment):
        return _too_late(appointment)
    if (closure := closures.closure(db.session, appointment.citizen_id)) is not None:
        return _move_closed(appointment, closure)
    old = appointment.slot
    days = [d for d in queries.campaign_days(db.session, old.campaign_id) if d >= _today()]
    if days and not queries.free_slots(
        db.session, old.campaign_id, days[0], not_before=clock.now()
    ):
        days = days[1:]  # today's free times have all passed
    usual = old.local_date if old.local_date in days or not days else days[0]
    day = parse_day(request.values.get("day")) or usual
    form = MoveForm(prefix=f"move{appointment.id}")
    form.slot.choices = _slot_choices(old.campaign_id, day)
    taken = False
    if request.method == "POST" and not form.validate_on_submit():
        taken = _taken_meanwhile(form, old.campaign_id)
    elif request.method == "POST":
        try:
            moved = services.rebook(
                db.session,
                appointment.id,
                int(form.slot.data),
                now=clock.now(),
                actor=current_user.actor,
                cutoff=timedelta(0),
            )
        except errors.SlotUnavailable:
            taken = True
            form.slot.choices = _slot_choices(old.campaign_id, day)
        except errors.BookingClosed:  # a death reported since the form was read
            return _move_closed(appointment, closures.closure(db.session, appointment.citizen_id))
        else:
            db.session.commit()
            flash(
                _(
                    "The booking of %(name)s is moved to %(when)s.",
                    name=moved.citizen.name,
                    when=day_label(moved.slot.local_date)
                    + ", "
                    + time_range(moved.starts_at, moved.ends_at),
                ),
                "success",
            )
            return hx_redirect(board_url(moved.slot.campaign_id, moved.slot.local_date))
    return render(
        "booking/move.html",
        "booking/_move_form.html",
        appointment=appointment,
        form=form,
        day=day,
        days=days,
        taken=taken,
        day_label=day_label,
        when=time_range(old.starts_at, old.ends_at),
        inline=wants_fragment(),
        back=board_url(old.campaign_id, old.local_date),
    )


def _taken_meanwhile(form: MoveForm, campaign_id: int) -> bool:
    """The posted time is one of the campaign's but no longer free (booked since the form was
    read): the form says so once, in the alert, instead of "choose one of the times shown"."""
    slot_id = to_id((form.slot.raw_data or [None])[0])
    chosen = db.session.get(Slot, slot_id) if slot_id is not None else None
    offered = {value for value, _label in form.slot.choices}
    if chosen is None or chosen.campaign_id != campaign_id or str(chosen.id) in offered:
        return False
    form.slot.errors = []  # said once, by the alert, not again beside the field
    return True


def _move_closed(appointment: Appointment, closure):
    """Care is ending: the move page says why in words and offers only the cancellation."""
    old = appointment.slot
    return render(
        "booking/move.html",
        "booking/_move_form.html",
        appointment=appointment,
        form=None,
        closed=closed_words.for_coordinator(closure, appointment.citizen.name),
        cancelled_on_approval=not closure.decided,
        when=time_range(old.starts_at, old.ends_at),
        inline=wants_fragment(),
        back=board_url(old.campaign_id, old.local_date),
    )
