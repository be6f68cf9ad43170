"""Booking under load, as ratios to floors measured in the same run.

1. On gunicorn (2 workers, gunicorn.conf.py, 127.0.0.1, a temporary SQLite database with
   2,500 citizens, a four-week campaign and 3 locksmiths; two client threads): p50/p99 latency
   and requests/s of the citizen's "choose a time" page and of the booking POST, each against
   GET /healthz of the same app. A plain Jinja page of the same app (GET /accessibility) is
   measured too, for scale. Three interleaved rounds; the figures pool all rounds, and each
   round's own ratios are printed too. The workers also time each request themselves
   (bench_wsgi.time_in_worker): the p50 of the floor, the time page and the POST inside the
   worker, without HTTP, shows how much of each ratio is the app's own work.
2. In process: the day-choice query (free days in the district) against a bare primary-key
   SELECT on the same database.
Both on SQLite and on PostgreSQL (a fresh database `prod_bench_booking` on the local server,
BENCH_PG_SERVER; skipped when no server answers), each in a process of its own.
`--database sqlite|postgresql` runs one of them.
Pure-Python client, bounded in request count and time. Prints a table, then one JSON line.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_db import fresh_pg_database, pg_available  # noqa: E402
from booking_seed import CITIZENS, LOCKSMITHS, WEEKS, seed  # noqa: E402
from booking_serve import serve_and_load  # noqa: E402


def _query_figures(app, district_id) -> dict:
    """Median time of the day-choice query and of a bare primary-key SELECT, same session."""
    from sqlalchemy import select

    from portal.booking.queries import free_days
    from portal.citizens.models import Citizen
    from portal.extensions import db

    with app.app_context():
        not_before = datetime.now(UTC) + timedelta(hours=24)
        days, pk = [], []
        for i in range(300):
            started = time.perf_counter()
            found = free_days(db.session, district_id, not_before=not_before)
            days.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            db.session.execute(select(Citizen.id).where(Citizen.id == 1 + i % CITIZENS)).scalar()
            pk.append((time.perf_counter() - started) * 1000)
        d50, p50 = statistics.median(days), statistics.median(pk)
        return {
            "day_query_ms_p50": round(d50, 3),
            "pk_select_ms_p50": round(p50, 3),
            "day_query_ratio_p50": round(d50 / p50, 1),
            "days_offered": len(found),
        }


def one_database(database: str) -> dict:
    """Seed, measure the query in process, then serve and load; print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="booking-bench-"))
    os.environ["PORTAL_BENCH_DIR"] = str(folder)
    if database == "postgresql":
        os.environ["BENCH_DATABASE_URL"] = fresh_pg_database("prod_bench_booking")
    os.environ.setdefault("PORTAL_INSTANCE_PATH", str(folder / "instance"))
    from bench_wsgi import build

    app = build()
    district_id, slots, taken, prepared = seed(app)
    figures = {
        "database": database,
        "citizens": CITIZENS,
        "locksmiths": LOCKSMITHS,
        "weeks": WEEKS,
        "slots": slots,
        "booked_before": taken,
        **_query_figures(app, district_id),
        **serve_and_load(folder, prepared),
    }
    print(f"-- {database}")
    print(f"{'measure':<28}{'p50 ms':>10}{'p99 ms':>10}{'req/s':>9}{'x p50':>8}{'x p99':>8}")
    print(
        f"{'GET /healthz (floor)':<28}{figures['healthz_ms_p50']:>10}{figures['healthz_ms_p99']:>10}"
        f"{figures['healthz_rps']:>9}{1:>8}{1:>8}"
    )
    for name, label in (
        ("plain_page", "GET plain page (reference)"),
        ("time_page", "GET choose a time"),
        ("booking_post", "POST book (check page)"),
    ):
        print(
            f"{label:<28}{figures[name + '_ms_p50']:>10}{figures[name + '_ms_p99']:>10}"
            f"{figures[name + '_rps']:>9}{figures[name + '_ratio_p50']:>8}{figures[name + '_ratio_p99']:>8}"
        )
    print(
        "per-round p50 ratios: "
        + ", ".join(
            f"time {r['time_page']}x / book {r['booking_post']}x"
            for r in figures["round_ratios_p50"]
        )
    )
    if "healthz_in_worker_ms_p50" in figures:
        print(
            "p50 inside the workers (without HTTP): "
            + ", ".join(
                f"{label} {figures[name + '_in_worker_ms_p50']} ms"
                for name, label in (
                    ("healthz", "floor"),
                    ("time_page", "time page"),
                    ("booking_post", "POST"),
                )
                if name + "_in_worker_ms_p50" in figures
            )
        )
    print(
        f"{'day-choice query (in proc)':<28}{figures['day_query_ms_p50']:>10}{'':>10}{'':>9}"
        f"{figures['day_query_ratio_p50']:>8}   (vs PK select {figures['pk_select_ms_p50']} ms)"
    )
    print(json.dumps(figures, sort_keys=True))
    return figures


def main() -> dict:
    """Each database in a process of its own; one JSON line with the figures of both."""
    databases = ["sqlite"] + (["postgresql"] if pg_available() else [])
    figures = {}
    for database in databases:
        proc = subprocess.run(
            [sys.executable, __file__, "--database", database],
            capture_output=True,
            text=True,
        )
        lines = proc.stdout.splitlines()
        print("\n".join(line for line in lines if not line.startswith("{")), flush=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-4000:])
            raise SystemExit(f"booking bench failed on {database}")
        figures[database] = json.loads([line for line in lines if line.startswith("{")][-1])
    result = {"name": "booking", "figures": figures}
    print(json.dumps(result, sort_keys=True))
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"))
    chosen = parser.parse_args().database
    one_database(chosen) if chosen else main()
