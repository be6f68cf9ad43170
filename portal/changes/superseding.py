"""Which report may replace which change still open: a move, an end of care or a death
reported while an approved change waits for its date, and what the citizen may ask for now.

A death is a fact, not a wish: it replaces the waiting change when it is sent. A move or an end
of care is the coordinator's to decide: it replaces the change only when it is approved.

A death also replaces a report not decided yet that itself ends the care (an end of care, a
move away from the municipality, and the approved switch such a report waits beside): the
death is what matters, and the waiting report becomes moot. It never replaces another death
(two relatives reporting at once make one request), nor an approved end of care (decided; the
municipality cancels it if need be), nor one that has taken effect (the keys have stopped).

The date rule (`stop_on`): a death never makes the care last longer than a report it replaces
already asked for. When that report ends the care on an earlier date than the relative gives,
home care and the keys stop from that earlier date (or today, when it has passed); the check
page says so before sending, and the coordinator still sets the date when approving.
"""

from datetime import date

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
    and the keys no later than an undecided report it replaces already ends the care (not
    before `today`)."""
    if not supersedes_at_once(kind, reason):
        return day
    ending = [r.effective_on for r in replaces if r.status in UNDECIDED and ends_care(r)]
    return max(today, min([day, *ending]))


def may_supersede(kind: str, reason: str | None, waiting: ChangeRequest | None) -> bool:
    """May a report of this kind replace the open request `waiting`? A move replaces an
    approved provider switch (the new home may be outside the new provider's districts, or the
    date before the switch's); an end of care or a death replaces any approved change that does
    not already end the care. A death also replaces any request not decided yet but another
    death (a switch, a move, an opt-out, an end of care, a report beside an approved switch):
    nobody need withdraw it first. Everything else waits until the change is decided or in
    force."""
    if waiting is None:
        return False
    if waiting.status in UNDECIDED:
        return supersedes_at_once(kind, reason) and not is_death(waiting)
    if waiting.status != "approved":
        return False
    if kind == "move":
        return waiting.kind == "switch"
    if kind == "leave" and reason in REPORTS["leave"]:
        return not ends_care(waiting)
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
        return rules.blocking(found)
    try:
        rules.check_citizen(citizen)
    except rules.ChangeError as error:
        return error
    return None
