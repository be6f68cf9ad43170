"""A blanket consent: one signature for every present and future property of an organisation.

Granting it grants every entrance of the organisation that is not granted yet (one decision
each, pointing at the blanket) and lets `apply_to_new_entrance` grant entrances registered
later. An entrance whose request has expired by the app's clock (whether or not the hourly
sweep has marked it) is not granted, as a single answer to it is refused: the receipt lists it
and the municipality asks again. Withdrawing it withdraws the entrances it granted, with the
usual notice.
"""

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record
from portal.consent import decisions, receipts, signals
from portal.consent.decision_support import (
    DecisionError,
    NotYours,
    Signature,
    Window,
    check_signature,
    check_windows,
    flush,
    history,
    mark_answered,
    replace_windows,
    request_expired,
    request_for,
    signed_fields,
)
from portal.consent.models import (
    BlanketConsent,
    ConsentDecision,
    ConsentStatus,
    DecisionKind,
    Entrance,
    EventKind,
    OwnerOrganisation,
    Property,
)
from portal.directory.queries import local_date


class BlanketExists(DecisionError):
    """The organisation already has a blanket consent in force."""


class NoBlanket(DecisionError):
    """The organisation has no blanket consent in force."""


def active_blanket(session, org_id: int | None) -> BlanketConsent | None:
    """The organisation's blanket consent in force (not withdrawn), if any."""
    if org_id is None:
        return None
    return session.scalars(
        select(BlanketConsent)
        .where(BlanketConsent.owner_id == org_id, BlanketConsent.withdrawn_at.is_(None))
        .order_by(BlanketConsent.id.desc())
        .limit(1)
    ).first()


def _entrances(session, org_id: int) -> list[Entrance]:
    return list(
        session.scalars(
            select(Entrance)
            .join(Property)
            .where(Property.owner_id == org_id)
            .order_by(Property.address, Entrance.id)
        )
    )


def _grant_one(session, blanket, entrance, request, fields, windows, who, now) -> ConsentDecision:
    entrance.consent_status = ConsentStatus.GRANTED
    entrance.consent_changed_at = now
    entrance.consent_ends_on = None
    flush(session, entrance.id)
    decision = ConsentDecision(
        entrance_id=entrance.id,
        owner_id=blanket.owner_id,
        request_id=request.id if request else None,
        blanket_id=blanket.id,
        kind=DecisionKind.GRANTED,
        decided_at=now,
        decided_by_user_id=who.user_id,
        **fields,
    )
    session.add(decision)
    if windows:
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
        note="blanket",
    )
    mark_answered(session, request)
    signals.entrance_granted.send(
        session,
        entrance=entrance,
        windows=[(w.weekday, w.starts, w.ends) for w in windows],
        now=now,
        actor=who.actor,
    )
    return decision


def grant_blanket(
    session,
    who: decisions.Decider,
    signature: Signature,
    windows: list[Window],
    *,
    current_terms: str,
    now: datetime,
) -> BlanketConsent:
    """Sign a blanket consent and grant every entrance of the organisation not granted yet."""
    if who.org_id is None:
        raise NotYours()
    if active_blanket(session, who.org_id) is not None:
        raise BlanketExists()
    check_signature(signature, current_terms)
    windows = check_windows(windows)
    fields = signed_fields(signature)
    blanket = BlanketConsent(
        owner_id=who.org_id, granted_at=now, granted_by_user_id=who.user_id, **fields
    )
    session.add(blanket)
    try:
        session.flush()
    except IntegrityError as exc:  # another signer's blanket got in first (partial unique index)
        raise BlanketExists() from exc
    granted, expired = [], []
    for entrance in _entrances(session, who.org_id):
        if entrance.consent_status == ConsentStatus.GRANTED:
            continue
        request = request_for(session, who.org_id, entrance.property_id)
        if request_expired(entrance, request, now):
            expired.append(entrance)
            continue
        _grant_one(session, blanket, entrance, request, fields, windows, who, now)
        granted.append(entrance)
    record(
        session,
        who.actor,
        "consent.blanket_granted",
        now=now,
        object_type="blanket_consent",
        object_id=blanket.id,
        data={"entrances": [e.id for e in granted], "expired": [e.id for e in expired]},
    )
    org = session.get(OwnerOrganisation, who.org_id)
    pdf = receipts.receipt_pdf(
        lang=signature.lang,
        kind="blanket",
        org=org,
        entrances=granted,
        signed=blanket,
        at=now,
        windows=windows,
        expired=expired,
    )
    receipts.attach(blanket, pdf)
    return blanket


