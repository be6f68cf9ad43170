"""Where a signed-in booking request spends its time, in process (not part of `make bench`).

The booking bench (booking_bench.py) gives the ratios over HTTP; this splits the same two
requests, the citizen's "choose a time" page and the booking POST, into the parts Flask runs:
before_request (the idle-timeout check, which loads the signed-in citizen), the view, template
rendering inside it, the database statements (time inside the driver's execute), the commit,
after_request and teardown (which ends the transaction and hands the connection back). Flask's
test client against the booking bench's world (1,500 citizens, a running four-week campaign,
6 locksmiths), mean milliseconds per request over 300 requests after 200 of warm-up.

Before that, without the timing wrappers, the p50 of the whole request in process (Flask's
wsgi_app, as the workers time it in the booking bench) for /healthz, the time page, the
booking POST, and the same POST with the booking's own work left out (the view's `_book`
answers an appointment already booked: no slot look-up, no writes): what the request costs
around the booking, against the in-process budget a 3x ratio at the client leaves, 3 x floor
+ 2 x the HTTP overhead (CLIENT_OVERHEAD_MS: a constant, from the booking bench's runs of
2026-12-04; on another machine compare its p50 at the client with its p50 in the workers).

    .venv/bin/python bench/booking_profile.py [--database sqlite|postgresql]
"""

import argparse
import collections
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_db import fresh_pg_database, pg_available  # noqa: E402
from booking_load import TOKEN  # noqa: E402
from booking_seed import LOCKSMITHS, seed  # noqa: E402
from booking_serve import walk_to_check  # noqa: E402

# What HTTP, gunicorn and the client add to each request in the booking bench (its p50 at the
# client minus its p50 inside the workers, 0.7-0.9 ms on the machines of 2026-12-04).
CLIENT_OVERHEAD_MS = 0.8
POSTS = 300  # booking POSTs per row (each citizen books once)

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


def _p50_in_process(app, floor, citizens) -> dict:
    """p50 ms of the whole request (wsgi_app) for the floor, the time page, the booking POST
    and the POST without the booking's own work; uses citizens [0, 150 + 2 * POSTS)."""
    from bench_wsgi import timed
    from sqlalchemy import select

    from portal.booking import views_citizen
    from portal.booking.models import Appointment
    from portal.extensions import db

    times, inner, booked = [], app.wsgi_app, []

    def p50(run, count, warm):
        for i in range(warm):
            run(i)
        times.clear()
        for i in range(count):
            run(warm + i)
        return statistics.median(times)

    def post_check(index):
        return citizens[index].request("POST", "/citizen/booking/check", {})[3]

    def book(index):
        booked.append("done=booked" in post_check(index))

    app.wsgi_app = timed(inner, lambda environ, ms: times.append(ms))
    figures = {
        "GET /healthz": p50(lambda i: floor.get("/healthz"), 400, 200),
        "choose a time": p50(
            lambda i: citizens[i % 150].request("GET", "/citizen/booking/time"), 400, 200
        ),
        "booking POST": p50(lambda i: book(150 + i), POSTS, 0),
    }
    print(f"booking POSTs that booked: {sum(booked)} of {len(booked)}")
    with app.app_context():
        existing = db.session.scalar(select(Appointment.id).order_by(Appointment.id.desc()))
    real_book = views_citizen._book
    views_citizen._book = lambda citizen, state, details: db.session.get(Appointment, existing)
    try:
        figures["POST without the booking"] = p50(lambda i: post_check(150 + POSTS + i), POSTS, 0)
    finally:
        views_citizen._book, app.wsgi_app = real_book, inner
    return figures


def _print_p50(database: str, figures: dict) -> None:
    floor = figures["GET /healthz"]
    budget = 3 * floor + 2 * CLIENT_OVERHEAD_MS
    print(f"-- {database}: p50 ms of the whole request in process (before the parts are timed)")
    for label, ms in figures.items():
        print(f"{label:<38}{ms:>10.3f}{ms / floor:>8.1f}x")
    print(
        f"{'budget for 3x at the client':<38}{budget:>10.3f}   (3 x floor + 2 x {CLIENT_OVERHEAD_MS})"
    )


def one_database(database: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="booking-profile-"))
    os.environ["PORTAL_BENCH_DIR"] = str(folder)
    if database == "postgresql":
        os.environ["BENCH_DATABASE_URL"] = fresh_pg_database("prof_booking")
    from bench_wsgi import build

    app = build()
    # Twice the bench's locksmiths: 600 citizens book, and most find their time still free.
    prepared_count = 150 + 3 * POSTS
    _district, _slots, _taken, prepared = seed(
        app, citizens=prepared_count + 450, locksmiths=2 * LOCKSMITHS, prepared_count=prepared_count
    )
    citizens = [
        walk_to_check(Citizen(app), code, born, i) for i, (code, born) in enumerate(prepared)
    ]
    # As gunicorn.conf.py does after a worker starts: what was built so far (here also the
    # seeded world and the signed-in test clients) is no longer scanned by every full
    # collection, which would otherwise land in whichever part of a request it interrupts.
    gc.collect()
    gc.freeze()
    floor = app.test_client()
    _print_p50(database, _p50_in_process(app, floor, citizens))
    spent = collections.Counter()
    _instrument(app, spent)
    rows = {}
    for label, run in (
        ("GET /healthz", lambda i: floor.get("/healthz")),
        ("choose a time", lambda i: citizens[i % 150].request("GET", "/citizen/booking/time")),
        (
            "booking POST",
            lambda i: citizens[150 + 2 * POSTS + i].request("POST", "/citizen/booking/check", {}),
        ),
    ):
        if label != "booking POST":
            for i in range(200):
                run(i)
        spent.clear()
        for i in range(POSTS):
            run(i)
        rows[label] = {name: spent[name] / POSTS * 1000 for name, _ in PARTS}
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
