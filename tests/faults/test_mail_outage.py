"""The mail relay is down for an hour: the outbox keeps every message, retries with back-off,
and sends each exactly once when the relay returns. A real SMTP server (aiosmtpd) on
127.0.0.1 is stopped, or refuses with 4xx, and then accepts; the app's clock is moved a minute
at a time and the minute tick runs as the consumer would run it, once with the jobs on a real
Redis that also restarts (losing its queue) in the middle of the outage."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.notify import services, tasks
from portal.notify.models import OutboxMessage
from tests.faults.mailserver import MailServer

PEOPLE = ("ane@example.org", "bo@example.org", "cecilie@example.org")
# Attempts at minutes 0, 1, 3, 7, 15, 31 fail (back-off 1, 2, 4, 8, 16, 32); the 7th, at 63, goes.
FAILED_ATTEMPTS = 6


@pytest.fixture
def relay(app, monkeypatch):
    server = MailServer()
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_TIMEOUT": 5,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_DEFAULT_SENDER": "kommune@example.org",
        "MAIL_MAX_ATTEMPTS": 10,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield server
    server.stop()


def _queue_messages(db, now):
    for address in PEOPLE:
        services.queue(
            db, kind="test", to=address, subject=f"Til {address}", body="Hej æøå", now=now
        )
    db.commit()


def _messages(db):
    db.expire_all()
    return db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _assert_each_received_once(server):
    received = sorted(rcpt for rcpts, _content in server.relay.received for rcpt in rcpts)
    assert received == sorted(PEOPLE)


def _minute_ticks(clock, minutes, run_tick):
    for _ in range(minutes):
        clock.advance(timedelta(minutes=1))
        run_tick()


def test_relay_stopped_for_an_hour_then_each_message_goes_exactly_once(db, clock, relay):
    _queue_messages(db, clock())
    tasks.send_outbox.call_local()  # the kick after commit: the relay is down
    _minute_ticks(clock, 60, tasks.send_outbox.call_local)
    messages = _messages(db)
    assert [m.status for m in messages] == ["pending"] * 3  # nothing lost, nothing given up
    assert {m.attempts for m in messages} == {FAILED_ATTEMPTS}
    assert all("ConnectionRefusedError" in m.last_error for m in messages)
    assert relay.relay.received == []

    relay.start()
    _minute_ticks(clock, 60, tasks.send_outbox.call_local)
    messages = _messages(db)
    assert [m.status for m in messages] == ["sent"] * 3
    assert {m.attempts for m in messages} == {FAILED_ATTEMPTS + 1}
    _assert_each_received_once(relay)


def test_a_relay_that_refuses_with_4xx_is_tried_again_not_given_up(db, clock, relay):
    relay.relay.refusing = True
    relay.start()
    _queue_messages(db, clock())
    tasks.send_outbox.call_local()
    _minute_ticks(clock, 60, tasks.send_outbox.call_local)
    messages = _messages(db)
    assert [m.status for m in messages] == ["pending"] * 3
    assert all(m.last_error.startswith("SMTPRecipientsRefused") for m in messages)
    relay.relay.refusing = False
    _minute_ticks(clock, 60, tasks.send_outbox.call_local)
    assert [m.status for m in _messages(db)] == ["sent"] * 3
    _assert_each_received_once(relay)


def test_outage_with_jobs_on_redis_that_restarts_in_the_middle(db, clock, relay, redis_jobs):
    _queue_messages(db, clock())
    tasks.send_outbox()  # queued in Redis, not run
    assert redis_jobs.pending() == 1
    redis_jobs.drain()

    def tick():
        tasks.send_outbox()  # what the consumer's minute tick queues
        assert redis_jobs.pending() == 1
        redis_jobs.drain()

    _minute_ticks(clock, 30, tick)
    tasks.send_outbox()
    redis_jobs.restart_without_persistence()  # the queued job is gone ...
    assert redis_jobs.pending() == 0
    _minute_ticks(clock, 30, tick)  # ... and the next tick finds the messages in the outbox
    assert [m.status for m in _messages(db)] == ["pending"] * 3
    relay.start()
    _minute_ticks(clock, 10, tick)
    assert [m.status for m in _messages(db)] == ["sent"] * 3
    _assert_each_received_once(relay)
    _minute_ticks(clock, 10, tick)
    _assert_each_received_once(relay)  # never twice
