"""Fault-test fixtures: huey's queue on a real Redis (database 5 unless TEST_REDIS_URL says
otherwise), and a way to lose everything in it as a restart without persistence does."""

import fcntl
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from portal.jobs import huey

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


class RedisQueue:
    """The portal's huey on Redis for one test: enqueue, drain as a consumer would, restart."""

    def __init__(self, url: str):
        self.url = url

    def drain(self) -> int:
        """Run every queued job in this process (a consumer's loop); returns how many ran."""
        ran = 0
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            ran += 1
        return ran

    def pending(self) -> int:
        """Jobs waiting in the queue."""
        return huey.pending_count()

    def restart_without_persistence(self) -> None:
        """What a Redis restart with nothing on disk does: every key is gone."""
        parsed = urlparse(self.url)
        number = (parsed.path or "/0").lstrip("/") or "0"
        if shutil.which("redis-cli"):
            host, port = parsed.hostname or "127.0.0.1", str(parsed.port or 6379)
            subprocess.run(
                ["redis-cli", "-h", host, "-p", port, "-n", number, "flushdb"],
                check=True,
                capture_output=True,
            )
        else:
            huey.storage.conn.flushdb()


@pytest.fixture
def redis_jobs(monkeypatch):
    """Jobs queued in Redis (not run at once); the test drains them like a consumer."""
    from huey.storage import RedisStorage
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    # A restart empties the whole Redis database: one such test at a time on this machine
    # (xdist workers, or two checkouts sharing the Redis), each with its own queue name.
    lock_path = Path(tempfile.gettempdir()) / f"portal-faults-redis-{urlparse(REDIS_URL).port}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        name = f"portal-faults-{uuid.uuid4().hex[:8]}"
        monkeypatch.setattr(huey, "immediate", False)
        # Not blocking: the test's drain asks until the queue is empty, and a blocking read of
        # an empty queue waits a second for nothing (81 drains were 89 s of one test).
        storage = RedisStorage(name=name, url=REDIS_URL, blocking=False)
        monkeypatch.setattr(huey, "storage", storage)
        yield RedisQueue(REDIS_URL)
        huey.storage.flush_all()
