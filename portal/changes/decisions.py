"""Deciding a change request: the asker withdraws or answers; the coordinator asks, refuses or
approves; a coordinator registers a change that needs no request (flush, never commit).

Each decision claims the request with one guarded UPDATE, so of two decisions read at once one
wins and the other gets NotOpen. What an approval does is in `portal.changes.effects`.
"""

from datetime import date, datetime

from sqlalchemy import update

from portal.audit.services import Actor
from portal.changes import cancelling, effects, rules, superseding
from portal.changes.models import ChangeRequest
from portal.changes.services import Details, Policy, audit_request, submit, validate_details


def _still_open(req: ChangeRequest, allowed=("pending", "question")) -> None:
    if req.status not in allowed:
        raise rules.NotOpen()


def _claim(session, req: ChangeRequest, status: str, allowed=("pending", "question")) -> None:
    """Move the request on in one guarded UPDATE, so of two decisions at once (a withdrawal
    while the coordinator approves, a double click) one wins and the other gets NotOpen."""
    _still_open(req, allowed)
    claimed = session.execute(
        update(ChangeRequest)
        .where(ChangeRequest.id == req.id, ChangeRequest.status.in_(allowed))
        .values(status=status)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise rules.NotOpen()
    session.refresh(req)


def withdraw(session, req: ChangeRequest, *, now: datetime, actor: Actor) -> ChangeRequest:
    """The asker takes back a request that is not decided yet."""
    _claim(session, req, "withdrawn")
    req.decided_at, req.decided_by = now, actor.describe()[:300]
    session.flush()
    audit_request(session, actor, "change.withdrawn", req, now)
    return req


def ask(session, req: ChangeRequest, question: str, *, now: datetime, actor: Actor):
    """The coordinator asks the citizen a question; the request waits for the answer."""
    _claim(session, req, "question")
    req.question, req.answer = question.strip(), None
    req.answered_at = req.answered_by = None
    session.flush()
    audit_request(session, actor, "change.question_asked", req, now)
    return req


def answer(session, req: ChangeRequest, text: str, *, now: datetime, actor: Actor):
    """The citizen (or relative) answers; the request is pending again."""
    _claim(session, req, "pending", ("question",))
    req.answer = text.strip()
    req.answered_at, req.answered_by = now, actor.describe()[:300]
    session.flush()
    audit_request(session, actor, "change.question_answered", req, now)
    return req


def refuse(session, req: ChangeRequest, reason: str, *, now: datetime, actor: Actor):
    """The coordinator refuses, with a reason the citizen reads."""
    _claim(session, req, "refused")
    req.refusal_reason = reason.strip()
    req.decided_at, req.decided_by = now, actor.describe()[:300]
    session.flush()
    audit_request(session, actor, "change.refused", req, now)
    return req


def death_limit(
    req: ChangeRequest, tz: str, now: datetime | None = None
) -> tuple[ChangeRequest, date] | None:
    """For a death that replaced a change ending the care: that change (the earliest) and the
    latest date the death may stop the care on (`superseding.latest_stop`), today when it is
    decided (`now`) after that date (no earlier date can be approved any more); else None."""
    if not superseding.is_death(req):
        return None
    ending = [r for r in cancelling.replaced(req) if superseding.ends_care(r)]
    if not ending:
        return None
    reported_on = rules.local_today(req.created_at, tz)
    if now is not None:
        reported_on = max(reported_on, rules.local_today(now, tz))
    first = min(ending, key=lambda r: r.effective_on)
    return first, superseding.latest_stop(ending, reported_on)


def approve(
    session,
    req: ChangeRequest,
    *,
    effective_on: date,
    now: datetime,
    actor: Actor,
    policy: Policy,
    provider_id: int | None = None,
) -> ChangeRequest:
    """Approve with an effective date: the dated changes are written now, the rest happens at
    00:00 on that date (at once when that moment has passed). `provider_id`: for a move, the
    provider at the new address (default: the current one, if it serves the new district).
    A death is never approved with a later date than a report it replaced asked for
    (LaterThanReplaced)."""
    _still_open(req)
    limit = death_limit(req, policy.tz, now)
    if limit is not None and effective_on > limit[1]:
        replaced, latest = limit
        raise superseding.LaterThanReplaced(
            reference=replaced.reference, ended=replaced.effective_on, latest=latest
        )
    with session.begin_nested():  # a refusal half-way leaves nothing behind
        if req.supersedes is not None:  # the waiting change goes first: one approved at a time
            cancelling.supersede(session, req.supersedes, req, now=now, actor=actor, policy=policy)
        _claim(session, req, "approved")
        _approve(
            session, req, effective_on, now=now, actor=actor, policy=policy, provider_id=provider_id
        )
    return req


def _approve(session, req, effective_on, *, now, actor, policy, provider_id):
    citizen = req.citizen
    details = Details(
        effective_on=effective_on,
        provider_id=req.to_provider_id,
        inside=req.inside,
        address=req.new_address,
        postcode=req.new_postcode,
        city=req.new_city,
        district_id=req.new_district_id,
        reason=req.reason,
        alternative=req.alternative,
        estate_contact=req.estate_contact,
    )
    if req.kind == "switch":
        # The provider it switches from is the one in force on the new date, as decided now.
        req.from_provider_id = None
    columns = validate_details(session, citizen, req.kind, details, now=now, policy=policy)
    for key, value in columns.items():
        setattr(req, key, value)
    req.effective_on = effective_on
    req.status, req.decided_at, req.decided_by = "approved", now, actor.describe()[:300]
    effects.on_approval(session, req, now=now, actor=actor, tz=policy.tz, provider_id=provider_id)
    audit_request(
        session, actor, "change.approved", req, now, effective_on=effective_on.isoformat()
    )
    if rules.effective_moment(effective_on, policy.tz) <= now:
        effects.apply(session, req, now=now, actor=actor, tz=policy.tz, store=policy.store)


def register(
    session,
    citizen,
    kind: str,
    details: Details,
    *,
    source: str,
    now: datetime,
    actor: Actor,
    policy: Policy,
    provider_id: int | None = None,
) -> ChangeRequest:
    """A change from a phone call or the care system, approved at once (no request waits)."""
    if source not in ("phone", "care_system"):
        raise ValueError(source)
    with session.begin_nested():  # no request is left behind when the approval is refused
        req = submit(
            session, citizen, kind, details, source=source, now=now, actor=actor, policy=policy
        )
        return approve(
            session,
            req,
            effective_on=details.effective_on,
            now=now,
            actor=actor,
            policy=policy,
            provider_id=provider_id,
        )
