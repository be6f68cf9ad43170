"""The app gunicorn serves for the HTTP benchmarks (booking_bench.py, keys_http.py,
shift_peak_bench.py): a temporary instance folder and SQLite database (PORTAL_BENCH_DIR) or the
PostgreSQL database named by BENCH_DATABASE_URL, rate limits off, test secrets, CSRF on; nothing
touches the real instance/."""

import base64
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import create_app  # noqa: E402

KEYS = {
    "current": "b1",
    "keys": {"b1": base64.urlsafe_b64encode(b"c" * 32).decode()},
    "index_key": base64.urlsafe_b64encode(b"d" * 32).decode(),
}


def in_process_app(workdir: Path, **extra):
    """The portal on a SQLite file in `workdir`, for benchmarks that measure in one process
    (letters, insights): test secrets, INFO logging off."""
    import logging

    logging.disable(logging.INFO)
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}",
            "SECRET_KEY": "bench-only-key-not-for-production-use",
            "FIELD_KEYS": KEYS,
            "INSTANCE_PATH": str(workdir),
            **extra,
        }
    )


def build():
    """The benchmark app (the seeding process and both gunicorn workers build the same one)."""
    folder = Path(os.environ["PORTAL_BENCH_DIR"])
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": os.environ.get("BENCH_DATABASE_URL")
            or f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
            "FIELD_KEYS": KEYS,
            "RATELIMIT_ENABLED": False,
            "INSECURE_COOKIES": True,
            "MAIL_SEND_ON_COMMIT": False,
            "LOG_LEVEL": "WARNING",
        }
    )


def timed(wsgi_app, note):
    """`wsgi_app` calling `note(environ, ms)` after each request it serves: the time from the
    WSGI call to the end of the view's response, without HTTP."""
    import time

    def app(environ, start_response):
        started = time.perf_counter()
        try:
            return wsgi_app(environ, start_response)
        finally:
            note(environ, (time.perf_counter() - started) * 1000)

    return app


def time_in_worker(wsgi_app, folder: Path):
    """Wrap `wsgi_app` so that the worker times each request it serves (`timed`) and, when it
    exits, writes the milliseconds to `folder/worker-<pid>.json` by "METHOD /path": where a
    ratio comes from, app or HTTP."""
    import atexit
    import json
    from collections import defaultdict

    spent = defaultdict(list)

    def note(environ, ms):
        spent[f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}"].append(ms)

    def write():
        (folder / f"worker-{os.getpid()}.json").write_text(json.dumps(spent))

    atexit.register(write)
    return timed(wsgi_app, note)


app = build() if "PORTAL_BENCH_DIR" in os.environ and "gunicorn" in sys.argv[0] else None
if app is not None and os.environ.get("BENCH_WORKER_TIMES"):
    app.wsgi_app = time_in_worker(app.wsgi_app, Path(os.environ["BENCH_WORKER_TIMES"]))
