"""The production shape on this machine: PostgreSQL, Redis, two gunicorn processes sharing one
port (SO_REUSEPORT: the kernel spreads connections over them, as a balancer would over two
machines) and two huey consumers on Redis.

    python bench/prod_local.py start    # `make prod-local`: runs until Ctrl-C, then stops all
    python bench/prod_local.py start --detach   # start and return (stop with `stop`)
    python bench/prod_local.py stop     # `make prod-local-stop`

The database (default `prod_local` on the local server, PROD_PG_SERVER) is created when it is
missing (`--fresh` drops it first), migrated with `flask db upgrade` and seeded with the demo
municipality when empty. Redis is PROD_REDIS_URL (default redis://127.0.0.1:6379/0).

What differs from production, and why: `PORTAL_ENV_NAME=prod-local` instead of `production`,
because production refuses the demo seed (its accounts' password is published) and cookies
over plain http (this serves http://127.0.0.1). Everything else is production's: shared rate
limits and job queue in Redis, several processes, MFA for the staff roles that need it.
`--trusted-proxies 1` makes the portal believe X-Forwarded-For from its client, as behind a
real balancer (the rush bench uses it to appear as many addresses); off by default.
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

STATE = Path(os.environ.get("PROD_LOCAL_STATE") or ROOT / "instance" / "prod-local")
PIDS = STATE / "pids.json"
PG_SERVER = os.environ.get(
    "PROD_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("PROD_REDIS_URL", "redis://127.0.0.1:6379/0")
WEB_PROCESSES, CONSUMERS = 2, 2


def database_url(name: str, *, fresh: bool) -> str:
    """The database's URL, creating it (or dropping and creating it) on the local server."""
    from bench_db import fresh_pg_database
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if fresh:
        return fresh_pg_database(name, PG_SERVER)
    engine = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        known = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if known.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)


def environment(args, url: str) -> dict:
    """The environment every process of the shape runs with."""
    return {
        **os.environ,
        "FLASK_APP": "portal",
        "DATABASE_URL": url,
        "REDIS_URL": args.redis_url,
        "PORTAL_ENV_NAME": "prod-local",
        "PORTAL_PROCESSES": str(WEB_PROCESSES),
        "PORTAL_PORTAL_URL": f"http://127.0.0.1:{args.port}",
        "PORTAL_INSECURE_COOKIES": "1",
        "PORTAL_TRUSTED_PROXIES": str(args.trusted_proxies),
        "PORTAL_LOG_LEVEL": "WARNING",
    }


def healthy(port: int) -> bool:
    """True when GET /healthz answers 200 on the shared port."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start(args) -> dict:
    """Migrate and seed, then start the web processes and consumers; their process ids."""
    if PIDS.exists():
        raise SystemExit(f"already running ({PIDS}); `make prod-local-stop` first")
    STATE.mkdir(parents=True, exist_ok=True)
    url = args.database_url or database_url(args.database, fresh=args.fresh)
    env = environment(args, url)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True)
    if not args.no_seed:
        subprocess.run([*flask, "seed-demo", "--if-empty"], env=env, cwd=ROOT, check=True)
    children = {}
    for n in range(1, WEB_PROCESSES + 1):
        out = open(STATE / f"web{n}.out.log", "ab")  # noqa: SIM115 - the child keeps it open
        children[f"web{n}"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--workers",
                str(args.workers),
                "--reuse-port",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--access-logfile",
                str(STATE / f"web{n}.access.log"),
                "--error-logfile",
                str(STATE / f"web{n}.error.log"),
                "--control-socket",
                str(STATE / f"web{n}.ctl"),
                "portal:create_app()",
            ],
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )
    for n in range(1, CONSUMERS + 1):
        log = open(STATE / f"jobs{n}.log", "ab")  # noqa: SIM115 - the child keeps it open
        # One consumer runs the periodic schedule; two would queue every tick twice.
        periodic = [] if n == 1 else ["--no-periodic"]
        children[f"jobs{n}"] = subprocess.Popen(
            [*flask, "jobs", "worker", *periodic],
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    pids = {name: proc.pid for name, proc in children.items()}
    PIDS.write_text(json.dumps({"port": args.port, "database": url, "pids": pids}))
    deadline = time.monotonic() + 60
    while not healthy(args.port):
        dead = [name for name, proc in children.items() if proc.poll() is not None]
        if dead or time.monotonic() > deadline:
            stop()
            raise SystemExit(f"the production shape did not start (exited: {dead or 'none'})")
        time.sleep(0.3)
    print(
        f"Production shape on http://127.0.0.1:{args.port}: {WEB_PROCESSES} gunicorn processes "
        f"({args.workers} worker each, one port), {CONSUMERS} huey consumers on {args.redis_url}, "
        f"database {url.rsplit('/', 1)[-1]}. Logs in {STATE}/.",
        flush=True,
    )
    return pids


def stop() -> None:
    """Stop every process the last start left running (gracefully, then by force)."""
    if not PIDS.exists():
        print("not running")
        return
    pids = json.loads(PIDS.read_text())["pids"]
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for pid in pids.values():
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    PIDS.unlink(missing_ok=True)
    print("stopped: " + ", ".join(sorted(pids)))


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)  # reap our own children
        if finished:
            return False
    except ChildProcessError:
        pass  # started by another invocation: only signal 0 can tell
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def main(argv=None) -> None:
    """`start` (foreground until Ctrl-C, or --detach) or `stop`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("start", "stop"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--database", default="prod_local", help="database name on the server")
    parser.add_argument(
        "--database-url", help="any database URL instead (e.g. sqlite:///... to compare)"
    )
    parser.add_argument("--fresh", action="store_true", help="drop and create the database")
    parser.add_argument("--no-seed", action="store_true", help="no demo municipality")
    parser.add_argument("--redis-url", default=REDIS_URL)
    parser.add_argument("--workers", type=int, default=1, help="workers per gunicorn process")
    parser.add_argument("--trusted-proxies", type=int, default=0)
    parser.add_argument("--detach", action="store_true", help="start and return")
    args = parser.parse_args(argv)
    if args.command == "stop":
        stop()
        return
    start(args)
    if args.detach:
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print("Ctrl-C stops it all.", flush=True)
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        stop()


if __name__ == "__main__":
    main()
