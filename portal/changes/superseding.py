"""Which report may replace which change still open: a move, an end of care or a death
reported while an approved change waits for its date, and what the citizen may ask for now.

A death is a fact, not a wish: it replaces the waiting change when it is sent. A move or an end
of care is the coordinator's to decide: it replaces the change only when it is approved.

A death also replaces a change that itself ends the care, approved and waiting for its date or
not decided yet (an end of care, a move away from the municipality, and the approved switch
such a report waits beside): the death is what matters, and the waiting change becomes moot.
It never replaces another death (two relatives reporting at once make one request), nor a
change that has taken effect (the keys have stopped).

The date rule (`stop_on`): a death never makes the care last longer than a change it replaces
already asked for. When that change ends the care on an earlier date than the relative gives,
home care and the keys stop from that earlier date (or today, when it has passed); the check
page says so before sending. The date is read from the replaced change in the transaction that
cancels it (`services.submit`), so a change withdrawn meanwhile does not shorten it. The
coordinator sets the date when approving, but never later than that (`latest_stop`; today once
that date has passed): a later date is refused with the reason (`LaterThanReplaced`).
"""

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from portal.changes import rules
from portal.changes.models import UNDECIDED, ChangeRequest

# What a citizen or relative may still report while an approved change waits for its date.
REPORTS = {"move": (None,), "leave": ("care_ended", "deceased")}


def ends_care(req: ChangeRequest) -> bool:
    """Does this change end the citizen's keyless care (a move away, care ending, a death)?"""
    if req.kind == "move":
        return not req.inside
    return req.kind == "leave" and req.reason in ("care_ended", "deceased")


def is_death(req: ChangeRequest) -> bool:
    """Is this request a death report?"""
    return req.kind == "leave" and req.reason == "deceased"


def stop_on(kind: str, reason: str | None, replaces: list, day: date, today: date) -> date:
    """The date a report replacing `replaces` takes: `day`, except that a death stops home care
    and the keys no later than a change it replaces already ends the care (not before
    `today`)."""
    if not supersedes_at_once(kind, reason):
        return day
    ending = [r.effective_on for r in replaces if ends_care(r)]
    return max(today, min([day, *ending]))


def latest_stop(replaced: list, reported_on: date) -> date | None:
    """The latest date a death that replaced the requests `replaced` may stop the care on: the
    earliest date a report among them that ends the care asked for, or the day the death was
    reported when that date had passed; None when none of them ended the care."""
    ending = [r.effective_on for r in replaced if ends_care(r)]
    return max(reported_on, min(ending)) if ending else None


def stop_reason(replaced: ChangeRequest, stop: date, reported_on: date) -> str:
    """Why a death that replaced the ending report `replaced` stops the care on `stop`, so its
    pages say what is true: "earlier" (before the report's date: the relative's or the
    coordinator's date), "report" (the report's own date), "passed" (the report's date had
    passed when the death was reported: that day) or "later" (approved with a later date,
    as could happen before `LaterThanReplaced`)."""
    if stop < replaced.effective_on:
        return "earlier"
    if stop == replaced.effective_on:
        return "report"
    if replaced.effective_on < reported_on and stop <= reported_on:
        return "passed"
    return "later"


class LaterThanReplaced(rules.ChangeError):
    """A death approved with a date later than the report it replaced asked for: the care
    would last longer because of a death."""

    message = _l(
        "Request %(reference)s had asked for the care to end from %(ended)s, and a death does "
        "not make the care last longer. Choose %(latest)s or an earlier date."
    )
    field = "effective_on"

    def text(self) -> str:
        """The message with the dates in the page's language."""
        return str(self.message) % {
            "reference": self.params["reference"],
            "ended": format_date(self.params["ended"], "long"),
            "latest": format_date(self.params["latest"], "long"),
        }


class OpenButDeath(rules.AlreadyOpen):
    """A request not decided yet waits, and a relative may still report a death beside it:
    the refusal says so, so the offer to report it below does not contradict it."""

    message = _l(
        "There is already a request in progress (reference %(reference)s). Withdraw it or "
        "wait until it is decided before asking for something else, unless you are reporting "
        "a death."
    )


