"""Coordinator pages: campaigns with progress, one campaign, the citizens not booked."""

from datetime import time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import clock
from portal.citizens.validation import display_phone
from portal.directory import queries as directory
from portal.extensions import db
from portal.rollout import bp, queries, services
from portal.rollout.chart import SERIES, progress_chart
from portal.rollout.forms import CampaignForm, weekdays_text
from portal.rollout.models import Campaign
from portal.unit_of_work import STALE
from portal.web.auth import role_required
from portal.web.forms import ConfirmForm
from portal.web.pagination import paginate
from portal.web.params import to_id

coordinator_required = role_required("coordinator")
CAMPAIGN_STATUS_LABELS = {
    "draft": _l("Not open yet"),
    "running": _l("Open for booking"),
    "closed": _l("Closed"),
}


@bp.route("/coordinator/campaigns")
@coordinator_required
def campaigns():
    """Every campaign, and the progress per district as a chart and a table."""
    rows = services.progress(db.session)
    return render_template(
        "rollout/campaigns.html",
        campaigns=queries.campaigns_newest_first(db.session),
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
    districts = directory.districts(db.session, active_only=True)
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
        db.session.commit()
        flash(_("The campaign is created. Now add the locksmiths' availability."), "success")
        return redirect(url_for("rollout.campaign", campaign_id=campaign.id), 303)
    return render_template("rollout/campaign_new.html", form=form)


@bp.route("/coordinator/campaigns/<int:campaign_id>")
@coordinator_required
def campaign(campaign_id: int):
    """Settings and status; booking adds the availability and the bookings to move (a panel)."""
    item = db.get_or_404(Campaign, campaign_id)
    return render_template(
        "rollout/campaign.html",
        campaign=item,
        form=ConfirmForm(),
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
        try:
            services.set_status(
                db.session,
                item.id,
                status,
                now=clock.now(),
                actor=current_user.actor,
                expected_version=to_id(request.form.get("version")) or 0,
            )
        except STALE:
            db.session.rollback()
            current = db.get_or_404(Campaign, campaign_id)
            flash(
                _(
                    "Someone else changed this campaign while you were looking at it: it is "
                    "now %(status)s. Nothing was changed. Choose again if it still needs to "
                    "change.",
                    status=CAMPAIGN_STATUS_LABELS[current.status],
                ),
                "error",
            )
            return redirect(url_for("rollout.campaign", campaign_id=item.id), 303)
        db.session.commit()
        flash(
            _("The campaign is now: %(status)s.", status=CAMPAIGN_STATUS_LABELS[status]), "success"
        )
    return redirect(url_for("rollout.campaign", campaign_id=item.id), 303)


@bp.route("/coordinator/campaigns/<int:campaign_id>/not-booked")
@coordinator_required
def not_booked(campaign_id: int):
    """Citizens of the campaign's district without a booking, to call, with phone numbers."""
    item = db.get_or_404(Campaign, campaign_id)
    result = paginate(queries.not_booked(item.district_id))
    country = current_app.config["COUNTRY"]
    return render_template(
        "rollout/not_booked.html",
        campaign=item,
        citizens=result.items,
        total=result.total,
        page=result.page,
        pages=result.pages,
        phone=lambda v: display_phone(v, country),
        page_url=lambda n: url_for("rollout.not_booked", campaign_id=item.id, page=n),
    )
