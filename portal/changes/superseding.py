"""Which report may replace which change still open: a move, an end of care or a death
reported while an approved change waits for its date, and what the citizen may ask for now.

A death is a fact, not a wish: it replaces the waiting change when it is sent. A move or an end
of care is the coordinator's to decide: it replaces the change only when it is approved.
"""

from portal.changes import rules
from portal.changes.models import UNDECIDED, ChangeRequest

# What a citizen or relative may still report while an approved change waits for its date.
REPORTS = {"move": (None,), "leave": ("care_ended", "deceased")}


def ends_care(req: ChangeRequest) -> bool:
    """Does this change end the citizen's keyless care (a move away, care ending, a death)?"""
    if req.kind == "move":
        return not req.inside
    return req.kind == "leave" and req.reason in ("care_ended", "deceased")


def may_supersede(kind: str, reason: str | None, waiting: ChangeRequest | None) -> bool:
    """May a report of this kind replace the open request `waiting`? A move replaces an
    approved provider switch (the new home may be outside the new provider's districts, or the
    date before the switch's); an end of care or a death replaces any approved change that does
    not already end the care. A death also replaces a request not decided yet that does not end
    the care (a switch, a move within, an opt-out, a move report beside an approved switch):
    nobody need withdraw it first. Everything else waits until the change is decided or in
    force."""
    if waiting is None:
        return False
    if waiting.status in UNDECIDED:
        return supersedes_at_once(kind, reason) and not ends_care(waiting)
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
