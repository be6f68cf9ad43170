"""The owner's decisions on one entrance: grant (signed, with fitter windows), decline with a
reason, withdraw with notice. Each writes a ConsentDecision, a history line, an audit record and
a receipt, flushes and never commits.

Two signers deciding the same entrance at once leave one decision: the page carries the
entrance's version, and the UPDATE is guarded by it (a concurrent one fails: DecisionConflict).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.audit.services import Actor
from portal.consent import receipts, signals
from portal.consent.decision_support import (  # noqa: F401 (NotYours: for callers)
    NotAllowed,
    NotYours,
    Signature,
    Window,
    check_not_expired,
    check_signature,
    check_version,
    check_windows,
    entrance_for,
    flush,
    history,
    mark_answered,
    replace_windows,
    request_for,
    signed_fields,
)
from portal.consent.models import ConsentDecision, ConsentStatus, DecisionKind, Entrance, EventKind
from portal.directory.queries import local_date

GRANTABLE = (
    ConsentStatus.NOT_REQUESTED,
    ConsentStatus.REQUESTED,
    ConsentStatus.DECLINED,
    ConsentStatus.WITHDRAWN,
)
DECLINABLE = (ConsentStatus.NOT_REQUESTED, ConsentStatus.REQUESTED)


@dataclass(frozen=True)
class Decider:
    """Who decides: the owner account and its organisation."""

    user_id: int | None
    org_id: int | None
    actor: Actor


def _decision(entrance: Entrance, who: Decider, kind: str, now: datetime, request, **fields):
    return ConsentDecision(
        entrance_id=entrance.id,
        owner_id=who.org_id,
        request_id=request.id if request else None,
        kind=kind,
        decided_at=now,
        decided_by_user_id=who.user_id,
        **fields,
    )


def _receipt(decision, entrance, *, lang, kind, now, **extra) -> None:
    org = entrance.property.owner
    pdf = receipts.receipt_pdf(
        lang=lang, kind=kind, org=org, entrances=[entrance], signed=decision, at=now, **extra
    )
    receipts.attach(decision, pdf)


def grant(
    session,
    who: Decider,
    entrance_id: int,
    version: int | None,
    signature: Signature,
    windows: list[Window],
    *,
    current_terms: str,
    now: datetime,
) -> ConsentDecision:
    """Grant consent for an entrance, signed; the locksmith hears of it with the windows."""
    entrance = entrance_for(session, who.org_id, entrance_id)
    check_version(entrance, version)
    if entrance.consent_status not in GRANTABLE:
        raise NotAllowed()
    request = request_for(session, who.org_id, entrance.property_id)
    check_not_expired(entrance, request, now)
    check_signature(signature, current_terms)
    windows = check_windows(windows)
    entrance.consent_status = ConsentStatus.GRANTED
    entrance.consent_changed_at = now
    entrance.consent_ends_on = None
    flush(session, entrance.id)
    decision = _decision(
        entrance, who, DecisionKind.GRANTED, now, request, **signed_fields(signature)
    )
    session.add(decision)
    replace_windows(session, entrance, windows)
    session.flush()
    history(
        session,
        entrance,
        EventKind.GRANTED,
        now=now,
        actor=who.actor,
        decision=decision,
        request=request,
    )
    mark_answered(session, request)
    signals.entrance_granted.send(
        session,
        entrance=entrance,
        windows=[(w.weekday, w.starts, w.ends) for w in windows],
        now=now,
        actor=who.actor,
    )
    _receipt(decision, entrance, lang=signature.lang, kind="granted", now=now, windows=windows)
    return decision


def decline(
    session,
    who: Decider,
    entrance_id: int,
    version: int | None,
    *,
    reason: str,
    signer_name: str,
    signer_role: str,
    lang: str,
    now: datetime,
) -> ConsentDecision:
    """Decline consent for a pending entrance, with a reason the coordinator reads."""
    entrance = entrance_for(session, who.org_id, entrance_id)
    check_version(entrance, version)
    if entrance.consent_status not in DECLINABLE:
        raise NotAllowed()
    request = request_for(session, who.org_id, entrance.property_id)
    check_not_expired(entrance, request, now)
    entrance.consent_status = ConsentStatus.DECLINED
    entrance.consent_changed_at = now
    flush(session, entrance.id)
    decision = _decision(
        entrance,
        who,
        DecisionKind.DECLINED,
        now,
        request,
        reason=reason.strip(),
        signer_name=signer_name.strip(),
        signer_role=signer_role.strip(),
    )
    session.add(decision)
    session.flush()
    history(
        session,
        entrance,
        EventKind.DECLINED,
        now=now,
        actor=who.actor,
        decision=decision,
        request=request,
        note=reason.strip()[:500],
    )
    mark_answered(session, request)
    _receipt(decision, entrance, lang=lang, kind="declined", now=now)
    return decision


def cancelled_jobs(results) -> int:
    """How many booked jobs the signal's receivers say they cancelled.

    A receiver may return {"cancelled_jobs": n}; anything else counts as nothing.
    """
    total = 0
    for _receiver, value in results:
        if isinstance(value, dict):
            total += int(value.get("cancelled_jobs") or 0)
    return total


def withdraw(
    session,
    who: Decider,
    entrance_id: int,
    version: int | None,
    *,
    reason: str,
    signer_name: str,
    signer_role: str,
    lang: str,
    notice_days: int,
    timezone: str,
    now: datetime,
    blanket_id: int | None = None,
    receipt: bool = True,
) -> tuple[ConsentDecision, int]:
    """Withdraw a granted entrance; door rights end after the notice. Returns the decision and
    how many booked jobs the locksmith side cancelled."""
    entrance = entrance_for(session, who.org_id, entrance_id)
    check_version(entrance, version)
    if entrance.consent_status != ConsentStatus.GRANTED:
        raise NotAllowed()
    ends = local_date(now, timezone) + timedelta(days=max(0, int(notice_days)))
    request = request_for(session, who.org_id, entrance.property_id)
    entrance.consent_status = ConsentStatus.WITHDRAWN
    entrance.consent_changed_at = now
    entrance.consent_ends_on = ends
    flush(session, entrance.id)
    decision = _decision(
        entrance,
        who,
        DecisionKind.WITHDRAWN,
        now,
        request,
        reason=(reason or "").strip() or None,
        signer_name=signer_name.strip(),
        signer_role=signer_role.strip(),
        notice_ends_on=ends,
        blanket_id=blanket_id,
    )
    session.add(decision)
    session.flush()
    results = signals.entrance_withdrawn.send(
        session, entrance=entrance, on=ends, now=now, actor=who.actor
    )
    cancelled = cancelled_jobs(results)
    history(
        session,
        entrance,
        EventKind.WITHDRAWN,
        now=now,
        actor=who.actor,
        decision=decision,
        request=request,
        note=(reason or "").strip()[:500] or None,
        # visits_counted: the count is of booked visits (before, receivers reported none).
        data={"ends_on": ends.isoformat(), "cancelled_jobs": cancelled, "visits_counted": True},
    )
    if receipt:
        _receipt(decision, entrance, lang=lang, kind="withdrawn", now=now, cancelled=cancelled)
    return decision, cancelled
