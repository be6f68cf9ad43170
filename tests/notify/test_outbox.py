"""The outbox: sending with a fake SMTP server, outages, retries, reminders, languages."""

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.booking import emails
from portal.booking import services as booking
from portal.notify import runner, services, tasks
from portal.notify.models import OutboxMessage
from tests.booking.support import TZ, make_world

CONFIG = {
    "MAIL_SERVER": "mail.test",
    "MAIL_PORT": 2525,
    "MAIL_DEFAULT_SENDER": "kommune@test",
    "MAIL_MAX_ATTEMPTS": 3,
    "MUNICIPALITY_EMAIL": "x@test",
}


class FakeSMTP:
    """Records what would have been sent; can be told to be down or to refuse."""

    sent: list = []
    down = False
    refuse = False

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.down:
            raise ConnectionRefusedError("mail server down")
        self.host, self.port = host, port

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        if FakeSMTP.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})
        FakeSMTP.sent.append(message)

    def quit(self):
        pass


@pytest.fixture
def smtp(monkeypatch):
    FakeSMTP.sent, FakeSMTP.down, FakeSMTP.refuse = [], False, False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


@pytest.fixture
def booked(db, now):
    world = make_world(db, now=now)
    world.citizens[0].email = "borger@example.org"
    db.commit()
    return booking.book_slot(db, world.citizens[0].id, world.slots(db)[0].id, now=now)


def _deliver(db, now):
    return runner.deliver_pending(db, now=now, config=CONFIG)


def test_pending_messages_are_sent_once(db, now, smtp, booked):
    assert _deliver(db, now) == (1, 0)
    assert smtp.sent[0]["To"] == "borger@example.org"
    assert smtp.sent[0]["From"] == "kommune@test"
    assert booked.reference in smtp.sent[0].get_content()
    assert _deliver(db, now) == (0, 0)
    assert db.scalar(select(OutboxMessage)).status == "sent"


def test_an_outage_loses_nothing_and_retries_later(db, now, smtp, booked):
    smtp.down = True
    assert _deliver(db, now) == (0, 1)
    message = db.scalar(select(OutboxMessage))
    assert message.status == "pending" and message.attempts == 1
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert _deliver(db, now + timedelta(seconds=30)) == (0, 0)  # not due yet
    assert _deliver(db, now + timedelta(minutes=1)) == (0, 1)
    assert db.scalar(select(OutboxMessage)).next_attempt_at == now + timedelta(minutes=3)
    smtp.down = False
    assert _deliver(db, now + timedelta(minutes=3)) == (1, 0)
    assert len(smtp.sent) == 1


def test_gives_up_after_the_last_attempt_but_keeps_the_message(db, now, smtp, booked):
    smtp.down = True
    later = now
    for _ in range(3):
        _deliver(db, later)
        later += timedelta(hours=7)
    message = db.scalar(select(OutboxMessage))
    assert message.status == "failed" and "down" in message.last_error


def test_a_refused_address_is_not_retried(db, now, smtp, booked):
    smtp.refuse = True
    assert _deliver(db, now) == (0, 1)
    assert db.scalar(select(OutboxMessage)).status == "failed"


def test_a_subject_is_one_line_whatever_the_feature_passes(db, now):
    message = services.queue(
        db, kind="t", to="a@example.org", subject="Tid hos\r\nBcc: x@evil.test", body="b", now=now
    )
    assert message.subject == "Tid hos Bcc: x@evil.test"


def test_a_message_that_cannot_be_built_fails_alone_and_the_batch_goes_on(db, now, smtp, booked):
    """A header the email library refuses raised out of the loop: the rest of the batch was
    never sent and the message was claimed again and again."""
    bad = services.queue(db, kind="t", to="a@example.org", subject="s", body="b", now=now)
    bad.to_address = "a@example.org\nBcc: x@evil.test"  # stored before the queue's checks
    db.commit()
    assert _deliver(db, now) == (1, 1)
    db.refresh(bad)
    assert bad.status == "failed" and "ValueError" in bad.last_error
    assert [m["To"] for m in smtp.sent] == ["borger@example.org"]
    assert _deliver(db, now + timedelta(days=1)) == (0, 0)  # not tried again


def test_a_crashed_worker_leaves_a_lease_that_expires(db, now, smtp, booked):
    claimed = runner._claim(db, now, 10)
    assert len(claimed) == 1
    assert _deliver(db, now) == (0, 0)  # leased to the crashed worker
    assert _deliver(db, now + services.LEASE) == (1, 0)


def test_reminder_the_day_before_is_queued_once(db, now, smtp, booked):
    day_before = booked.starts_at.astimezone(TZ).replace(hour=8, minute=0) - timedelta(days=1)
    assert emails.queue_reminders(db, now=day_before, tz=TZ, hour=10) == 0  # too early
    at_ten = day_before.replace(hour=10)
    assert emails.queue_reminders(db, now=at_ten, tz=TZ, hour=10) == 1
    assert emails.queue_reminders(db, now=at_ten + timedelta(minutes=15), tz=TZ, hour=10) == 0
    kinds = [m.kind for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert kinds == ["booked", "reminder"]


def test_messages_are_in_the_citizens_language(db, now, smtp):
    world = make_world(db, now=now)
    citizen = world.citizens[0]
    citizen.email, citizen.language = "svensk@example.org", "sv"
    db.commit()
    booking.book_slot(db, citizen.id, world.slots(db)[0].id, now=now)
    message = db.scalar(select(OutboxMessage))
    assert "Dörrlösenord" in message.body or "lösenord" in message.body.lower()


def test_the_job_sends_through_smtplib(app, db, now, smtp, booked, monkeypatch):
    from portal.notify.tasks import send_outbox

    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.test")
    message = db.scalar(select(OutboxMessage))
    message.next_attempt_at = message.created_at - timedelta(days=30)  # due on the real clock
    db.commit()
    send_outbox.call_local()
    assert len(smtp.sent) == 1


class Enqueued(list):
    """What kick() enqueued; `down = True` makes enqueueing fail like a queue that is down."""

    down = False

    def send_outbox(self):
        self.append("send_outbox")
        if self.down:
            raise ConnectionError("queue down")


@pytest.fixture
def enqueued(monkeypatch):
    """Replaces the outbox job by a recorder."""
    recorder = Enqueued()
    monkeypatch.setattr("portal.notify.tasks.send_outbox", recorder.send_outbox)
    return recorder


def test_kick_enqueues_nothing_in_tests_or_outside_the_app(app, enqueued):
    tasks.kick()  # no app context
    with app.test_request_context():
        tasks.kick()  # testing: MAIL_SEND_ON_COMMIT defaults to off
    assert enqueued == []


@pytest.mark.parametrize("down", [False, True])
def test_kick_enqueues_the_outbox_job_and_never_raises(app, enqueued, monkeypatch, caplog, down):
    monkeypatch.setitem(app.config, "MAIL_SEND_ON_COMMIT", True)
    enqueued.down = down
    with app.test_request_context():
        tasks.kick()
    assert enqueued == ["send_outbox"]
    assert ("could not enqueue the outbox job" in caplog.text) is down
