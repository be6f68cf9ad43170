"""Where a signed-in booking request spends its time, in process (not part of `make bench`).

The booking bench (booking_bench.py) gives the ratios over HTTP; this splits the same two
requests, the citizen's "choose a time" page and the booking POST, into the parts Flask runs:
before_request (the idle-timeout check, which loads the signed-in citizen), the view, template
rendering inside it, the database statements (time inside the driver's execute), the commit,
after_request and teardown (which ends the transaction and hands the connection back). Flask's
test client against the booking bench's world (900 citizens, a running four-week campaign,
3 locksmiths), mean milliseconds per request over 300 requests after 200 of warm-up.

    .venv/bin/python bench/booking_profile.py [--database sqlite|postgresql]
"""

import argparse
import collections
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_db import fresh_pg_database, pg_available  # noqa: E402
from booking_load import TOKEN  # noqa: E402
from booking_seed import seed  # noqa: E402
from booking_serve import walk_to_check  # noqa: E402

PARTS = (
    ("wsgi_app", "whole request"),
    ("preprocess_request", "before_request (loads the citizen)"),
    ("dispatch_request", "the view"),
    ("render", "  of which: rendering"),
    ("sql", "  database statements"),
    ("commit", "  commit"),
    ("finalize_request", "after_request, cookie"),
    ("do_teardown_appcontext", "teardown (ends the transaction)"),
)


class Citizen:
    """A signed-in test client that carries the CSRF token of the last page it saw, with the
    interface of booking_load.Client (so booking_serve.walk_to_check can drive it)."""

    def __init__(self, app):
        self.client, self.token = app.test_client(), ""

    def request(self, method, path, form=None):
        """(status, 0, body text, Location); remembers the CSRF token."""
        if form is None:
            response = self.client.get(path)
        else:
            response = self.client.post(path, data={**form, "csrf_token": self.token})
        text = response.get_data(as_text=True)
        found = TOKEN.search(text)
        self.token = found.group(1) if found else self.token
        return response.status_code, 0, text, response.headers.get("Location", "")


def _instrument(app, spent):
    """Time Flask's request phases, rendering, statements and commits into `spent`."""
    import flask.templating
    from sqlalchemy import event

    from portal.extensions import db

    def timed(owner, name, label):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - started

        setattr(owner, name, wrapper)

    for name, _label in PARTS:
        if hasattr(app, name):
            timed(app, name, name)
    timed(flask.templating, "_render", "render")
    with app.app_context():
        engine = db.engine
    clock = {}
    event.listen(engine, "before_cursor_execute", lambda *a: clock.update(s=time.perf_counter()))
    event.listen(
        engine,
        "after_cursor_execute",
        lambda *a: spent.__setitem__("sql", spent["sql"] + time.perf_counter() - clock["s"]),
    )
    timed_commit = engine.dialect.do_commit

    def do_commit(dbapi_connection):
        started = time.perf_counter()
        try:
            return timed_commit(dbapi_connection)
        finally:
            spent["commit"] += time.perf_counter() - started

    engine.dialect.do_commit = do_commit


def one_database(database: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="booking-profile-"))
    os.environ["PORTAL_BENCH_DIR"] = str(folder)
    if database == "postgresql":
        os.environ["BENCH_DATABASE_URL"] = fresh_pg_database("prof_booking")
    from bench_wsgi import build

    app = build()
    _district, _slots, _taken, prepared = seed(app, citizens=900, prepared_count=450)
    citizens = [
        walk_to_check(Citizen(app), code, born, i) for i, (code, born) in enumerate(prepared)
    ]
    # As gunicorn.conf.py does after a worker starts: what was built so far (here also the
    # seeded world and 450 signed-in test clients) is no longer scanned by every full
    # collection, which would otherwise land in whichever part of a request it interrupts.
    gc.collect()
    gc.freeze()
    spent = collections.Counter()
    _instrument(app, spent)
    floor = app.test_client()
    rows = {}
    for label, run in (
        ("GET /healthz", lambda i: floor.get("/healthz")),
        ("choose a time", lambda i: citizens[i % 150].request("GET", "/citizen/booking/time")),
        ("booking POST", lambda i: citizens[150 + i].request("POST", "/citizen/booking/check", {})),
    ):
        if label != "booking POST":
            for i in range(200):
                run(i)
        spent.clear()
        for i in range(300):
            run(i)
        rows[label] = {name: spent[name] / 300 * 1000 for name, _ in PARTS}
    print(f"-- {database}: mean ms per request")
    print(f"{'part':<38}" + "".join(f"{label:>16}" for label in rows))
    for name, label in PARTS:
        print(f"{label:<38}" + "".join(f"{rows[r][name]:>16.3f}" for r in rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"))
    chosen = parser.parse_args().database
    if chosen:
        one_database(chosen)
    else:
        import subprocess

        for database in ["sqlite"] + (["postgresql"] if pg_available() else []):
            subprocess.run([sys.executable, __file__, "--database", database], check=True)
