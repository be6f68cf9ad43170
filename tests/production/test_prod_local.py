"""`make prod-local`: the production shape starts, spreads requests over both gunicorn
processes through one port, runs a queued job in a huey consumer on Redis, and stops.

Needs the local PostgreSQL server and Redis (CI has both; skipped where either is missing).
Redis: TEST_REDIS_URL (default db 15, which nothing else here uses)."""

import http.client
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not (_reachable(5432) and _reachable(6379)), reason="needs local PostgreSQL and Redis"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def shape(tmp_path):
    """The production shape on a fresh database and a free port; stopped and dropped after."""
    from bench_db import PG_SERVER
    from sqlalchemy import create_engine, text

    name, port = f"prod_test_{uuid.uuid4().hex[:8]}", _free_port()
    env = {**os.environ, "PROD_LOCAL_STATE": str(tmp_path), "PROD_REDIS_URL": REDIS}
    env.pop("REDIS_URL", None)
    script = [sys.executable, str(ROOT / "bench" / "prod_local.py")]
    started = subprocess.run(
        [
            *script,
            "start",
            "--detach",
            "--fresh",
            "--no-seed",
            "--port",
            str(port),
            "--database",
            name,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    try:
        assert started.returncode == 0, started.stderr[-3000:]
        yield {"port": port, "state": tmp_path, "env": env, "stdout": started.stdout}
    finally:
        if (tmp_path / "pids.json").exists():  # the test failed before stopping it
            subprocess.run([*script, "stop"], env=env, capture_output=True, timeout=60)
        engine = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def test_two_web_processes_share_a_port_a_consumer_runs_a_job_and_stop_ends_all(shape):
    port, state = shape["port"], shape["state"]
    pids = json.loads((state / "pids.json").read_text())["pids"]
    assert sorted(pids) == ["jobs1", "jobs2", "web1", "web2"]
    for _ in range(40):  # a new connection each time: the kernel picks a process per connection
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok"}
        conn.close()
    for web in ("web1", "web2"):
        log = (state / f"{web}.access.log").read_text()
        assert "GET /healthz" in log, f"{web} served no request"

    ping = subprocess.run(
        [sys.executable, "-m", "flask", "jobs", "ping", "--timeout", "30"],
        env={
            **shape["env"],
            "FLASK_APP": "portal",
            "REDIS_URL": REDIS,
            "DATABASE_URL": json.loads((state / "pids.json").read_text())["database"],
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert ping.returncode == 0, ping.stderr[-2000:]
    ran_by = int(ping.stdout.strip().rsplit(" ", 1)[-1])
    assert ran_by in {pids["jobs1"], pids["jobs2"]}

    assert all(_alive(pid) for pid in pids.values())
    stopped = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "prod_local.py"), "stop"],
        env=shape["env"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "stopped: jobs1, jobs2, web1, web2" in stopped.stdout
    assert not any(_alive(pid) for pid in pids.values())
    assert not (state / "pids.json").exists()