class ApprovedButDeath(rules.ApprovedNotInForce):
    """An approved change that ends the care waits for its date, and a relative may still
    report a death instead: the refusal says so, so the offer to report it does not contradict
    it ("phone the municipality")."""

    relative_messages = {
        "move": _l(
            "The request %(reference)s for %(name)s has been approved: %(name)s moves away from "
            "the municipality on %(date)s, and home care here ends then. If %(name)s has died, "
            "report it here; for any other change before then, phone the municipality on "
            "%(phone)s."
        ),
        "leave": _l(
            "The request %(reference)s for %(name)s has been approved: home care for %(name)s "
            "ends from %(date)s. If %(name)s has died, report it here; for any other change "
            "before then, phone the municipality on %(phone)s."
        ),
    }

    def text(self):
        """The relative's message, with the municipality's phone as a link."""
        self.relative_message = self.relative_messages[self.params["kind"]]
        return super().text()


def may_supersede(kind: str, reason: str | None, waiting: ChangeRequest | None) -> bool:
    """May a report of this kind replace the open request `waiting`? A move replaces an
    approved provider switch (the new home may be outside the new provider's districts, or the
    date before the switch's); an end of care or a death replaces any approved change that does
    not already end the care, and a death also one that does (an end of care, a move away).
    A death also replaces any request not decided yet but another death (a switch, a move, an
    opt-out, an end of care, a report beside an approved switch): nobody need withdraw it
    first. Everything else waits until the change is decided or in force."""
    if waiting is None:
        return False
    if waiting.status in UNDECIDED:
        return supersedes_at_once(kind, reason) and not is_death(waiting)
    if waiting.status != "approved":
        return False
    if kind == "move":
        return waiting.kind == "switch"
    if kind == "leave" and reason in REPORTS["leave"]:
        return not ends_care(waiting) or (
            supersedes_at_once(kind, reason) and not is_death(waiting)
        )
    return False


def chain(waiting: ChangeRequest | None) -> list[ChangeRequest]:
    """What a report replacing `waiting` replaces: `waiting`, and when it is an undecided report
    beside the approved change it would replace, that change too."""
    if waiting is None:
        return []
    below = waiting.supersedes if waiting.status in UNDECIDED else None
    return [waiting] + ([below] if below is not None and below.status == "approved" else [])


def supersedes_at_once(kind: str, reason: str | None) -> bool:
    """A death is a fact, not a wish: the change it replaces is cancelled when it is reported.
    A move or an end of care is the coordinator's to decide: the change waits until then."""
    return kind == "leave" and reason == "deceased"


def _reasons(kind: str, relative: bool) -> tuple:
    # Only a relative reports a death.
    return tuple(r for r in REPORTS.get(kind, ()) if relative or r != "deceased")


def waiting_change(session, citizen_id: int, *, relative: bool = False) -> ChangeRequest | None:
    """The citizen's open request (an approved change waiting for its date, or for a relative
    one not decided yet) that a report may still replace; else None."""
    found = rules.open_request(session, citizen_id)
    if found is None or not any(reportable(kind, found, relative=relative) for kind in REPORTS):
        return None
    return found


def reportable(kind: str, waiting: ChangeRequest | None, *, relative: bool = False) -> bool:
    """May a request of `kind` be started while `waiting` waits (some answer would replace it);
    `relative`: a relative is signed in (only they report a death)."""
    return any(may_supersede(kind, reason, waiting) for reason in _reasons(kind, relative))


def refusal(
    session, citizen, kind: str | None = None, *, relative: bool = False
) -> rules.ChangeError | None:
    """Why this citizen cannot ask for a change (of `kind`) now (a request in progress, care
    ended), or None: the change pages and the citizen's home page say the same. A move, an end
    of care or a death may be reported while an approved change waits (`may_supersede`)."""
    found = rules.open_request(session, citizen.id)
    if found is not None and not (kind and reportable(kind, found, relative=relative)):
        if relative and found.status in UNDECIDED and may_supersede("leave", "deceased", found):
            return OpenButDeath(reference=found.reference)
        if relative and ends_care(found) and may_supersede("leave", "deceased", found):
            return ApprovedButDeath(
                reference=found.reference, effective_on=found.effective_on, kind=found.kind
            )
        return rules.blocking(found)
    try:
        rules.check_citizen(citizen)
    except rules.ChangeError as error:
        return error
    return None
