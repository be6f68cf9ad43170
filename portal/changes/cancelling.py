"""A coordinator cancels an approved change before it takes effect (flush, never commit).

What approval wrote is taken back: the future-dated provider assignment or end (through
`portal.directory.services`), the providers' notices of a switch, the relocation or removal
job (through the locksmith services), and the "switching" or "moving" status; the providers
who were told about a switch are told it will not happen. The request is claimed with a
conditional update, so the scheduled job and a cancellation never both win.

`supersede` is the same cancellation when a report (a move, an end of care, a death) replaces
the approved change; the reason recorded is "superseded by request X". A death also replaces a
request not decided yet (a switch, a move, an opt-out, an end of care): it is cancelled the same
way, and as nothing was written for it, nothing is taken back. An end of care or a move away,
approved before or meanwhile, is cancelled as an approved change: the death takes its place.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update

from portal.audit.services import Actor, record
from portal.booking.services import open_booking
from portal.changes import effects, notices, rules, superseding
from portal.changes.effects import leaving_reason
from portal.changes.models import UNDECIDED, ChangeRequest, ProviderNotice
from portal.citizens import lifecycle
from portal.citizens.lifecycle import CitizenStatus
from portal.directory.services import withdraw_assignment
from portal.locksmith.change_jobs import cancel_change_jobs

REASON_MAX = 1000


class NotCancellable(rules.ChangeError):
    """Only an approved change that has not taken effect yet can be cancelled."""

    message = _l("Only an approved change that has not taken effect yet can be cancelled.")


class ReasonMissing(rules.ChangeError):
    """A cancellation needs a reason."""

    message = _l("Write why the change is cancelled")
    field = "reason"


def cancellable(req: ChangeRequest, *, now: datetime, tz: str) -> bool:
    """Approved, and its 00:00 has not come yet."""
    return req.status == "approved" and rules.effective_moment(req.effective_on, tz) > now


def _wrote_assignment(req: ChangeRequest) -> bool:
    if req.kind == "switch":
        return True
    if req.kind == "move" and req.inside:
        return req.to_care_group_id is not None or req.to_provider_id is not None
    return leaving_reason(req) not in (None, "opted_out")


def _status_back(session, citizen) -> None:
    if citizen.status == CitizenStatus.SWITCHING_PROVIDER:
        lifecycle.provider_switched(citizen)
    elif citizen.status == CitizenStatus.MOVING:
        if rules.has_lock(session, citizen.id):
            lifecycle.fitted(citizen)
        else:
            lifecycle.moved(citizen)
            if open_booking(session, citizen.id) is not None:
                lifecycle.booked(citizen)


def cancel(
    session,
    req: ChangeRequest,
    reason: str,
    *,
    now: datetime,
    actor: Actor,
    tz: str,
    superseded_by: ChangeRequest | None = None,
) -> ChangeRequest:
    """Cancel an approved change before its date, with a reason (audited); the scheduled job
    then skips it. A request not decided yet is cancelled only as superseded by a death
    (`supersede`). Raises NotCancellable or ReasonMissing."""
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise ReasonMissing()
    undecided = superseded_by is not None and req.status in UNDECIDED
    if not undecided and not cancellable(req, now=now, tz=tz):
        raise NotCancellable()
    claimed = session.execute(
        update(ChangeRequest)
        .where(
            ChangeRequest.id == req.id,
            ChangeRequest.status.in_(UNDECIDED if undecided else ("approved",)),
        )
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise NotCancellable()
    session.refresh(req)
    req.refusal_reason, req.decided_at, req.decided_by = reason, now, actor.describe()[:300]
    jobs = [] if undecided else _take_back(session, req, now=now, actor=actor)
    session.flush()
    record(
        session,
        actor,
        "change.cancelled",
        now=now,
        object_type="change_request",
        object_id=req.id,
        data={
            "reference": req.reference,
            "citizen_id": req.citizen_id,
            "kind": req.kind,
            "jobs_cancelled": [j.id for j in jobs],
            **({"superseded_by": superseded_by.reference} if superseded_by else {}),
            **({"undecided": True} if undecided else {}),
        },
    )
    return req


def _take_back(session, req: ChangeRequest, *, now, actor) -> list:
    """Undo what approving `req` wrote; returns the locksmith jobs cancelled."""
    citizen = req.citizen
    if _wrote_assignment(req):
        withdraw_assignment(
            session, citizen.id, req.effective_on, now=now, actor=actor, reason="change_cancelled"
        )
    notices.cancelled(session, req, now=now)  # before the notices go: they say whom to tell
    session.execute(delete(ProviderNotice).where(ProviderNotice.request_id == req.id))
    jobs = []
    if req.kind != "switch":  # a move or a leaving made its job at approval
        jobs = cancel_change_jobs(
            session,
            citizen.id,
            req.effective_on,
            now=now,
            actor=actor,
            note=f"change {req.reference} cancelled",
        )
    _status_back(session, citizen)
    return jobs


def supersede(session, waiting: ChangeRequest, by: ChangeRequest, *, now, actor, policy) -> bool:
    """Cancel the approved change `waiting` because the report `by` replaces it ("superseded by
    request X", audited, its providers told once). When its 00:00 has come it no longer waits:
    it is put in force instead. A request not decided yet is cancelled as superseded too (a
    death replaces it); when it was decided meanwhile, what it became is superseded instead.
    False when it was not cancelled (already decided elsewhere)."""
    if waiting.status in UNDECIDED:
        try:
            with session.begin_nested():
                cancel(
                    session,
                    waiting,
                    _reason(by, decided=False),
                    now=now,
                    actor=actor,
                    tz=policy.tz,
                    superseded_by=by,
                )
        except NotCancellable:  # withdrawn, refused or approved meanwhile
            session.refresh(waiting)
        else:
            return True
    if waiting.status != "approved":
        return False
    if not cancellable(waiting, now=now, tz=policy.tz):
        effects.apply(session, waiting, now=now, actor=actor, tz=policy.tz, store=policy.store)
        if superseding.ends_care(waiting):  # the care ended at its 00:00: nothing to replace
            raise rules.CareHasEnded()
        return False
    try:
        with session.begin_nested():
            cancel(
                session,
                waiting,
                _reason(by),
                now=now,
                actor=actor,
                tz=policy.tz,
                superseded_by=by,
            )
    except NotCancellable:  # cancelled, or put in force, by someone else meanwhile
        session.refresh(waiting)
        if waiting.status == "approved":
            raise
        return False
    return True


def supersede_all(
    session, waiting: ChangeRequest, by: ChangeRequest, *, now, actor, policy
) -> list[ChangeRequest]:
    """Supersede `waiting` and the approved change it itself waits to replace (an undecided
    move beside an approved switch, both replaced by a death), the approved one first, in the
    order a coordinator's approval takes them, so two of them at once wait instead of
    deadlocking. Returns those cancelled, as read after their claim (their dates as saved)."""
    below = waiting.supersedes if waiting.status in UNDECIDED else None
    found = [below] if below is not None else []
    found = [r for r in found if supersede(session, r, by, now=now, actor=actor, policy=policy)]
    if supersede(session, waiting, by, now=now, actor=actor, policy=policy):
        found.append(waiting)
    return found


def replaced_by(req: ChangeRequest) -> ChangeRequest | None:
    """The later report that this request was cancelled for (`supersede`), or None: a report
    that supersedes it, or one that supersedes such a report (a death after a move report)."""
    if req.status != "cancelled" or not req.refusal_reason:
        return None
    seen, later = set(), list(req.superseded_by)
    while later:
        found = later.pop(0)
        if found.id in seen:
            continue
        seen.add(found.id)
        if req.refusal_reason in (_reason(found), _reason(found, decided=False)):
            return found
        later.extend(found.superseded_by)
    return None


def replaced(by: ChangeRequest) -> list[ChangeRequest]:
    """The requests cancelled because `by` replaces them (nearest first)."""
    found, step = [], by.supersedes
    while step is not None and step not in found:
        if replaced_by(step) is by:
            found.append(step)
        step = step.supersedes
    return found


def was_decided(req: ChangeRequest) -> bool:
    """Was this request, cancelled as superseded, an approved change (not an undecided one)?"""
    later = replaced_by(req)
    return later is not None and req.refusal_reason == _reason(later)


def _reason(by: ChangeRequest, *, decided: bool = True) -> str:
    if decided:
        return f"superseded by request {by.reference}"
    return f"superseded by request {by.reference} before it was decided"
