"""Time at the citizen per provider per month (the billing basis): page, CSV and XLSX.

A ?year= that is not a year of the report (1999, 2099, abc) is named, never moved to the
nearest year: the page shows this year and says so, the files answer 400 with the message.
"""

from flask import url_for
from flask_babel import gettext as _

from portal.directory.queries import today
from portal.extensions import db
from portal.reports import bp, exports
from portal.reports.billing import billing
from portal.reports.downloads import csv_download, xlsx_download
from portal.reports.scope import current_scope, report_reader, timezone
from portal.web import params
from portal.web.errors import render_error
from portal.web.htmx import render, wants_fragment

FIRST_YEAR = 2000


def _year() -> tuple[int, str | None]:
    """The year asked for (this year when none is), and what is wrong with a ?year= that was
    refused; None when it was fine or absent."""
    this_year = today().year
    text = params.text_arg("year", 10).strip()
    year = params.to_int(text, FIRST_YEAR, this_year + 1) if len(text) == 4 else None
    if not text or year is not None:
        return year or this_year, None
    problem = _(
        "“%(asked)s” is not a year of the report. Choose a year from %(first)s to %(last)s.",
        asked=text,
        first=FIRST_YEAR,
        last=this_year + 1,
    )
    return this_year, problem


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
    year, problem = _year()
    rows = billing(db.session, current_scope(), year, timezone())
    this_year = today().year
    offered = set(range(this_year, max(FIRST_YEAR, this_year - 5) - 1, -1)) | {year}
    if problem:
        problem += " " + _("The year %(year)s is shown instead.", year=year)
    return render(
        "reports/billing.html",
        "reports/_billing.html",
        year=year,
        problem=problem,
        inline=wants_fragment(),
        years=sorted(offered, reverse=True),  # an older year asked for is shown as chosen
        rows=rows,
        csv_url=url_for("reports.billing_csv", year=year),
        xlsx_url=url_for("reports.billing_xlsx", year=year),
    )


def _file_name(year: int, extension: str) -> str:
    # TRANSLATORS: the start of an export's file name: lower case, words joined by hyphens.
    return _("time-per-provider-%(year)s", year=year) + f".{extension}"


@bp.route("/reports/billing.csv")
@report_reader
def billing_csv():
    """The year's billing basis as CSV."""
    year, problem = _year()
    if problem:
        return render_error(400, problem)
    rows = billing(db.session, current_scope(), year, timezone())
    return csv_download(exports.csv_chunks(_header(), rows, _cells), _file_name(year, "csv"))


@bp.route("/reports/billing.xlsx")
@report_reader
def billing_xlsx():
    """The year's billing basis as an XLSX workbook."""
    year, problem = _year()
    if problem:
        return render_error(400, problem)
    rows = billing(db.session, current_scope(), year, timezone())
    out = exports.xlsx_file(_("Time per provider"), _header(), rows, _cells)
    return xlsx_download(out, _file_name(year, "xlsx"))
