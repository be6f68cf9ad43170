"""The rows of what a request asks for, on the check page's and the request pages' summary
lists: the same words for the same answer, the date row named as its question asked."""

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from portal.changes.web import (
    ALTERNATIVE_LABELS,
    FACT_LABELS,
    REASON_LABELS,
    reason_label,
)

# The death report's fact on the coordinator's page, with the citizen's name.
DIED_LABEL = _l("%(name)s has died")
# The date row of a leaving, in the words its question asked (check page and request pages).
DATE_LABELS = {
    "deceased": _l("Home care and the keys stop from"),
    "care_ended": _l("Home care ends from"),
    "opted_out": _l("Without the electronic lock from"),
}


def date_label(kind: str, reason: str | None) -> str:
    """The label of a request's date row: what its date question asked, else "Date"."""
    return str(DATE_LABELS.get(reason, _l("Date")) if kind == "leave" else _l("Date"))


def _fact(req, staff: bool) -> str:
    if not staff and req.reason in REASON_LABELS:  # the check page's words (`reason_label`)
        return reason_label(req.reason)
    if req.reason == "deceased":
        return str(DIED_LABEL) % {"name": req.citizen.name}
    return str(FACT_LABELS.get(req.reason, req.reason))


def summary_rows(req, staff: bool = False) -> list[dict]:
    """The rows of what a request asks for (summary_list rows); `staff`: the coordinator's
    facts about the citizen by name, else the words of the check page."""
    rows = []
    if req.kind == "switch":
        rows.append(
            {
                "key": _l("From provider"),
                "value": req.from_provider.name if req.from_provider else "–",
            }
        )
        rows.append(
            {"key": _l("To provider"), "value": req.to_provider.name if req.to_provider else "–"}
        )
    elif req.kind == "move":
        rows.append(
            {"key": _l("Within the municipality"), "value": _l("Yes") if req.inside else _l("No")}
        )
        address = f"{req.new_address or ''}, {req.new_postcode or ''} {req.new_city or ''}"
        rows.append({"key": _l("New address"), "value": address})
        if req.new_district is not None:
            rows.append({"key": _l("New district"), "value": req.new_district.name})
    else:
        rows.append({"key": _l("What has changed"), "value": _fact(req, staff)})
        if req.alternative:
            rows.append({"key": _l("Way in instead"), "value": ALTERNATIVE_LABELS[req.alternative]})
        if req.estate_contact:
            rows.append({"key": _l("Contact person for the estate"), "value": req.estate_contact})
    rows.append(
        {"key": date_label(req.kind, req.reason), "value": format_date(req.effective_on, "long")}
    )
    return rows
