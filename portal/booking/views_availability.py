"""Locksmith availability pages: add, change, remove; affected bookings are listed, never lost."""

from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal import clock
from portal.booking import bp, planning, queries
from portal.booking.models import Availability
from portal.extensions import db
from portal.rollout import queries as rollout_queries
from portal.rollout.forms import AvailabilityForm, RemoveAvailabilityForm, weekdays_text
from portal.rollout.models import Campaign
from portal.unit_of_work import STALE
from portal.web.auth import role_required
from portal.web.params import to_id

coordinator_required = role_required("coordinator")


def _choices(form: AvailabilityForm) -> None:
    locksmiths = queries.active_locksmiths(db.session)
    campaigns = rollout_queries.open_campaigns(db.session)
    form.locksmith.choices = [("", _("Choose a locksmith"))] + [
        (str(u.id), u.name) for u in locksmiths
    ]
    form.campaign.choices = [(str(c.id), f"{c.district.name}: {c.name}") for c in campaigns]


def _report(result: planning.PlanResult, removed: bool = False) -> None:
    withdrawn = ngettext("%(num)s time withdrawn", "%(num)s times withdrawn", result.withdrawn)
    if removed:
        flash(_("Availability removed: %(withdrawn)s.", withdrawn=withdrawn), "success")
    else:
        created = ngettext("%(num)s new time", "%(num)s new times", result.created)
        message = _(
            "Availability saved: %(created)s, %(withdrawn)s.", created=created, withdrawn=withdrawn
        )
        flash(message, "success")
    if result.affected and removed:
        flash(
            ngettext(
                "%(num)s booking was in the removed hours and needs a new time. "
                "It is kept until you move it.",
                "%(num)s bookings were in the removed hours and need a new time. "
                "They are kept until you move them.",
                len(result.affected),
            ),
            "warning",
        )
    elif result.affected:
        flash(
            ngettext(
                "%(num)s booking is outside the new hours and needs a new time. "
                "It is kept until you move it.",
                "%(num)s bookings are outside the new hours and need a new time. "
                "They are kept until you move them.",
                len(result.affected),
            ),
            "warning",
        )


def _save(form: AvailabilityForm, availability_id: int | None):
    campaign = db.session.get(Campaign, int(form.campaign.data))
    window = planning.Window(
        starts_on=form.starts_on.data or campaign.starts_on,
        ends_on=form.ends_on.data or campaign.ends_on,
        weekdays="".join(sorted(set(form.weekdays.data))),
        day_start=form.day_start.data,
        day_end=form.day_end.data,
    )
    cfg = current_app.config
    return planning.save_availability(
        db.session,
        campaign_id=campaign.id,
        locksmith_id=int(form.locksmith.data),
        window=window,
        now=clock.now(),
        actor=current_user.actor,
        country=cfg["COUNTRY"],
        tz=ZoneInfo(cfg["TIMEZONE"]),
        availability_id=availability_id,
        # A change without a readable version (an old or altered page) is never saved blind.
        expected_version=(to_id(form.version.data) or 0) if availability_id else None,
    )


def _form_page(form, campaign, availability=None):
    if form.validate_on_submit() and form.check_window():
        try:
            result = _save(form, availability.id if availability else None)
        except planning.OverlappingAvailability as exc:
            db.session.rollback()
            form.day_start.errors.append(
                _(
                    "The locksmith already works in %(district)s at some of these times. "
                    "Change those hours first, or choose other days.",
                    district=exc.other.campaign.district.name,
                )
            )
        except planning.InvalidAvailability:
            form.campaign.errors.append(_("Choose a campaign that is not closed"))
        except STALE:
            db.session.rollback()
            return _changed_elsewhere(form, campaign, availability.id)
        else:
            db.session.commit()
            _report(result)
            return redirect(
                url_for("rollout.campaign", campaign_id=result.availability.campaign_id), 303
            )
    return render_template(
        "booking/availability.html", form=form, campaign=campaign, availability=availability
    )


def _changed_elsewhere(form, campaign, availability_id: int):
    # What the user typed stays in the form; the saved state is shown beside it, and the form
    # now carries the saved version, so saving again deliberately replaces it.
    current = db.get_or_404(Availability, availability_id)
    form.version.data = str(current.version)
    form.version.errors = [
        _(
            "Someone else changed this availability while you were editing it. Their saved "
            "version is shown below; your changes are still in the form. Save again to replace "
            "theirs with yours."
        )
    ]
    return render_template(
        "booking/availability.html",
        form=form,
        campaign=campaign,
        availability=current,
        current=current,
        weekdays_text=weekdays_text,
    )


@bp.route("/coordinator/campaigns/<int:campaign_id>/availability/new", methods=["GET", "POST"])
@coordinator_required
def new_availability(campaign_id: int):
    """A locksmith's days and hours in a campaign's district; the slots follow at once."""
    campaign = db.get_or_404(Campaign, campaign_id)
    form = AvailabilityForm()
    _choices(form)
    if request.method == "GET":
        form.campaign.data = str(campaign.id)
        form.day_start.data, form.day_end.data = campaign.day_start, campaign.day_end
        form.weekdays.data = list(campaign.weekdays)
    return _form_page(form, campaign)


@bp.route("/coordinator/availability/<int:availability_id>", methods=["GET", "POST"])
@coordinator_required
def edit_availability(availability_id: int):
    """Change days or hours; bookings outside the new hours are listed for rebooking."""
    availability = db.get_or_404(Availability, availability_id)
    form = AvailabilityForm(obj=None)
    _choices(form)
    if request.method == "GET":
        form.locksmith.data = str(availability.locksmith_id)
        form.campaign.data = str(availability.campaign_id)
        form.starts_on.data, form.ends_on.data = availability.starts_on, availability.ends_on
        form.day_start.data, form.day_end.data = availability.day_start, availability.day_end
        form.weekdays.data = list(availability.weekdays)
        form.version.data = str(availability.version)
    return _form_page(form, availability.campaign, availability)


@bp.route("/coordinator/availability/<int:availability_id>/remove", methods=["GET", "POST"])
@coordinator_required
def remove_availability(availability_id: int):
    """Remove an availability; its bookings stay and are listed for rebooking."""
    availability = db.get_or_404(Availability, availability_id)
    campaign_id = availability.campaign_id
    form = RemoveAvailabilityForm()
    if form.validate_on_submit():
        try:
            result = planning.remove_availability(
                db.session,
                availability.id,
                now=clock.now(),
                actor=current_user.actor,
                expected_version=to_id(form.version.data) or 0,
            )
        except STALE:
            db.session.rollback()
            availability = db.get_or_404(Availability, availability_id)
            form.version.errors = [
                _(
                    "Someone else changed this availability after you opened this page. Check "
                    "what it is now, and confirm again if it should still be removed."
                )
            ]
        else:
            db.session.commit()
            _report(result, removed=True)
            return redirect(url_for("rollout.campaign", campaign_id=campaign_id), 303)
    form.version.data = str(availability.version)
    return render_template(
        "booking/availability_remove.html",
        form=form,
        availability=availability,
        weekdays_text=weekdays_text,
        to_move=queries.bookings_to_move(db.session, availability.id, clock.now()),
    )