def apply_to_new_entrance(session, entrance: Entrance, *, now: datetime, actor) -> bool:
    """Grant a newly registered (or newly bought) entrance under the owner's blanket consent.

    For the register and the import: True when a blanket applied.
    """
    org_id = entrance.property.owner_id
    blanket = active_blanket(session, org_id)
    if blanket is None or entrance.consent_status == ConsentStatus.GRANTED:
        return False
    request = request_for(session, org_id, entrance.property_id)
    if request_expired(entrance, request, now):
        return False
    fields = {k: getattr(blanket, k) for k in signed_fields_keys()}
    who = decisions.Decider(None, org_id, actor)
    _grant_one(session, blanket, entrance, request, fields, [], who, now)
    return True


def signed_fields_keys() -> tuple[str, ...]:
    """The signature columns a blanket passes on to the decisions it makes."""
    return (
        "signer_name",
        "signer_role",
        "may_sign_for_org",
        "typed_confirmation",
        "terms_version",
        "terms_hash",
        "signature_method",
        "signature_subject",
    )


def withdraw_blanket(
    session,
    who: decisions.Decider,
    *,
    reason: str,
    signer_name: str,
    signer_role: str,
    lang: str,
    notice_days: int,
    timezone: str,
    now: datetime,
) -> tuple[BlanketConsent, int]:
    """Withdraw the blanket consent and every entrance it granted; returns it and the number of
    booked jobs the locksmith side cancelled."""
    blanket = active_blanket(session, who.org_id)
    if blanket is None:
        raise NoBlanket()
    ends = local_date(now, timezone) + timedelta(days=max(0, int(notice_days)))
    blanket.withdrawn_at = now
    blanket.notice_ends_on = ends
    covered = []
    cancelled = 0
    for entrance in _entrances(session, who.org_id):
        if entrance.consent_status != ConsentStatus.GRANTED:
            continue
        latest = session.scalars(
            select(ConsentDecision)
            .where(ConsentDecision.entrance_id == entrance.id)
            .order_by(ConsentDecision.decided_at.desc(), ConsentDecision.id.desc())
            .limit(1)
        ).first()
        if latest is None or latest.blanket_id != blanket.id:
            continue
        _decision, n = decisions.withdraw(
            session,
            who,
            entrance.id,
            None,
            reason=reason,
            signer_name=signer_name,
            signer_role=signer_role,
            lang=lang,
            notice_days=notice_days,
            timezone=timezone,
            now=now,
            blanket_id=blanket.id,
            receipt=False,
        )
        covered.append(entrance)
        cancelled += n
    record(
        session,
        who.actor,
        "consent.blanket_withdrawn",
        now=now,
        object_type="blanket_consent",
        object_id=blanket.id,
        data={"entrances": [e.id for e in covered], "ends_on": ends.isoformat()},
    )
    org = session.get(OwnerOrganisation, who.org_id)
    pdf = receipts.receipt_pdf(
        lang=lang,
        kind="blanket_withdrawn",
        org=org,
        entrances=covered,
        signed=blanket,
        at=now,
        ends_on=ends,
        cancelled=cancelled,
        withdrawn_by=signer_name.strip(),
        reason=reason,
    )
    # The grant's receipt stays; the withdrawal has its own (one for all its entrances).
    blanket.withdrawal_receipt_pdf = pdf
    blanket.withdrawal_receipt_sha256 = hashlib.sha256(pdf).hexdigest()
    return blanket, cancelled
