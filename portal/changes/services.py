"""Change requests from asking to deciding: submit, withdraw, ask, answer, refuse, approve,
and a coordinator's registration of a change that needs no request (flush, never commit).

What a decision does to the citizen, the provider and the keys is in `portal.changes.effects`.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.audit.services import Actor, record
from portal.changes import cancelling, effects, rules
from portal.changes.models import ALTERNATIVES, REASONS, ChangeRequest
from portal.changes.rules import ChangeError
from portal.directory.queries import provider_on

# No 0/O, 1/I/L: read aloud on the phone without confusion.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Policy:
    """The municipality's settings a change depends on."""

    tz: str
    max_days: int = 365
    store: object = None  # the issuer KeyStore, for the revocation bulletin


@dataclass
class Details:
    """What a request asks for (only the fields of its kind are used)."""

    effective_on: date
    provider_id: int | None = None
    inside: bool | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    district_id: int | None = None
    reason: str | None = None
    alternative: str | None = None
    estate_contact: str | None = None
    note: str | None = None


def new_reference(session) -> str:
    """A short code the citizen can read out on the phone, e.g. "K7M-4QX" (unique)."""
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(6))
        ref = f"{raw[:3]}-{raw[3:]}"
        if session.query(ChangeRequest.id).filter_by(reference=ref).first() is None:
            return ref


def _audit(session, actor, action, req, now, **data):
    record(
        session,
        actor,
        action,
        now=now,
        object_type="change_request",
        object_id=req.id,
        data={"reference": req.reference, "citizen_id": req.citizen_id, "kind": req.kind, **data},
    )


def new_district(session, postcode: str) -> int:
    """The district a move within the municipality goes to, by its postcode (asked on the
    address question and again when the request is sent); OutsideDistricts when none."""
    district = rules.district_for_postcode(session, postcode)
    if district is None:
        raise rules.OutsideDistricts()
    return district


def _validate(session, citizen, kind: str, d: Details, *, now, policy: Policy) -> dict:
    """Check the details against the rules; returns the columns to store."""
    rules.check_citizen(citizen)
    rules.check_date(d.effective_on, now=now, tz=policy.tz, max_days=policy.max_days)
    today = rules.local_today(now, policy.tz)
    if kind == "switch":
        current = provider_on(session, citizen.id, max(today, d.effective_on))
        if current is not None and current.id == d.provider_id:
            raise rules.SameProvider()
        if (
            d.provider_id is None
            or rules.group_for(session, d.provider_id, citizen.district_id) is None
        ):
            raise rules.NotApproved()
        return {
            "from_provider_id": current.id if current else None,
            "to_provider_id": d.provider_id,
        }
    if kind == "move":
        cols = {
            "inside": bool(d.inside),
            "new_address": d.address,
            "new_postcode": (d.postcode or "").strip(),
            "new_city": d.city,
        }
        if d.inside:
            cols["new_district_id"] = d.district_id or new_district(session, d.postcode or "")
        return cols
    if d.reason not in REASONS or d.reason == "moved_away":
        raise ValueError(d.reason)
    if d.reason == "opted_out" and d.alternative not in ALTERNATIVES:
        raise rules.MissingAlternative()
    if d.reason == "deceased" and not (d.estate_contact or "").strip():
        raise rules.MissingEstateContact()
    return {
        "reason": d.reason,
        "alternative": d.alternative if d.reason == "opted_out" else None,
        "estate_contact": (d.estate_contact or "").strip() or None,
    }


def submit(
    session,
    citizen,
    kind: str,
    details: Details,
    *,
    source: str,
    now: datetime,
    actor: Actor,
    policy: Policy,
) -> ChangeRequest:
    """A new pending request for `citizen` (one open request at a time; audited). A move, an
    end of care or a death may be reported while an approved change waits: it supersedes that
    change, at once for a death, on approval for the others (`rules.may_supersede`)."""
    found = rules.open_request(session, citizen.id)
    waiting = found if rules.may_supersede(kind, details.reason, found) else None
    if found is not None and waiting is None:
        raise rules.AlreadyOpen(reference=found.reference)
    columns = _validate(session, citizen, kind, details, now=now, policy=policy)
    req = ChangeRequest(
        reference=new_reference(session),
        citizen_id=citizen.id,
        kind=kind,
        status="pending",
        source=source,
        requested_by=actor.describe()[:300],
        effective_on=details.effective_on,
        note=(details.note or "").strip() or None,
        created_at=now,
        supersedes_id=waiting.id if waiting else None,
        **columns,
    )
    try:
        with session.begin_nested():  # a second open request collides on the partial index
            session.add(req)
            session.flush()
    except IntegrityError:
        found = rules.open_request(session, citizen.id)
        raise rules.AlreadyOpen(reference=found.reference if found else "") from None
    replacing = {"supersedes": waiting.reference} if waiting else {}
    _audit(session, actor, "change.requested", req, now, source=source, **replacing)
    at_once = waiting is not None and rules.supersedes_at_once(kind, details.reason)
    if at_once and not cancelling.supersede(
        session, waiting, req, now=now, actor=actor, policy=policy
    ):
        req.supersedes_id = None  # it was decided elsewhere meanwhile: nothing replaced
        session.flush()
    return req


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
    _audit(session, actor, "change.withdrawn", req, now)
    return req


def ask(session, req: ChangeRequest, question: str, *, now: datetime, actor: Actor):
    """The coordinator asks the citizen a question; the request waits for the answer."""
    _claim(session, req, "question")
    req.question, req.answer = question.strip(), None
    req.answered_at = req.answered_by = None
    session.flush()
    _audit(session, actor, "change.question_asked", req, now)
    return req


def answer(session, req: ChangeRequest, text: str, *, now: datetime, actor: Actor):
    """The citizen (or relative) answers; the request is pending again."""
    _claim(session, req, "pending", ("question",))
    req.answer = text.strip()
    req.answered_at, req.answered_by = now, actor.describe()[:300]
    session.flush()
    _audit(session, actor, "change.question_answered", req, now)
    return req


def refuse(session, req: ChangeRequest, reason: str, *, now: datetime, actor: Actor):
    """The coordinator refuses, with a reason the citizen reads."""
    _claim(session, req, "refused")
    req.refusal_reason = reason.strip()
    req.decided_at, req.decided_by = now, actor.describe()[:300]
    session.flush()
    _audit(session, actor, "change.refused", req, now)
    return req


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
    provider at the new address (default: the current one, if it serves the new district)."""
    _still_open(req)
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
    columns = _validate(session, citizen, req.kind, details, now=now, policy=policy)
    for key, value in columns.items():
        setattr(req, key, value)
    req.effective_on = effective_on
    req.status, req.decided_at, req.decided_by = "approved", now, actor.describe()[:300]
    effects.on_approval(session, req, now=now, actor=actor, tz=policy.tz, provider_id=provider_id)
    _audit(session, actor, "change.approved", req, now, effective_on=effective_on.isoformat())
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


__all__ = ["ChangeError", "Details", "Policy", "submit", "withdraw", "ask", "answer", "refuse"]
