"""View helpers of the change pages: labels, settings, the question answers so far, loading."""

from datetime import date

from flask import abort, current_app, session
from flask_babel import format_date, format_time, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.accounts.roles import actor_name
from portal.changes import cancelling, documents, rules, superseding
from portal.changes.models import ChangeRequest
from portal.changes.services import Policy
from portal.extensions import db
from portal.web.auth import id_or_404
from portal.web.wording import worded

WIZARD = "changes"

KIND_LABELS = {
    "switch": _l("Change of home-care provider"),
    "move": _l("Moving home"),
    "leave": _l("Leaving keyless care"),
}
STATUS_LABELS = {
    "pending": _l("Received"),
    "question": _l("Waiting for an answer"),
    "approved": _l("Approved"),
    "done": _l("Done"),
    "refused": _l("Refused"),
    "withdrawn": _l("Withdrawn"),
    # Not an appointment's "Cancelled" (da "Aflyst", sv "Avbokad"): a change is called off.
    "cancelled": lazy_pgettext("change request", "Cancelled"),
}
STATUS_TAGS = {
    "pending": "info",
    "question": "warning",
    "approved": "success",
    "done": "success",
    "refused": "error",
    "withdrawn": None,
    "cancelled": None,
}
SOURCE_LABELS = {
    "citizen": _l("Citizen"),
    "relative": _l("Relative"),
    "phone": _l("Phone call"),
    "care_system": _l("Care system"),
}
REASON_LABELS = {
    "opted_out": _l("I no longer want the electronic lock"),
    "care_ended": _l("My home care is ending"),
    "deceased": _l("The citizen has died"),
    "moved_away": _l("Moving away from the municipality"),
}
# The reasons as a relative signed in on the citizen's behalf reads them (%(name)s: the citizen).
RELATIVE_REASON_LABELS = {
    "opted_out": _l("%(name)s no longer wants the electronic lock"),
    "care_ended": _l("The home care of %(name)s is ending"),
    "deceased": _l("%(name)s has died"),
}
# The same reasons as facts about the citizen (summaries, the coordinator's forms).
FACT_LABELS = {
    "opted_out": _l("Declines the electronic lock (opt-out)"),
    "care_ended": _l("Home care ends"),
    "deceased": _l("Has died"),
    "moved_away": _l("Moves away from the municipality"),
}
ALTERNATIVE_LABELS = {
    "key_box": _l("A key box by the door"),
    "citizen_lets_in": _l("The citizen lets home care in"),
    "relative_key": _l("A relative holds a key and lets home care in"),
}


def reason_label(reason: str) -> str:
    """Why the citizen leaves, in the words of whoever is signed in (citizen or relative)."""
    return worded(REASON_LABELS[reason], RELATIVE_REASON_LABELS.get(reason, REASON_LABELS[reason]))


def policy() -> Policy:
    """The change settings of the running app (time zone, how far ahead, the key store)."""
    from portal.changes.tasks import keystore

    return Policy(
        tz=current_app.config["TIMEZONE"],
        max_days=int(current_app.config.get("CHANGES_MAX_DAYS_AHEAD", 365)),
        store=keystore(),
    )


def start_time(day: date | None = None) -> str:
    """00:00, when a change takes effect, as the page's language writes a time ("00.00" in
    Danish, "00:00" in Swedish and English)."""
    moment = rules.effective_moment(day or date(2027, 1, 4), current_app.config["TIMEZONE"])
    return format_time(moment, "short")


def stop_reason(replaced: ChangeRequest, req: ChangeRequest) -> str:
    """Why the death `req`, which replaced the ending report `replaced`, stops the care on its
    date (`superseding.stop_reason`), the day it was reported taken in the municipality's
    time zone."""
    reported_on = rules.local_today(req.created_at, current_app.config["TIMEZONE"])
    return superseding.stop_reason(replaced, req.effective_on, reported_on)


