"""Coordinator pages: campaigns with progress, one campaign, not booked, follow-up."""

from datetime import time

from babel.lists import format_list
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal import clock
from portal.booking.forms import ConfirmForm
from portal.booking.models import ACTIVE_STATUSES, Appointment, Availability, Slot
from portal.booking.queries import affected_appointments
from portal.citizens.forms import STATUS_LABELS
from portal.citizens.models import Citizen
from portal.citizens.validation import display_phone
from portal.extensions import db
from portal.locksmith.models import Job
from portal.rollout import bp, services
from portal.rollout.chart import SERIES, progress_chart
from portal.rollout.forms import CampaignForm, day_name
from portal.rollout.models import Campaign, District
from portal.web.auth import role_required

coordinator_required = role_required("coordinator")
WEEKDAY_DIGITS = "0123456"
CAMPAIGN_STATUS_LABELS = {
    "draft": _l("Not open yet"),
    "running": _l("Open for booking"),
    "closed": _l("Closed"),
}
FAIL_REASON_LABELS = {
    "not_home": _l("Nobody was at home"),
    "door_unsuitable": _l("The door is not suitable"),
    "declined": _l("The citizen declined"),
    "other": _l("Other reason"),
}


def weekdays_text(digits: str) -> str:
    """ "mandag og tirsdag" / "Monday and Tuesday" for "01", as the locale writes a list."""
    days = [day_name(int(d)) for d in sorted(set(digits)) if d in WEEKDAY_DIGITS]
    return format_list(days, locale=get_locale()) if days else ""


@bp.route("/coordinator/campaigns")
@coordinator_required
def campaigns():
    """Every campaign, and the progress per district as a chart and a table."""
    rows = services.progress(db.session)
    items = db.session.scalars(
        select(Campaign).options(joinedload(Campaign.district)).order_by(Campaign.starts_on.desc())
    ).all()
    return render_template(
        "rollout/campaigns.html",
        campaigns=items,
        rows=rows,
        chart=progress_chart(rows),
        series=SERIES,
        statuses=CAMPAIGN_STATUS_LABELS,
    )


@bp.route("/coordinator/campaigns/new", methods=["GET", "POST"])
@coordinator_required
def new_campaign():
    """A campaign for a district: dates, slot length, travel time, hours and weekdays."""
    form = CampaignForm()
    districts = db.session.scalars(select(District).order_by(District.name)).all()
    form.district.choices = [("", _("Choose a district"))] + [
        (str(d.id), d.name) for d in districts
    ]
    if request.method == "GET":
        form.day_start.data = form.day_start.data or time(8, 0)
        form.day_end.data = form.day_end.data or time(15, 30)
    if form.validate_on_submit() and form.check_window():
        settings = services.CampaignSettings(
            name=form.name.data.strip(),
            district_id=int(form.district.data),
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            day_start=form.day_start.data,
            day_end=form.day_end.data,
            weekdays="".join(sorted(set(form.weekdays.data))),
            slot_minutes=form.slot_minutes.data,
            buffer_minutes=form.buffer_minutes.data,
            status="running" if form.open_now.data else "draft",
        )
        campaign = services.create_campaign(
            db.session, settings, now=clock.now(), actor=current_user.actor
        )
        flash(_("The campaign is created. Now add the locksmiths' availability."), "success")
        return redirect(url_for("rollout.campaign", campaign_id=campaign.id), 303)
    return render_template("rollout/campaign_new.html", form=form)


def _availability_rows(campaign_id: int):
    counts = (
        select(
            Slot.availability_id,
            func.count(Slot.id),
            func.count(Appointment.id),
        )
        .outerjoin(
            Appointment, (Appointment.slot_id == Slot.id) & Appointment.status.in_(ACTIVE_STATUSES)
        )
        .where(Slot.campaign_id == campaign_id, Slot.status == "published")
        .group_by(Slot.availability_id)
    )
    by_id = {row[0]: (row[1], row[2]) for row in db.session.execute(counts)}
    items = db.session.scalars(
        select(Availability)
        .where(Availability.campaign_id == campaign_id)
        .options(joinedload(Availability.locksmith))
        .order_by(Availability.starts_on, Availability.id)
    ).all()
    return [(a, *by_id.get(a.id, (0, 0))) for a in items]


@bp.route("/coordinator/campaigns/<int:campaign_id>")
@coordinator_required
def campaign(campaign_id: int):
    """Settings, status, the locksmiths' availability and bookings that need a new time."""
    item = db.get_or_404(Campaign, campaign_id)
    return render_template(
        "rollout/campaign.html",
        campaign=item,
        form=ConfirmForm(),
        availability=_availability_rows(item.id),
        affected=affected_appointments(db.session, item.id),
        weekdays_text=weekdays_text,
        statuses=CAMPAIGN_STATUS_LABELS,
    )


@bp.route("/coordinator/campaigns/<int:campaign_id>/status", methods=["POST"])
@coordinator_required
def campaign_status(campaign_id: int):
    """Open a campaign for booking, or close it."""
    item = db.get_or_404(Campaign, campaign_id)
    status = request.form.get("status", "")
    if ConfirmForm().validate_on_submit() and status in CAMPAIGN_STATUS_LABELS:
        services.set_status(db.session, item.id, status, now=clock.now(), actor=current_user.actor)
        flash(
            _("The campaign is now: %(status)s.", status=CAMPAIGN_STATUS_LABELS[status]), "success"
        )
    return redirect(url_for("rollout.campaign", campaign_id=item.id), 303)


@bp.route("/coordinator/campaigns/<int:campaign_id>/not-booked")
@coordinator_required
def not_booked(campaign_id: int):
    """Citizens of the campaign's district without a booking, to call, with phone numbers."""
    item = db.get_or_404(Campaign, campaign_id)
    base = select(Citizen).where(
        Citizen.district_id == item.district_id,
        Citizen.status.in_(("registered", "letter_sent")),
    )
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    size = current_app.config.get("PAGE_SIZE", 25)
    pages = max(1, -(-total // size))
    page = request.args.get("page", "1")
    page = min(max(1, int(page)), pages) if page.isdigit() and len(page) < 7 else 1
    people = db.session.scalars(
        base.order_by(Citizen.name, Citizen.id).limit(size).offset((page - 1) * size)
    ).all()
    country = current_app.config["COUNTRY"]
    return render_template(
        "rollout/not_booked.html",
        campaign=item,
        citizens=people,
        total=total,
        page=page,
        pages=pages,
        statuses=STATUS_LABELS,
        phone=lambda v: display_phone(v, country),
        page_url=lambda n: url_for("rollout.not_booked", campaign_id=item.id, page=n),
    )


@bp.route("/coordinator/follow-up")
@coordinator_required
def follow_up():
    """Failed jobs whose citizen still needs a call: reason, note, phone, a way to rebook."""
    rows = db.session.execute(
        select(Appointment, Job)
        .join(Job, Job.appointment_id == Appointment.id)
        .join(Citizen, Citizen.id == Appointment.citizen_id)
        .where(Appointment.status == "failed", Citizen.status == "follow_up")
        .options(joinedload(Appointment.citizen), joinedload(Appointment.slot))
        .order_by(Job.reported_at.desc())
    ).all()
    country = current_app.config["COUNTRY"]
    return render_template(
        "rollout/follow_up.html",
        rows=rows,
        reasons=FAIL_REASON_LABELS,
        phone=lambda v: display_phone(v, country),
    )
