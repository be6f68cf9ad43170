"""The visit report's CSV export: peak traced Python memory against its length (issue 12: the
export in constant memory), on a seed small enough to build in minutes.

Seeds (once, kept) `reports_bench`'s database for CITIZENS / EVENTS (214,786 visits; about
1 to 1.5 minutes, where the bench's full seed takes 25), in bench/out/ and as a schema of
`bench_reports`, then in one process exports 5,000 rows untraced (a warm-up) and 5,000, 50,000
and 200,000 rows traced, each with `reports_bench._export(..., trace=True)`, and prints each
peak and its ratio to the 5,000-row one. Not part of `make bench` (not a *_bench.py). A ratio
of 1.1-1.3x is garbage waiting for Python's generation-2 collection, on either database;
growth past 50,000 rows is what to look for (docs/figures.md, *Reports*, 2026-12-05).
Prints one JSON line last.
Run: .venv/bin/python bench/reports_export_memory.py [--only=sqlite|postgresql]
     [--rows=5000,50000,200000]
"""

import json
import sys
import time

import reports_bench as rb

CITIZENS, EVENTS = 10_000, 440_000
ONLY = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")), None)
ROWS = next(
    (
        tuple(int(n) for n in a.split("=", 1)[1].split(","))
        for a in sys.argv
        if a.startswith("--rows=")
    ),
    (5_000, 50_000, 200_000),
)


def main() -> None:
    """Seed if needed, then measure each database's export peaks in turn."""
    import logging

    from portal.extensions import db
    from portal.reports.filters import Scope, VisitFilters

    logging.disable(logging.INFO)
    (rb.HERE / "out").mkdir(exist_ok=True)
    figures = {}
    for engine, uri in rb._uris(CITIZENS, EVENTS).items():
        if ONLY and engine != ONLY:
            continue
        app = rb._app(uri)
        rb._prepare(app, CITIZENS, EVENTS)
        with app.app_context():
            everyone, every = Scope.everything(), VisitFilters()
            rb._export(db.session, everyone, every, ROWS[0], False)  # warm-up
            peaks = {}
            for rows in ROWS:
                started = time.perf_counter()
                peaks[rows] = rb._export(db.session, everyone, every, rows, True)
                took = time.perf_counter() - started
                print(f"   {engine} {rows:,} rows: {peaks[rows] / 1e6:.1f} MB ({took:.1f} s)")
                db.session.rollback()
        figures[engine] = {
            "peak_mb": {rows: round(peak / 1e6, 2) for rows, peak in peaks.items()},
            "ratio": {rows: round(peak / peaks[ROWS[0]], 2) for rows, peak in peaks.items()},
        }
    print(json.dumps({"name": "reports_export_memory", "figures": figures}))


if __name__ == "__main__":
    main()
