"""View helpers shared by the booking pages: config, the wizard state, labels, ownership."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, g, session, url_for
from flask_babel import format_date, format_time, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.booking.models import Appointment
from portal.extensions import db
from portal.web.auth import citizen_or_404
from portal.web.params import to_day

WIZARD = "booking"
KEY_FORMAT = "%Y%m%dT%H%M%SZ"


def cutoff() -> timedelta:
    """How long before a fitting citizens may still book, change or cancel it."""
    return timedelta(hours=float(current_app.config.get("BOOKING_CUTOFF_HOURS", 24)))


def municipality_tz() -> ZoneInfo:
    """The municipality's time zone."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def me():
    """The signed-in citizen, loaded fresh (relatives act for their citizen)."""
    return citizen_or_404(current_user.citizen.id)


def own_appointment_or_404(appointment_id: int) -> Appointment:
    """An appointment of the signed-in citizen; anybody else's is a 404."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.citizen_id != current_user.citizen.id:
        abort(404)
    return appointment


def load_wizard(citizen_id: int) -> dict:
    """The booking answers so far, for this citizen only."""
    state = session.get(WIZARD)
    if not isinstance(state, dict) or state.get("citizen") != citizen_id:
        return {"citizen": citizen_id, "mode": "new"}
    return dict(state)


def save_wizard(state: dict) -> None:
    """Keep the answers in the session."""
    session[WIZARD] = state


def clear_wizard() -> None:
    """Forget the answers (after booking or cancelling)."""
    session.pop(WIZARD, None)


def time_key(moment: datetime) -> str:
    """A UTC moment as a compact form value."""
    return moment.astimezone(UTC).strftime(KEY_FORMAT)


def parse_time_key(text: str | None) -> datetime | None:
    """The moment a form value names, or None for anything malformed."""
    try:
        return datetime.strptime(str(text or ""), KEY_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD day, or None."""
    return to_day(str(text or "")[:10])


def day_label(day: date, free: int | None = None) -> str:
    """ "Tuesday 24 November 2026" in the chosen language, with the number of free times."""
    text = format_date(day, "full")
    if free is None:
        return text
    return text + " – " + ngettext("%(num)s free time", "%(num)s free times", free)


def short_time() -> Callable[[datetime], str]:
    """A fast short-time formatter for this request's locale and the municipality's zone.

    Lists of times format dozens of values; Babel's pattern is looked up once and, when it
    is plain hours and minutes (Danish "HH.mm", Swedish "HH:mm"), applied with strftime.
    """
    cached = getattr(g, "_booking_short_time", None)
    if cached is not None:
        return cached
    locale, tz = get_locale(), municipality_tz()
    pattern = locale.time_formats["short"].pattern
    if set(pattern) <= set("Hm.:"):
        layout = pattern.replace("HH", "%H").replace("mm", "%M")
        cached = lambda moment: moment.astimezone(tz).strftime(layout)  # noqa: E731
    else:
        cached = lambda moment: format_time(moment, "short")  # noqa: E731
    g._booking_short_time = cached
    return cached


def time_range(starts: datetime, ends: datetime) -> str:
    """Start and end time such as "10:00 to 10:20" in the municipality's time zone."""
    pattern = getattr(g, "_booking_range_pattern", None)
    if pattern is None:
        pattern = g._booking_range_pattern = _("%(start)s to %(end)s")
    fmt = short_time()
    return pattern % {"start": fmt(starts), "end": fmt(ends)}


# Who opens the door, seen from the municipality (not from the person who booked): staff
# pages and the citizen's data export.
OPENERS = {
    "self": _l("The citizen"),
    "relative": _l("A relative"),
    "home_care": _l("Home care staff"),
}


def opener_labels(citizen, as_relative: bool) -> dict[str, str]:
    """Who opens the door, worded for the person filling in the form."""
    if as_relative:
        first = citizen.name.split(" ")[0]
        return {
            "self": _("%(name)s opens the door", name=first),
            "relative": _("I or another relative open the door"),
            "home_care": _("Home care staff open the door"),
        }
    return {
        "self": _("I open the door myself"),
        "relative": _("A relative opens the door"),
        "home_care": _("Home care staff open the door"),
    }


APPOINTMENT_STATUS_LABELS = {
    "booked": _l("Booked"),
    "completed": _l("Fitted"),
    "failed": _l("Not fitted"),
    "cancelled": _l("Cancelled"),
}


def board_url(campaign_id: int, day: date) -> str:
    """The coordinator's board of a campaign on a day."""
    return url_for("booking.board", campaign=campaign_id, day=day.isoformat())
