"""The citizen's questions: which steps each request has, one form per step, the answers
kept in the session, and the rows of the check page."""

from datetime import date

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.changes import rules, services, superseding
from portal.changes.forms import (
    AddressForm,
    AlternativeForm,
    DateForm,
    EstateForm,
    InsideForm,
    ProviderForm,
    ReasonForm,
)
from portal.changes.summaries import date_label
from portal.changes.web import ALTERNATIVE_LABELS, policy, reason_label, start_time
from portal.directory.queries import provider_on, today
from portal.extensions import db
from portal.web.wording import worded

STEPS = {
    "switch": ("provider", "date"),
    "move": ("inside", "address", "date"),
    "leave": ("reason", "detail", "date"),
}


# The date question of an end of care or an opt-out, as the citizen or a relative reads it.
LEAVE_DATE_HEADINGS = {
    "care_ended": (
        _l("From which date does your home care end?"),
        _l("From which date does the home care of %(name)s end?"),
    ),
    "opted_out": (
        _l("From which date do you no longer want the electronic lock?"),
        _l("From which date does %(name)s no longer want the electronic lock?"),
    ),
}


def steps(kind: str, state: dict) -> tuple[str, ...]:
    """The questions of a request; "detail" only for an opt-out (way in) or a death (estate)."""
    found = STEPS[kind]
    if kind == "leave" and state.get("reason") not in ("opted_out", "deceased"):
        found = tuple(s for s in found if s != "detail")
    return found


def next_url(kind: str, step: str, state: dict):
    """The next unanswered question after `step`, or the check page."""
    found = steps(kind, state)
    later = found[found.index(step) + 1 :] if step in found else ()
    for following in later:
        if following not in state.get("answered", []):
            return url_for("changes.question", kind=kind, step=following)
    return url_for("changes.check", kind=kind)


def provider_choices(citizen):
    """The approved providers of the citizen's district other than the current one."""
    current = provider_on(db.session, citizen.id, today())
    return [
        (str(p.id), p.name)
        for p in rules.approved_providers(db.session, citizen.district_id)
        if current is None or p.id != current.id
    ]


def reason_choices(citizen):
    """Why a citizen leaves; only a relative may report a death. While an approved change
    waits, only what may replace it (an end of care, a death)."""
    reasons = ["opted_out", "care_ended"] + (["deceased"] if current_user.is_relative else [])
    waiting = rules.open_request(db.session, citizen.id)
    if waiting is not None:
        reasons = [r for r in reasons if superseding.may_supersede("leave", r, waiting)]
    return [(r, reason_label(r)) for r in reasons]


def form_for(kind, step, state, citizen):
    """(form, template variables) of one question."""
    if step == "provider":
        form = ProviderForm(data={"provider": state.get("provider")})
        form.provider.choices = provider_choices(citizen)
        return form, {
            "heading": worded(
                _l("Which home-care provider do you want?"),
                _l("Which home-care provider does %(name)s want?"),
            ),
            "has_lock": rules.has_lock(db.session, citizen.id),
        }
    if step == "inside":
        form = InsideForm(data={"inside": state.get("inside")})
        form.inside.choices = [
            ("yes", _("Yes, within the municipality")),
            ("no", _("No, away from the municipality")),
        ]
        return form, {
            "heading": worded(
                _l("Are you moving within the municipality?"),
                _l("Is %(name)s moving within the municipality?"),
            )
        }
    if step == "address":
        return AddressForm(data=state.get("address") or {}), {
            "heading": worded(
                _l("What is your new address?"), _l("What is the new address of %(name)s?")
            )
        }
    if step == "reason":
        form = ReasonForm(data={"reason": state.get("reason")})
        form.reason.choices = reason_choices(citizen)
        return form, {"heading": _("What has changed?")}
    if step == "detail" and state.get("reason") == "opted_out":
        form = AlternativeForm(data={"alternative": state.get("alternative")})
        form.alternative.choices = list(ALTERNATIVE_LABELS.items())
        return form, {"heading": _("How will home care get in instead?")}
    if step == "detail":
        form = EstateForm(data={"estate_contact": state.get("estate_contact")})
        return form, {"heading": _("Who is the contact person for the estate?")}
    form = DateForm(
        data={"effective_on": date.fromisoformat(state["effective_on"])}
        if state.get("effective_on")
        else None
    )
    headings = {
        "switch": _("From which date?"),
        "move": worded(_l("When are you moving?"), _l("When is %(name)s moving?")),
        "leave": _("From which date?"),
    }
    if kind == "leave" and state.get("reason") == "deceased":
        # The date asked for is when home care and the keys stop, never the date of death,
        # which has passed: a relative who types it must not be told only "today or later".
        return form, {
            "heading": _("From which date should home care and the keys stop?"),
            "date_hint": _(
                "Usually today. This is not the date of death: home care's access stops at "
                "%(time)s on the date you choose, which must be today or later.",
                time=start_time(),
            ),
        }
    if kind == "leave" and state.get("reason") in LEAVE_DATE_HEADINGS:
        return form, {"heading": worded(*LEAVE_DATE_HEADINGS[state["reason"]])}
    return form, {"heading": headings[kind]}


