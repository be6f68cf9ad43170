"""The charts and tables of the insight pages, built from the figures (no request, no session)."""

from datetime import date

from babel.dates import format_skeleton
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _

from portal.insights import charts
from portal.insights.fleet import BANDS
from portal.insights.progress import SERIES


def day_label(day: date) -> str:
    """A short day label: day and month, as the language writes them ("6. nov." in Danish,
    "6 nov." in Swedish, "6 Nov" in English)."""
    return format_skeleton("MMMd", day, locale=get_locale())


def week_label(monday: date) -> str:
    """A week by its ISO number."""
    return _("Week %(number)s", number=monday.isocalendar().week)


def share_text(share: float | None) -> str:
    """A share as a percentage, or a dash when there is nothing to share."""
    return "–" if share is None else format_percent(share, "#,##0.#%")


def per_day_chart(key, title, desc, counts: dict[date, int]) -> charts.Chart:
    """One bar per day."""
    days = list(counts)
    return charts.bar_chart(
        key, title, desc, [day_label(d) for d in days], [[counts[d]] for d in days], fmt=number
    )


def hours_chart(hours: dict[date, float]) -> charts.Chart:
    """Hours at the citizen per week."""
    weeks = list(hours)
    return charts.bar_chart(
        "hours",
        _("Time at the citizen per week"),
        _("Hours of closed visits in each week. The numbers are in the table beside the chart."),
        [week_label(w) for w in weeks],
        [[hours[w]] for w in weeks],
        fmt=hours_text,
    )


def window_chart(weeks) -> charts.Chart:
    """Percent of visits outside their shift per week."""
    return charts.bar_chart(
        "window",
        _("Share of visits outside the planned window"),
        _(
            "Percent of each week's visits that began before or ended after the staff member's "
            "shift. The numbers are in the table beside the chart."
        ),
        [week_label(w.week) for w in weeks],
        [[round(100 * (w.share or 0), 1)] for w in weeks],
        fmt=lambda v: f"{number(v)} %",
    )


def progress_chart(district) -> charts.Chart:
    """Letters sent, booked and fitted per week for one district."""
    weeks = list(district.weeks)
    return charts.bar_chart(
        f"progress-{district.district.id}",
        _("Roll-out in %(district)s", district=district.district.name),
        _(
            "Letters sent, fittings booked and locks fitted in each week. The numbers are in the "
            "table beside the chart."
        ),
        [week_label(w) for w in weeks],
        [district.weeks[w] for w in weeks],
        series=series_names(),
        fmt=number,
    )


def series_names() -> list[str]:
    """The roll-out series in the order of progress.SERIES."""
    names = {"letters_sent": _("Letters sent"), "booked": _("Booked"), "fitted": _("Fitted")}
    return [names[key] for key in SERIES]


def band_labels() -> list[str]:
    """0–9 %, 10–19 % ... 90–100 %."""
    return [f"{10 * n}–{10 * n + 9 if n < BANDS - 1 else 100} %" for n in range(BANDS)]


def battery_chart(counts: list[int]) -> charts.Chart:
    """Fitted units per battery band."""
    return charts.bar_chart(
        "battery",
        _("Battery levels across the fleet"),
        _(
            "How many fitted units last reported a level in each band. The numbers are in the "
            "table beside the chart."
        ),
        band_labels(),
        [[n] for n in counts],
        fmt=number,
    )


def reason_label(reason: str) -> str:
    """A denial reason in words."""
    words = {
        "bad_signature": _("Key not signed by the municipality"),
        "unknown_issuer": _("Key from an unknown or retired issuer"),
        "not_yet_valid": _("Key not valid yet"),
        "expired": _("Key expired"),
        "wrong_lock": _("Key not for this lock"),
        "revoked": _("Key, phone or staff member revoked"),
        "bad_device_proof": _("Phone could not prove it holds the key"),
        "replayed_nonce": _("Replayed or late answer"),
        "malformed": _("Unreadable answer"),
        "lifetime_too_long": _("Key valid for too long"),
    }
    return words.get(reason, reason)


def number(value) -> str:
    """A number in the user's locale."""
    return format_decimal(value)


def hours_text(hours: float) -> str:
    """Hours as people read a length of time ("5 h 33 min"), as the billing report writes it:
    a decimal 5,55 reads like five hours fifty-five."""
    minutes = round(hours * 60)
    return _("%(hours)s h %(minutes)s min", hours=minutes // 60, minutes=minutes % 60)


def day_rows(counts: dict[date, float]) -> list[list]:
    """Table rows: day, number."""
    return [[day_label(day), number(value)] for day, value in counts.items()]


def week_rows(weeks: dict[date, object], fmt=number) -> list[list]:
    """Table rows: week, then its number or numbers (written by `fmt`)."""
    rows = []
    for monday, values in weeks.items():
        values = values if isinstance(values, list) else [values]
        rows.append([week_label(monday), *(fmt(v) for v in values)])
    return rows


def band_rows(counts: list[int]) -> list[list]:
    """Table rows: battery band, units."""
    return [[label, number(n)] for label, n in zip(band_labels(), counts, strict=True)]
