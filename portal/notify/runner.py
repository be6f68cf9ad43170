"""Deliver the outbox over SMTP: a background job, not a service.

It commits by design, as a runner: the claim (a lease) commits before any mail goes out, so a
second worker skips those messages, and each message commits on its own once sent, so a crash
half-way never sends again what already went.

Once a message has gone (or failed for good), its stored copy keeps no secret (portal.web.redact:
a letter code in a link's query, a staff invitation's one-time token in its path): the table is
read by backups and support staff, and a live link there would let them use it first.
"""

import contextlib
import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import and_, select, update

from portal.notify.models import OutboxMessage
from portal.notify.services import LEASE, backoff
from portal.web.redact import redact

log = logging.getLogger(__name__)


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
    # A refused address is final only when the server says so for good (5xx); a 4xx (mailbox
    # busy, greylisting, relay throttling) is tried again like an outage.
    permanent = isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _text in error.recipients.values()
    )
    if permanent or message.attempts >= max_attempts:
        message.status, message.body = "failed", redact(message.body)
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
                email = _email(message, config)
            except ValueError as exc:  # a header the email library refuses: never sendable
                log.error("outbox message %s cannot be built: %s", message.id, exc)
                message.status, message.last_error = "failed", f"ValueError: {exc}"[:300]
                message.body = redact(message.body)
                failed += 1
                session.commit()
                continue
            try:
                conn.send_message(email)
            except (OSError, smtplib.SMTPException) as exc:
                _failed(message, exc, now, max_attempts)
                failed += 1
            else:
                message.status, message.sent_at, message.last_error = "sent", now, None
                message.body = redact(message.body)
                sent += 1
            session.commit()  # one by one, so a crash never re-sends what already went
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            conn.quit()
    return sent, failed
