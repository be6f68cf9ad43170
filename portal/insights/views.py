"""The insight pages: charts (coordinators; provider admins for their own visits), the battery
fleet with its routes, and operational health (coordinators)."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal import clock
from portal.directory.models import District
from portal.extensions import db
from portal.insights import bp, figures, fleet, health, progress, visit_figures
from portal.insights.period import DEFAULT_DAYS, MAX_DAYS, Period
from portal.insights.route_jobs import create_route_jobs
from portal.web.auth import role_required
from portal.web.forms import ConfirmForm
from portal.web.htmx import render
from portal.web.params import MAX_ID, int_arg, text_arg, to_int

coordinator_required = role_required("coordinator")


def _number(name: str, low: int, high: int, default: int) -> tuple[int, str | None]:
    """?name= as a whole number from low to high (else `default`), and the text of a value that
    was given but refused (the page says so and keeps it in the box); None when fine or absent."""
    asked = int_arg(name, low, high)
    given = bool(str(request.args.get(name) or "").strip())
    refused = text_arg(name, 10) if asked is None and given else None
    return (default if asked is None else asked), refused


def _period() -> tuple[Period, str | None]:
    """The period asked for, and the text of a ?days= that was refused (the default is shown
    then, and the page says so); None when it was fine or absent."""
    days, refused = _number("days", 1, MAX_DAYS, DEFAULT_DAYS)
    return Period.ending_today(clock.now(), current_app.config["TIMEZONE"], days), refused


@bp.route("/")
@role_required("coordinator", "provider_admin")
def charts():
    """Visits per day, time at the citizen, outside the window; for coordinators also the
    roll-out per district and the fleet's battery levels."""
    period, refused_days = _period()
    coordinator = current_user.role == "coordinator"
    # A provider admin without a provider sees no visits rather than everyone's.
    provider_id = None if coordinator else (current_user.provider_id or -1)
    per_day = visit_figures.visits_per_day(db.session, period, provider_id)
    hours = visit_figures.hours_per_week(db.session, period, provider_id)
    window = visit_figures.outside_window(db.session, period, provider_id)
    context = {
        "period": period,
        "refused_days": refused_days,
        "per_day": per_day,
        "per_day_chart": figures.per_day_chart(
            "visits",
            _("Visits per day"),
            _("How many visits began on each day. The numbers are in the table beside the chart."),
            per_day,
        ),
        "hours": hours,
        "hours_chart": figures.hours_chart(hours),
        "window": window,
        "window_chart": figures.window_chart(window),
        "coordinator": coordinator,
        "fig": figures,
    }
    if coordinator:
        districts = progress.progress_by_week(db.session, period)
        bands, unknown = fleet.battery_bands(db.session)
        context |= {
            "districts": [(d, figures.progress_chart(d)) for d in districts],
            "bands": bands,
            "unknown_battery": unknown,
            "battery_chart": figures.battery_chart(bands),
        }
    return render("insights/charts.html", "insights/charts.html", **context)


def _threshold(value) -> int:
    return to_int(value, 1, 100) or int(current_app.config["BATTERY_ROUTE_PERCENT"])


@bp.route("/battery")
@coordinator_required
def battery():
    """Low units grouped into routes by district, and units that have gone quiet; a refused
    limit or number of days is named, with the setting shown instead (as the period's days)."""
    config = current_app.config
    threshold, refused_threshold = _number(
        "threshold", 1, 100, int(config["BATTERY_ROUTE_PERCENT"])
    )
    silent_days, refused_days = _number("days", 1, MAX_DAYS, int(config["SILENT_UNIT_DAYS"]))
    low = fleet.low_units(db.session, threshold)
    silent = fleet.silent_units(db.session, now=clock.now(), days=silent_days)
    return render(
        "insights/battery.html",
        "insights/battery.html",
        threshold=threshold,
        refused_threshold=refused_threshold,
        silent_days=silent_days,
        refused_days=refused_days,
        routes=fleet.routes(low),
        more_low=len(low) > fleet.LIMIT,
        silent=silent[: fleet.LIMIT],
        more_silent=len(silent) > fleet.LIMIT,
        form=ConfirmForm(),
        limit=fleet.LIMIT,
    )


@bp.post("/battery/routes/<int:district_id>/jobs")
@coordinator_required
def route_jobs(district_id: int):
    """Open a battery change for every low unit of a route (district 0: no district)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if to_int(district_id, 0, MAX_ID) is None or (
        district_id and db.session.get(District, district_id) is None
    ):
        abort(404)
    threshold = _threshold(request.form.get("threshold"))
    result = create_route_jobs(
        db.session, district_id or None, threshold, now=clock.now(), actor=current_user.actor
    )
    db.session.commit()
    flash(
        ngettext(
            "%(num)d battery change created.", "%(num)d battery changes created.", result.created
        )
        + " "
        + ngettext(
            "%(num)d unit had one open already.",
            "%(num)d units had one open already.",
            result.already_open,
        ),
        "success",
    )
    return redirect(url_for("insights.battery", threshold=threshold), 303)


@bp.route("/health")
@coordinator_required
def operational_health():
    """Shift keys per day, denied openings, blocks, bulletins and the newest one's spread."""
    period, refused_days = _period()
    keys = health.keys_per_day(db.session, period)
    return render(
        "insights/health.html",
        "insights/health.html",
        period=period,
        refused_days=refused_days,
        keys=keys,
        keys_chart=figures.per_day_chart(
            "keys",
            _("Shift keys issued per day"),
            _(
                "How many shift keys were issued on each day. The numbers are in the table "
                "beside the chart."
            ),
            keys,
        ),
        denied=health.denied_by_reason(db.session, period),
        blocked=health.blocked(db.session, period),
        bulletins=health.bulletins_in(db.session, period),
        spread=health.spread(db.session),
        fig=figures,
    )
