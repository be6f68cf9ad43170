"""Outbox rules: queue messages in the caller's transaction, deliver them with retries."""

import contextlib
import logging
import smtplib
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError

from portal.notify.models import OutboxMessage

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)


def queue(session, *, kind, to, subject, body, now, citizen_id=None, dedupe_key=None):
    """Add a message to the outbox in the caller's transaction (never commits)."""
    message = OutboxMessage(
        kind=kind,
        to_address=to,
        subject=subject[:200],
        body=body,
        citizen_id=citizen_id,
        dedupe_key=dedupe_key,
        status="pending",
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


def queue_for_appointment(session, appointment, kind: str, *, now, dedupe_key=None):
    """Queue a booking message to the citizen's email, when they have one."""
    from portal.notify.messages import compose

    address = appointment.citizen.email
    if not address:
        return None
    subject, body = compose(kind, appointment)
    return queue(
        session,
        kind=kind,
        to=address,
        subject=subject,
        body=body,
        now=now,
        citizen_id=appointment.citizen_id,
        dedupe_key=dedupe_key,
    )


def kick() -> None:
    """Ask the job consumer to send now; the minute tick would find the messages anyway."""
    if not has_app_context():
        return
    if not current_app.config.get("MAIL_SEND_ON_COMMIT", not current_app.testing):
        return
    from portal.notify.tasks import send_outbox

    try:
        send_outbox()
    except Exception:  # the queue being down loses nothing: the outbox row is committed
        log.warning("could not enqueue the outbox job; the periodic tick will send it")


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_BACKOFF)


def _claim(session, now: datetime, limit: int) -> list[OutboxMessage]:
    due = and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
    ids = session.scalars(
        select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    ).all()
    claimed = []
    for message_id in ids:
        # A lease: another worker skips it, and a crashed worker's message comes back later.
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, due)
            .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + LEASE)
        )
        if result.rowcount == 1:
            claimed.append(message_id)
    session.commit()
    return [session.get(OutboxMessage, i) for i in claimed]


def _connect(config, smtp_factory):
    if smtp_factory is None:
        smtp_factory = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    conn = smtp_factory(
        config.get("MAIL_SERVER", "localhost"),
        int(config.get("MAIL_PORT", 25)),
        timeout=float(config.get("MAIL_TIMEOUT", 10)),
    )
    if config.get("MAIL_USE_TLS"):
        conn.starttls()
    if config.get("MAIL_USERNAME"):
        conn.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return conn


def _email(message: OutboxMessage, config) -> EmailMessage:
    email = EmailMessage()
    email["From"] = config.get("MAIL_DEFAULT_SENDER") or config.get("MUNICIPALITY_EMAIL")
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=config.get("MAIL_MESSAGE_ID_DOMAIN") or None)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    return email


def _failed(message: OutboxMessage, error: Exception, now: datetime, max_attempts: int) -> None:
    message.last_error = f"{type(error).__name__}: {error}"[:300]
    permanent = isinstance(error, smtplib.SMTPRecipientsRefused)
    if permanent or message.attempts >= max_attempts:
        message.status = "failed"
    else:
        message.next_attempt_at = now + backoff(message.attempts)


def deliver_pending(session, *, now: datetime, config, smtp_factory=None, limit=50):
    """Send due messages over SMTP; return (sent, failed). Failures are retried later."""
    messages = _claim(session, now, limit)
    if not messages:
        return 0, 0
    max_attempts = int(config.get("MAIL_MAX_ATTEMPTS", 10))
    try:
        conn = _connect(config, smtp_factory)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail server unavailable: %s", exc)
        for message in messages:
            _failed(message, exc, now, max_attempts)
        session.commit()
        return 0, len(messages)
    sent = failed = 0
    try:
        for message in messages:
            try:
                conn.send_message(_email(message, config))
            except (OSError, smtplib.SMTPException) as exc:
                _failed(message, exc, now, max_attempts)
                failed += 1
            else:
                message.status, message.sent_at, message.last_error = "sent", now, None
                sent += 1
            session.commit()  # one by one, so a crash never re-sends what already went
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            conn.quit()
    return sent, failed


def queue_reminders(session, *, now: datetime, tz: ZoneInfo, hour: int = 10) -> int:
    """Queue tomorrow's reminders once the local clock has passed `hour` (commits)."""
    from portal.booking.models import Appointment, Slot

    local_now = now.astimezone(tz)
    if local_now.hour < hour:
        return 0
    tomorrow = local_now.date() + timedelta(days=1)
    start_of_today = datetime.combine(local_now.date(), time(0), tzinfo=tz)
    rows = session.scalars(
        select(Appointment)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(Appointment.status == "booked", Slot.local_date == tomorrow)
        .where(func.coalesce(Appointment.changed_at, Appointment.booked_at) < start_of_today)
    ).all()
    queued = 0
    for appointment in rows:
        key = f"reminder:{appointment.id}:{appointment.slot_id}"
        if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        try:
            with session.begin_nested():
                if (
                    queue_for_appointment(session, appointment, "reminder", now=now, dedupe_key=key)
                    is not None
                ):
                    queued += 1
        except IntegrityError:  # another worker queued it a moment ago
            continue
    session.commit()
    return queued
