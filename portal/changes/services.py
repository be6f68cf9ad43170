"""Asking for a change: what a request holds, the checks of its details, and sending it
(flush, never commit).

Deciding it (withdraw, ask, answer, refuse, approve, register) is in `portal.changes.decisions`;
what a decision does to the citizen, the provider and the keys is in `portal.changes.effects`.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from portal.audit.services import Actor, record
from portal.changes import cancelling, rules, superseding
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


def audit_request(session, actor, action, req, now, **data):
    """Audit `action` on a change request, with its reference, citizen and kind."""
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


def validate_details(session, citizen, kind: str, d: Details, *, now, policy: Policy) -> dict:
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
    change, at once for a death, on approval for the others (`superseding.may_supersede`). A
    death also supersedes a request not decided yet (but another death), and the approved
    change that one waits beside, all in this transaction; it stops the care no later than a
    change it replaced already does (`superseding.stop_on`), read as cancelled here."""
    found = rules.open_request(session, citizen.id)
    waiting = found if superseding.may_supersede(kind, details.reason, found) else None
    if found is not None and waiting is None:
        raise rules.AlreadyOpen(reference=found.reference)
    columns = validate_details(session, citizen, kind, details, now=now, policy=policy)
    at_once = waiting is not None and superseding.supersedes_at_once(kind, details.reason)
    chain = superseding.chain(waiting)
    today = rules.local_today(now, policy.tz)
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
        **columns,
    )
    try:
        with session.begin_nested():  # a second open request collides on the partial index
            # A death replaces at once, before it is saved: an undecided request it replaces
            # would collide with it (one undecided request at a time).
            replaced = at_once and cancelling.supersede_all(
                session, waiting, req, now=now, actor=actor, policy=policy
            )
            # The date rule reads what was replaced after its claim (the row is locked until
            # this transaction ends): a report withdrawn meanwhile no longer shortens it.
            req.effective_on = superseding.stop_on(
                kind, details.reason, replaced or [], details.effective_on, today
            )
            # When all it would replace was decided elsewhere meanwhile, nothing is replaced.
            req.supersedes_id = waiting.id if waiting and (replaced or not at_once) else None
            session.add(req)
            session.flush()
    except IntegrityError:
        found = rules.open_request(session, citizen.id)
        raise rules.AlreadyOpen(reference=found.reference if found else "") from None
    for earlier in chain:
        session.expire(earlier, ["superseded_by"])
    replacing = {"supersedes": waiting.reference} if req.supersedes_id else {}
    audit_request(session, actor, "change.requested", req, now, source=source, **replacing)
    return req


__all__ = ["ChangeError", "Details", "Policy", "submit"]
