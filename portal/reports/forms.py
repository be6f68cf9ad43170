"""The report's filter form: rendered with WTForms, read through `portal.web.params`.

Every value comes from the query string and is only ever a filter: a value that does not
parse (a hostile id, an unknown choice, a text too long) is ignored. The period is different:
leaving out a day that is not a date, or a last day before the first, would widen the report
to a range nobody asked for. Such a period is shown as an error next to its field and
`period_problem` tells the views to list and export nothing. The choices a provider admin is
offered are their own provider's care groups and no provider filter at all.
"""

from dataclasses import replace
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from portal.reports.filters import DOOR_KINDS, SORTS, VisitFilters
from portal.web import params
from portal.web.dates import DATE_MESSAGE, to_date
from portal.web.forms import PortalForm

MAX_TEXT = 100
ORDER_MESSAGE = _l("The last day must not be before the first day")
DOOR_LABELS = {"door": _l("Front door"), "entrance": _l("Building entrance")}
SORT_LABELS = {
    "arrival_desc": _l("Arrival, newest first"),
    "arrival_asc": _l("Arrival, oldest first"),
    "duration_desc": _l("Duration, longest first"),
    "duration_asc": _l("Duration, shortest first"),
}
FILTER_ARGS = ("citizen", "staff", "care_group", "district", "provider", "door", "date_from")
FILTER_ARGS += ("date_to", "sort", "citizen_id", "staff_id")


def _any(label):
    return [("", label)]


class VisitFilterForm(PortalForm):
    """The visit report's filters (a GET form: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    citizen = StringField(_l("Citizen's name"))
    staff = StringField(_l("Staff member's name or staff number"))
    care_group = SelectField(_l("Care group"), choices=[], validate_choice=False)
    district = SelectField(_l("District"), choices=[], validate_choice=False)
    provider = SelectField(_l("Provider"), choices=[], validate_choice=False)
    door = SelectField(
        _l("Door"),
        choices=_any(_l("Any door")) + list(DOOR_LABELS.items()),
        validate_choice=False,
    )
    date_from = StringField(_l("From (day)"))
    date_to = StringField(_l("To (day, inclusive)"))
    sort = SelectField(_l("Sort by"), choices=list(SORT_LABELS.items()), validate_choice=False)

    def set_choices(self, care_groups, districts, providers) -> None:
        """The options to choose from (providers empty for a provider admin)."""
        self.care_group.choices = _any(_l("Any care group")) + [
            (str(g.id), f"{g.name} ({g.provider.name})") for g in care_groups
        ]
        self.district.choices = _any(_l("Any district")) + [(str(d.id), d.name) for d in districts]
        self.provider.choices = _any(_l("Any provider")) + [(str(p.id), p.name) for p in providers]


def _day(form, field) -> date | None:
    text = params.to_text(field.data, 20).strip()
    day = to_date(text)
    if text and day is None:
        field.errors = [DATE_MESSAGE]
    return day


def read_filters(form: VisitFilterForm, args, *, tz: str, on: date, coordinator: bool):
    """VisitFilters from the form's values; bad ones ignored, a bad period flagged on the form
    (see `period_problem`: the filters then must not be used)."""
    date_from, date_to = _day(form, form.date_from), _day(form, form.date_to)
    if date_from and date_to and date_to < date_from:
        form.date_to.errors = [ORDER_MESSAGE]
    door = params.to_text(form.door.data, 20)
    sort = params.to_text(form.sort.data, 20)
    filters = VisitFilters(
        citizen_id=params.to_id(args.get("citizen_id")),
        citizen_text=params.to_text(form.citizen.data, MAX_TEXT).strip(),
        staff_id=params.to_id(args.get("staff_id")),
        staff_text=params.to_text(form.staff.data, MAX_TEXT).strip(),
        care_group_id=params.to_id(form.care_group.data),
        district_id=params.to_id(form.district.data),
        provider_id=params.to_id(form.provider.data) if coordinator else None,
        date_from=date_from,
        date_to=date_to,
        door_kind=door if door in DOOR_KINDS else None,
        sort=sort if sort in SORTS else "arrival_desc",
        tz=tz,
    )
    return replace(filters, on=date_to or on)


def period_problem(form: VisitFilterForm) -> str | None:
    """The first message about the period after `read_filters`, or None when it is usable."""
    errors = [*form.date_from.errors, *form.date_to.errors]
    return str(errors[0]) if errors else None


def kept_args(args) -> dict:
    """The filter arguments worth carrying to the next page and the exports."""
    return {k: params.to_text(args[k], MAX_TEXT) for k in FILTER_ARGS if args.get(k)}
