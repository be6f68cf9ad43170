"""The visit report's pages and files: thin views over `reports.visits`.

The page is a GET form that htmx enhances (only the results are swapped, with the period's
fields out of band so their messages show; without JavaScript the form reloads the page). The
exports take the same query string and write the whole filtered report, never more than the
reader's scope. A period that is not usable (a day that is not a date, a last day before the
first) lists nothing, offers no files, and the files refuse it with a 400.
"""

from zoneinfo import ZoneInfo

from flask import abort, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.directory.queries import today
from portal.extensions import db
from portal.reports import bp, exports
from portal.reports.downloads import csv_download, xlsx_download
from portal.reports.filters import BadCursor
from portal.reports.forms import (
    DOOR_LABELS,
    VisitFilterForm,
    kept_args,
    period_problem,
    read_filters,
)
from portal.reports.scope import choices_for, current_scope, report_reader, timezone
from portal.reports.visits import VisitPage, iter_visit_rows, visit_page
from portal.web.errors import render_error
from portal.web.htmx import render, wants_fragment

PAGE_SIZE = 50


def _filters(scope):
    form = VisitFilterForm(request.args)
    form.set_choices(*choices_for(scope))
    filters = read_filters(
        form, request.args, tz=timezone(), on=today(), coordinator=scope.provider_id is None
    )
    return form, filters


@bp.route("/reports/visits")
@report_reader
def visits():
    """The visit report: filters, a keyset page, links to the next page and the exports."""
    scope = current_scope()
    form, filters = _filters(scope)
    problem = period_problem(form)
    try:
        page = (
            VisitPage([], None)
            if problem
            else visit_page(
                db.session,
                scope,
                filters,
                cursor=request.args.get("after") or None,
                limit=PAGE_SIZE,
            )
        )
    except BadCursor:
        abort(400)
    args = kept_args(request.args)
    return render(
        "reports/visits.html",
        "reports/_visits.html",
        form=form,
        problem=problem,
        inline=wants_fragment(),
        result=page,
        coordinator=scope.provider_id is None,
        door_labels=DOOR_LABELS,
        deeper=bool(request.args.get("after")),
        first_url=url_for("reports.visits", **args),
        next_url=url_for("reports.visits", **args, after=page.next_cursor)
        if page.next_cursor
        else None,
        csv_url=url_for("reports.visits_csv", **args),
        xlsx_url=url_for("reports.visits_xlsx", **args),
    )


def _header() -> list[str]:
    return [
        _("Citizen"),
        _("Staff member"),
        _("Staff number"),
        _("Care group"),
        _("District"),
        _("Provider"),
        _("Door"),
        _("Arrival"),
        _("Leave"),
        _("Duration (minutes)"),
    ]


def _cells(tz: str):
    zone = ZoneInfo(tz)
    doors = {k: str(v) for k, v in DOOR_LABELS.items()}

    def local(moment):
        # to the minute, local and naive: written as text in the CSV, as a date in the XLSX
        if not moment:
            return ""
        return moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)

    def cells(row):
        minutes = (row.seconds + 30) // 60 if row.seconds is not None else ""
        return [
            row.citizen,
            row.staff,
            row.staff_number,
            row.care_group,
            row.district,
            row.provider,
            doors.get(row.door_kind, row.door_kind),
            local(row.arrival),
            local(row.leave),
            minutes,
        ]

    return cells


def _file_name(extension: str) -> str:
    # TRANSLATORS: the start of an export's file name: lower case, words joined by hyphens.
    return _("visits-%(date)s", date=today().isoformat()) + f".{extension}"


@bp.route("/reports/visits.csv")
@report_reader
def visits_csv():
    """The whole filtered report as CSV, streamed."""
    scope = current_scope()
    form, filters = _filters(scope)
    if problem := period_problem(form):
        return render_error(400, problem)
    header, cells = _header(), _cells(filters.tz)
    # Its own session, closed when the last row is written: the server reads the body after
    # the request's context (and its session) may be gone, and a client may stop reading.
    session = Session(bind=db.engine)

    def body():
        try:
            yield from exports.csv_chunks(header, iter_visit_rows(session, scope, filters), cells)
        finally:
            session.close()

    return csv_download(body(), _file_name("csv"))


@bp.route("/reports/visits.xlsx")
@report_reader
def visits_xlsx():
    """The whole filtered report as an XLSX workbook."""
    scope = current_scope()
    form, filters = _filters(scope)
    if problem := period_problem(form):
        return render_error(400, problem)
    rows = iter_visit_rows(db.session, scope, filters)
    out = exports.xlsx_file(_("Visits"), _header(), rows, _cells(filters.tz))
    return xlsx_download(out, _file_name("xlsx"))