def max_upload() -> int:
    """The largest document accepted, in bytes."""
    return int(current_app.config.get("CHANGES_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def attach_upload(req: ChangeRequest, form, *, from_citizen: bool) -> bool:
    """Attach the file of a valid DocumentForm to `req` (not committed); False with the reason
    at the field when the file is refused."""
    upload = form.document.data
    data = upload.read(max_upload() + 1) if upload else b""
    try:
        documents.attach(
            db.session,
            req,
            getattr(upload, "filename", "") or "",
            data,
            max_bytes=max_upload(),
            now=clock.now(),
            actor=current_user.actor,
            from_citizen=from_citizen,
        )
    except rules.ChangeError as problem:
        form.document.errors = [problem.text()]
        return False
    return True


def load_wizard(citizen_id: int, kind: str) -> dict:
    """The answers so far to this kind of request, for this citizen only."""
    state = session.get(WIZARD)
    if (
        not isinstance(state, dict)
        or state.get("citizen") != citizen_id
        or state.get("kind") != kind
    ):
        return {"citizen": citizen_id, "kind": kind}
    return dict(state)


def save_wizard(state: dict) -> None:
    """Keep the answers in the session."""
    session[WIZARD] = state


def clear_wizard() -> None:
    """Forget the answers."""
    session.pop(WIZARD, None)


def own_request_or_404(reference: str) -> ChangeRequest:
    """A request of the signed-in citizen by its reference; anybody else's is a 404."""
    req = db.session.scalar(
        select(ChangeRequest).where(ChangeRequest.reference == str(reference)[:12])
    )
    if req is None or req.citizen_id != current_user.citizen.id:
        abort(404)
    return req


def request_or_404(request_id: int) -> ChangeRequest:
    """Any request by id (coordinators), or a 404."""
    req = db.session.get(ChangeRequest, id_or_404(request_id))
    if req is None:
        abort(404)
    return req


def source_of_principal() -> str:
    """ "relative" when a relative is signed in, else "citizen"."""
    return "relative" if current_user.is_relative else "citizen"


def moment(at) -> str:
    """A stored moment to the minute in the page's language ("5. dec. 2026 kl. 07.01")."""
    return _("%(date)s at %(time)s", date=format_date(at, "medium"), time=format_time(at, "short"))


def _actor_kind(actor_text: str | None) -> str:
    return (actor_text or "").partition(":")[0].partition(" ")[0]


def asked_by(req) -> str:
    """Who asked: the citizen by name, a relative by name on the citizen's behalf, the staff
    member who registered it, or "Automatic" only for what the portal made itself."""
    kind = _actor_kind(req.requested_by)
    if kind == "citizen":
        return req.citizen.name
    if kind == "relative":
        return _(
            "%(relative)s on behalf of %(citizen)s",
            relative=actor_name(req.requested_by),
            citizen=req.citizen.name,
        )
    return actor_name(req.requested_by)


def asked_whom(req) -> str:
    """Whom the coordinator's question goes to: the relative who sent the request, by name,
    or else the citizen, by name (they answer on the request's page)."""
    if _actor_kind(req.requested_by) == "relative":
        return _(
            "%(relative)s (relative of %(citizen)s)",
            relative=actor_name(req.requested_by),
            citizen=req.citizen.name,
        )
    return req.citizen.name


def answered_line(req) -> str | None:
    """Who answered the coordinator's question and when: the citizen, or a relative by name on
    the citizen's behalf; None while unanswered (or for an answer from before this was kept)."""
    if not req.answer or not req.answered_by or req.answered_at is None:
        return None
    when, kind = moment(req.answered_at), _actor_kind(req.answered_by)
    if kind == "citizen":
        return _("Answered by the citizen on %(when)s", when=when)
    if kind == "relative":
        return _(
            "Answered by %(relative)s, relative, on behalf of %(citizen)s on %(when)s",
            relative=actor_name(req.answered_by),
            citizen=req.citizen.name,
            when=when,
        )
    return _("Answered by %(who)s on %(when)s", who=actor_name(req.answered_by), when=when)


def decision_line(req) -> str | None:
    """Who ended the request and when: withdrawn by the citizen or a relative (named),
    cancelled by a coordinator, or decided by one; None while nobody has."""
    if not req.decided_by or req.decided_at is None:
        return None
    when, kind = moment(req.decided_at), _actor_kind(req.decided_by)
    if cancelling.replaced_by(req) is not None:
        return _("Cancelled on %(when)s as replaced by a later request", when=when)
    if req.status == "withdrawn" and kind == "citizen":
        return _("Withdrawn by the citizen on %(when)s", when=when)
    if req.status == "withdrawn" and kind == "relative":
        return _(
            "Withdrawn by %(relative)s on behalf of %(citizen)s on %(when)s",
            relative=actor_name(req.decided_by),
            citizen=req.citizen.name,
            when=when,
        )
    who = actor_name(req.decided_by) or req.citizen.name
    if req.status == "cancelled":
        return _("Cancelled by %(who)s on %(when)s", who=who, when=when)
    return _("Decided by %(who)s on %(when)s", who=who, when=when)
