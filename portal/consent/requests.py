"""Asking owners for consent: requests with an invitation code, reminders, expiry, answers.

One request per owner organisation per sending (one letter, one code), naming the properties
it asks about. The code is stored like a citizen's letter code: encrypted and as a blind index
(purpose `INVITE_PURPOSE`). Flush, never commit; audited in the caller's transaction.
"""

from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.audit.services import Actor
from portal.citizens import letter_codes
from portal.consent import board, emails, history
from portal.consent.models import (
    PENDING_STATUSES,
    ConsentQuestion,
    ConsentRequest,
    ConsentStatus,
    EventKind,
    Property,
    RequestStatus,
)
from portal.notify.services import queue
from portal.notify.tasks import kick
from portal.unit_of_work import after_commit

INVITE_PURPOSE = "consent_invitation"
DEFAULTS = {"CONSENT_REQUEST_DAYS": 60, "CONSENT_REMINDER_DAYS": 14, "CONSENT_MAX_REMINDERS": 2}
MAX_ANSWER = 4000


class NothingToRequest(ValueError):
    """None of the chosen properties has an entrance still waiting for an answer."""


class QuestionProblem(ValueError):
    """The question is gone, already answered, or the answer is empty or too long."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def setting(config, key: str) -> int:
    """A consent setting from the config, or its default."""
    return int(config.get(key, DEFAULTS[key]))


def code_of(keyring, request: ConsentRequest) -> str:
    """The plain invitation code of a request (for its letter)."""
    return keyring.decrypt(request.code_enc, INVITE_PURPOSE)


def find_by_code(session, keyring, code: str) -> ConsentRequest | None:
    """The request with this (normalised) invitation code, if any."""
    index = keyring.blind_index(code, INVITE_PURPOSE)
    return session.scalar(select(ConsentRequest).where(ConsentRequest.code_index == index))


def _pending(prop: Property) -> list:
    return [e for e in prop.entrances if e.consent_status in PENDING_STATUSES]


def why_no_letter(request: ConsentRequest, now) -> str | None:
    """Why the request's letter is no longer to be posted, asked with the rule `send_requests`
    chose it by (an entrance of the owner's properties waiting, the request running):
    "cancelled" (e.g. the property was sold), "expired", or "decided" (nothing waits now)."""
    if request.status == RequestStatus.CANCELLED:
        return "cancelled"
    if request.has_expired(now):
        return "expired"
    owned = [p for p in request.properties if p.owner_id == request.owner_id]
    if request.status == RequestStatus.ANSWERED or not any(_pending(p) for p in owned):
        return "decided"
    return None


def send_requests(
    session, keyring, property_ids, *, config, now, actor: Actor, user_id=None, rng=None
) -> list[ConsentRequest]:
    """Ask each owner of these properties once; queue an email where the owner has an address."""
    # A property already in a running request to its owner is not asked twice (a double click);
    # one whose request is past its answer-by time is asked again, swept or not.
    props = session.scalars(
        select(Property)
        .where(
            Property.id.in_(sorted({int(i) for i in property_ids}) or [-1]),
            ~board.open_request_for_owner(now),
        )
        .options(selectinload(Property.entrances), selectinload(Property.owner))
        .order_by(Property.owner_id, Property.address, Property.id)
    ).all()
    by_owner: dict[int, list[Property]] = {}
    for prop in props:
        if _pending(prop):
            by_owner.setdefault(prop.owner_id, []).append(prop)
    if not by_owner:
        raise NothingToRequest()
    days = setting(config, "CONSENT_REQUEST_DAYS")
    made = []
    for owner_props in by_owner.values():
        owner = owner_props[0].owner
        code = letter_codes.generate(rng)
        request = ConsentRequest(
            owner=owner,
            code_enc=keyring.encrypt(code, INVITE_PURPOSE),
            code_index=keyring.blind_index(code, INVITE_PURPOSE),
            status=RequestStatus.OPEN,
            channel="letter_email" if owner.email else "letter",
            language=emails.language_of(owner, config),
            sent_at=now,
            expires_at=now + timedelta(days=days),
            sent_by_user_id=user_id,
            properties=owner_props,
        )
        session.add(request)
        session.flush()
        for prop in owner_props:
            for entrance in _pending(prop):
                if entrance.consent_status != ConsentStatus.REQUESTED:
                    entrance.consent_status = ConsentStatus.REQUESTED
                    entrance.consent_changed_at = now
            history.log(
                session, prop.id, EventKind.REQUESTED, now=now, actor=actor, request_id=request.id
            )
        if owner.email:
            subject, body = emails.compose("request", request, code)
            after_commit(session, kick)
            queue(
                session,
                kind="consent_request",
                to=owner.email,
                subject=subject,
                body=body,
                now=now,
                dedupe_key=f"consent-request:{request.id}",
            )
            request.email_sent_at = now
        history.audited(
            session,
            actor,
            "consent.requested",
            request,
            now=now,
            owner=owner.id,
            properties=[p.id for p in owner_props],
            channel=request.channel,
        )
        made.append(request)
    session.flush()
    return made


def remind_due(session, keyring, *, config, now, actor: Actor) -> list[ConsentRequest]:
    """Remind owners of open requests not answered for the configured days; expire old ones.

    Idempotent: a request is reminded at most once per period (its `reminded_at` moves on), at
    most CONSENT_MAX_REMINDERS times, and each reminder email has its own dedupe key.
    """
    expired = session.scalars(
        select(ConsentRequest).where(
            ConsentRequest.status == RequestStatus.OPEN, ConsentRequest.expires_at <= now
        )
    ).all()
    for request in expired:
        request.status = RequestStatus.EXPIRED
        for prop in request.properties:
            history.log(
                session, prop.id, EventKind.EXPIRED, now=now, actor=actor, request_id=request.id
            )
        history.audited(session, actor, "consent.request_expired", request, now=now)
    due_before = now - timedelta(days=setting(config, "CONSENT_REMINDER_DAYS"))
    due = session.scalars(
        select(ConsentRequest)
        .where(
            ConsentRequest.status == RequestStatus.OPEN,
            ConsentRequest.reminder_count < setting(config, "CONSENT_MAX_REMINDERS"),
            or_(
                ConsentRequest.reminded_at <= due_before,
                (ConsentRequest.reminded_at.is_(None)) & (ConsentRequest.sent_at <= due_before),
            ),
        )
        .order_by(ConsentRequest.id)
    ).all()
    reminded = []
    for request in due:
        waiting = [p for p in request.properties if p.owner_id == request.owner_id and _pending(p)]
        if not waiting:
            continue
        request.reminder_count += 1
        request.reminded_at = now
        for prop in waiting:
            history.log(
                session, prop.id, EventKind.REMINDED, now=now, actor=actor, request_id=request.id
            )
        if request.owner.email:
            subject, body = emails.compose("reminder", request, code_of(keyring, request))
            after_commit(session, kick)
            queue(
                session,
                kind="consent_reminder",
                to=request.owner.email,
                subject=subject,
                body=body,
                now=now,
                dedupe_key=f"consent-reminder:{request.id}:{request.reminder_count}",
            )
        history.audited(
            session, actor, "consent.reminded", request, now=now, count=request.reminder_count
        )
        reminded.append(request)
    session.flush()
    return reminded


def answer_question(session, question_id: int, text: str, *, now, actor: Actor, user_id=None):
    """A coordinator's answer to an owner's question (once; a second answer is refused)."""
    question = session.get(ConsentQuestion, question_id)
    if question is None:
        raise QuestionProblem("not_found")
    text = (text or "").strip()
    if not text:
        raise QuestionProblem("empty")
    if len(text) > MAX_ANSWER:
        raise QuestionProblem("too_long")
    # One conditional UPDATE: of two coordinators answering at once, the second finds none.
    claimed = session.execute(
        update(ConsentQuestion)
        .where(ConsentQuestion.id == question.id, ConsentQuestion.answered_at.is_(None))
        .values(answer=text, answered_at=now, answered_by_user_id=user_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        raise QuestionProblem("answered")
    session.refresh(question)
    if question.property_id is not None:
        history.log(
            session,
            question.property_id,
            EventKind.ANSWER,
            now=now,
            actor=actor,
            question_id=question.id,
            entrance_id=question.entrance_id,
        )
    history.audited(session, actor, "consent.question_answered", question, now=now)
    _tell_owner(session, question, now=now)
    session.flush()
    return question


def cancel_for_sale(session, prop, old_owner_id: int, *, now, actor: Actor) -> list:
    """Cancel the seller's open requests that no longer name any property the seller owns."""
    cancelled = []
    stmt = select(ConsentRequest).where(
        ConsentRequest.owner_id == old_owner_id,
        ConsentRequest.status == RequestStatus.OPEN,
        ConsentRequest.properties.any(Property.id == prop.id),
    )
    for request in session.scalars(stmt):
        if any(p.owner_id == old_owner_id for p in request.properties):
            continue
        request.status = RequestStatus.CANCELLED
        history.log(
            session, prop.id, EventKind.CANCELLED, now=now, actor=actor, request_id=request.id
        )
        history.audited(
            session, actor, "consent.request_cancelled", request, now=now, reason="sold"
        )
        cancelled.append(request)
    session.flush()
    return cancelled


def _tell_owner(session, question: ConsentQuestion, *, now) -> None:
    """Email the answer to whoever asked (their account's address), else the organisation."""
    asker = session.get(User, question.asked_by_user_id) if question.asked_by_user_id else None
    to = asker.email if asker is not None else question.owner.email
    if not to:
        return  # no address: the owner reads the answer in the portal
    subject, body = emails.compose_answer(question)
    queue(
        session,
        kind="consent_answer",
        to=to,
        subject=subject,
        body=body,
        now=now,
        dedupe_key=f"consent-answer:{question.id}",
    )
    after_commit(session, kick)