def check_answer(step, form, state, *, now) -> None:
    """Ask the rules about an answer on its own page, not only when the request is sent:
    a date out of range, or a postcode outside every district (raises ChangeError)."""
    if step == "date":
        p = policy()
        rules.check_date(form.effective_on.data, now=now, tz=p.tz, max_days=p.max_days)
    elif step == "address" and state.get("inside") == "yes":
        services.new_district(db.session, form.postcode.data)


def store(step, form, state) -> None:
    """Keep one answer in the session state."""
    if step == "address":
        state["address"] = {k: form[k].data.strip() for k in ("address", "postcode", "city")}
    elif step == "date":
        state["effective_on"] = form.effective_on.data.isoformat()
    elif step == "detail":
        key = "alternative" if state.get("reason") == "opted_out" else "estate_contact"
        state[key] = form[key].data.strip() if key == "estate_contact" else form[key].data
    else:
        state[step] = form[step].data
    state["answered"] = sorted(set(state.get("answered", [])) | {step})


def back_url(kind, step, state):
    """The previous question, or the start page."""
    found = steps(kind, state)
    if step in found and found.index(step) > 0:
        return url_for("changes.question", kind=kind, step=found[found.index(step) - 1])
    return url_for("changes.start")


def details_of(state) -> services.Details:
    """The answers as the service's Details."""
    address = state.get("address") or {}
    return services.Details(
        effective_on=date.fromisoformat(state["effective_on"]),
        provider_id=int(state["provider"]) if state.get("provider") else None,
        inside=state.get("inside") == "yes" if state.get("inside") else None,
        address=address.get("address"),
        postcode=address.get("postcode"),
        city=address.get("city"),
        reason=state.get("reason"),
        alternative=state.get("alternative"),
        estate_contact=state.get("estate_contact"),
    )


def check_rows(kind, d: services.Details, state, citizen) -> list[dict]:
    """The check page's rows, each with a link back to its question."""

    def link(step):
        return url_for("changes.question", kind=kind, step=step)

    rows = []
    if kind == "switch":
        names = dict(provider_choices(citizen))
        rows.append(
            {
                "key": _("New provider"),
                "value": names.get(str(d.provider_id), "–"),
                "change_href": link("provider"),
            }
        )
    elif kind == "move":
        rows.append(
            {
                "key": _("Within the municipality"),
                "value": _("Yes") if d.inside else _("No"),
                "change_href": link("inside"),
            }
        )
        rows.append(
            {
                "key": _("New address"),
                "value": f"{d.address}, {d.postcode} {d.city}",
                "change_href": link("address"),
            }
        )
    else:
        rows.append(
            {
                "key": _("What has changed"),
                "value": reason_label(d.reason),
                "change_href": link("reason"),
            }
        )
        if d.reason == "opted_out":
            rows.append(
                {
                    "key": _("Way in instead"),
                    "value": ALTERNATIVE_LABELS.get(d.alternative, "–"),
                    "change_href": link("detail"),
                }
            )
        if d.reason == "deceased":
            rows.append(
                {
                    "key": _("Contact person for the estate"),
                    "value": d.estate_contact,
                    "change_href": link("detail"),
                }
            )
    rows.append(
        {
            "key": date_label(kind, d.reason),
            "value": format_date(d.effective_on, "long"),
            "change_href": link("date"),
        }
    )
    return rows
