"""Time at the citizen per provider per month (the billing basis): page, CSV and XLSX."""

from flask import request, url_for
from flask_babel import gettext as _

from portal.directory.queries import today
from portal.extensions import db
from portal.reports import bp, exports
from portal.reports.billing import billing
from portal.reports.downloads import csv_download, xlsx_download
from portal.reports.scope import current_scope, report_reader, timezone
from portal.web.htmx import render

FIRST_YEAR = 2000


def _year() -> int:
    this_year = today().year
    text = str(request.args.get("year") or "")
    if len(text) == 4 and text.isascii() and text.isdigit():
        return min(max(int(text), FIRST_YEAR), this_year + 1)
    return this_year


def _header() -> list[str]:
    return [
        _("Month"),
        _("Provider"),
        _("Finished visits"),
        _("Time at the citizen (minutes)"),
        _("Open visits (no leave recorded)"),
    ]


def _cells(row) -> list:
    return [
        row.month.strftime("%Y-%m"),
        row.provider,
        row.visits,
        (row.seconds + 30) // 60,
        row.open_visits,
    ]


@bp.route("/reports/billing")
@report_reader
def billing_page():
    """The months of a year, per provider: finished visits, time, open visits."""
    year = _year()
    rows = billing(db.session, current_scope(), year, timezone())
    this_year = today().year
    return render(
        "reports/billing.html",
        "reports/_billing.html",
        year=year,
        years=range(this_year, max(FIRST_YEAR, this_year - 5) - 1, -1),
        rows=rows,
        csv_url=url_for("reports.billing_csv", year=year),
        xlsx_url=url_for("reports.billing_xlsx", year=year),
    )


@bp.route("/reports/billing.csv")
@report_reader
def billing_csv():
    """The year's billing basis as CSV."""
    year = _year()
    rows = billing(db.session, current_scope(), year, timezone())
    name = f"time-per-provider-{year}.csv"
    return csv_download(exports.csv_chunks(_header(), rows, _cells), name)


@bp.route("/reports/billing.xlsx")
@report_reader
def billing_xlsx():
    """The year's billing basis as an XLSX workbook."""
    year = _year()
    rows = billing(db.session, current_scope(), year, timezone())
    out = exports.xlsx_file(_("Time per provider"), _header(), rows, _cells)
    return xlsx_download(out, f"time-per-provider-{year}.xlsx")
