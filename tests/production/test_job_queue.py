"""Jobs through a real queue of the kind this process uses: Redis when REDIS_URL is set (CI runs
these once so), else SQLite. Each test has a queue of its own name, so nothing else's is touched;
the tasks are the portal's own functions, run from a thread without an app context, as the
consumer runs them."""

import os
import threading
import uuid

import pytest
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select

from portal.jobs import huey, ping
from portal.notify import tasks
from portal.notify.models import OutboxMessage
from tests.notify.test_outbox import booked, smtp  # noqa: F401 - fixtures


@pytest.fixture
def queue(tmp_path):
    """A queue in the same storage as the portal's (Redis or SQLite), with its own name."""
    name = f"portal-test-{uuid.uuid4().hex[:8]}"
    if isinstance(huey, RedisHuey):
        own = RedisHuey(name, url=os.environ["REDIS_URL"])
    else:
        own = SqliteHuey(name, filename=str(tmp_path / "queue.db"))
    yield own
    own.flush()


def _consume_one(queue) -> None:
    """What a consumer does with one message: dequeue it and run it, in a thread of its own."""
    errors = []

    def run():
        try:
            queue.execute(queue.dequeue())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    assert not errors, errors


def test_the_portal_huey_matches_the_environment():
    assert isinstance(huey, RedisHuey) == bool(os.environ.get("REDIS_URL"))


def test_a_queued_outbox_job_sends_in_the_consumer(app, db, smtp, booked, queue):  # noqa: F811
    db.commit()  # the booking's message, visible to the consumer's own session
    send = queue.task(name="send_outbox")(tasks.send_outbox.func)
    result = send()
    assert queue.pending_count() == 1
    assert smtp.sent == []  # queued, not run by the caller
    _consume_one(queue)
    assert queue.pending_count() == 0
    assert len(smtp.sent) == 1
    db.expire_all()
    assert db.scalar(select(OutboxMessage.status)) == "sent"
    assert result.get() is None


def test_ping_returns_the_pid_of_the_process_that_ran_it(queue):
    result = queue.task(name="ping")(ping.func)()
    assert result.get() is None  # nothing ran yet
    _consume_one(queue)
    assert result.get() == os.getpid()
