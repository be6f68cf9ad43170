"""What the owner's decision services share: errors, the signature, finding an entrance the
organisation may decide for, fitter windows, and the history line with its audit record."""

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.services import Actor, record
from portal.consent import terms
from portal.consent.models import (
    ConsentDecision,
    ConsentRequest,
    ConsentStatus,
    Entrance,
    FitterWindow,
    PropertyEvent,
    RequestStatus,
    consent_request_property,
)


class DecisionError(Exception):
    """A decision cannot be made; subclasses say why."""


class NotYours(DecisionError):
    """No such entrance, or never the organisation's (the view answers 404)."""


class PropertySold(DecisionError):
    """The property has changed owner since the organisation was asked."""

    def __init__(self, prop):
        super().__init__(prop.id)
        self.property = prop


class DecisionConflict(DecisionError):
    """Somebody else decided this entrance first; theirs stands."""

    def __init__(self, entrance_id: int):
        super().__init__(entrance_id)
        self.entrance_id = entrance_id


class NotAllowed(DecisionError):
    """This decision does not follow from the entrance's status (e.g. declining a grant)."""


class RequestExpired(DecisionError):
    """The entrance's request has expired: the municipality asks again before an answer counts."""


class TermsChanged(DecisionError):
    """The terms shown are not the terms in force (the text changed, or the page was forged)."""


class SignatureIncomplete(DecisionError):
    """The signer did not confirm authority or did not type the confirmation."""


class BadWindows(DecisionError):
    """A fitter window is not a weekday with a start before its end."""


@dataclass(frozen=True)
class Signature:
    """Who signs, in what capacity, what they typed and which terms they saw (by hash)."""

    name: str
    role: str
    may_sign: bool
    typed: str
    terms_hash: str
    lang: str
    method: str = "typed"
    subject: str | None = None


@dataclass(frozen=True)
class Window:
    """A weekly window when the fitter may come: weekday 0 (Monday) to 6, from and to."""

    weekday: int
    starts: time
    ends: time


MAX_WINDOWS = 7


def check_signature(sig: Signature, current_terms: str) -> None:
    """Refuse a signature without authority, without the typed phrase, or on other terms."""
    if not sig.may_sign or not (sig.name or "").strip() or not (sig.role or "").strip():
        raise SignatureIncomplete()
    if not terms.phrase_matches(sig.typed, sig.lang):
        raise SignatureIncomplete()
    if sig.terms_hash != terms.terms_hash(current_terms):
        raise TermsChanged()


def signed_fields(sig: Signature) -> dict:
    """The SignedMixin columns of a signature."""
    return {
        "signer_name": sig.name.strip(),
        "signer_role": sig.role.strip(),
        "may_sign_for_org": True,
        "typed_confirmation": " ".join(sig.typed.split()),
        "terms_version": f"{terms.TERMS_VERSION}:{sig.lang}",
        "terms_hash": sig.terms_hash,
        "signature_method": sig.method,
        "signature_subject": sig.subject,
    }


def check_windows(windows) -> list[Window]:
    """The windows sorted, or BadWindows (weekday out of range, start not before end, too many)."""
    windows = list(windows or ())
    if len(windows) > MAX_WINDOWS:
        raise BadWindows()
    for w in windows:
        if not (0 <= w.weekday <= 6) or not w.starts < w.ends:
            raise BadWindows()
    return sorted(set(windows), key=lambda w: (w.weekday, w.starts))


def replace_windows(session, entrance: Entrance, windows: list[Window]) -> None:
    """The entrance's fitter windows become `windows`."""
    session.execute(delete(FitterWindow).where(FitterWindow.entrance_id == entrance.id))
    session.add_all(
        FitterWindow(entrance_id=entrance.id, weekday=w.weekday, starts=w.starts, ends=w.ends)
        for w in windows
    )


def windows_of(session, entrance_id: int) -> list[Window]:
    """The fitter windows of an entrance, by weekday."""
    rows = session.scalars(
        select(FitterWindow)
        .where(FitterWindow.entrance_id == entrance_id)
        .order_by(FitterWindow.weekday, FitterWindow.starts)
    )
    return [Window(r.weekday, r.starts, r.ends) for r in rows]


def _asked_before(session, org_id: int, entrance: Entrance) -> bool:
    asked = exists().where(
        consent_request_property.c.property_id == entrance.property_id,
        consent_request_property.c.request_id == ConsentRequest.id,
        ConsentRequest.owner_id == org_id,
    )
    decided = exists().where(
        ConsentDecision.entrance_id == entrance.id, ConsentDecision.owner_id == org_id
    )
    return bool(session.scalar(select(or_(asked, decided))))


def entrance_for(session, org_id: int | None, entrance_id: int) -> Entrance:
    """The entrance if the organisation owns it now; PropertySold if it did; else NotYours."""
    entrance = session.get(Entrance, entrance_id)
    if entrance is None or org_id is None:
        raise NotYours()
    if entrance.property.owner_id != org_id:
        if _asked_before(session, org_id, entrance):
            raise PropertySold(entrance.property)
        raise NotYours()
    return entrance


def check_version(entrance: Entrance, version: int | None) -> None:
    """The page showed the entrance as it is now; otherwise somebody decided in between."""
    if version is not None and entrance.version != version:
        raise DecisionConflict(entrance.id)


def flush(session, entrance_id: int) -> None:
    """Write the change; a concurrent writer's version bump becomes a DecisionConflict."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise DecisionConflict(entrance_id) from exc


def request_for(session, org_id: int, property_id: int) -> ConsentRequest | None:
    """The newest request to the organisation that names the property."""
    return session.scalars(
        select(ConsentRequest)
        .join(consent_request_property)
        .where(
            ConsentRequest.owner_id == org_id,
            consent_request_property.c.property_id == property_id,
        )
        .order_by(ConsentRequest.sent_at.desc(), ConsentRequest.id.desc())
        .limit(1)
    ).first()


def request_expired(entrance: Entrance, request: ConsentRequest | None, now: datetime) -> bool:
    """The entrance waits on a request that has expired by the app's clock (swept or not)."""
    return (
        entrance.consent_status == ConsentStatus.REQUESTED
        and request is not None
        and request.has_expired(now)
    )


def check_not_expired(entrance: Entrance, request: ConsentRequest | None, now: datetime) -> None:
    """Refuse an answer to a request that has expired by the app's clock (RequestExpired)."""
    if request_expired(entrance, request, now):
        raise RequestExpired()


def mark_answered(session, request: ConsentRequest | None) -> None:
    """An open request is answered once no entrance of its properties is pending."""
    if request is None or request.status != RequestStatus.OPEN:
        return
    pending = {"not_requested", "requested"}
    if all(e.consent_status not in pending for p in request.properties for e in p.entrances):
        request.status = RequestStatus.ANSWERED


def history(
    session,
    entrance: Entrance,
    kind: str,
    *,
    now: datetime,
    actor: Actor,
    decision=None,
    request=None,
    question=None,
    note=None,
    data=None,
) -> None:
    """A line in the property's history and the audit record beside it."""
    session.add(
        PropertyEvent(
            property_id=entrance.property_id,
            at=now,
            kind=kind,
            entrance_id=entrance.id,
            request_id=request.id if request else None,
            decision_id=decision.id if decision else None,
            question_id=question.id if question else None,
            actor=actor.describe()[:200],
            note=note,
        )
    )
    record(
        session,
        actor,
        f"consent.{kind}",
        now=now,
        object_type="entrance",
        object_id=entrance.id,
        data=(data or {}) | ({"decision": decision.id} if decision else {}),
    )
