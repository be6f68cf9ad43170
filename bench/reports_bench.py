"""The visit report at 100,000 citizens / 10 million lock events against 1,000 / 100,000
(issue 12; target: pages within 1.5x, the export in constant memory).

Each database is seeded once with `portal.demo.scale.seed` and kept for the next run: SQLite
files in bench/out/, and on PostgreSQL one schema per size in the database `bench_reports` of
the local server (created when missing; BENCH_DATABASE_URL names another, `none` skips
PostgreSQL). SEED_VERSION names them, so a change to the seed or the schema seeds anew. Measured through
the service functions the views call (`visit_page`, `iter_visit_rows`), in one process:
- first_page: a coordinator's first page (newest arrivals, 50 rows), p50;
- deep_filtered_page: one district, 50 rows after a cursor half-way down that district's list;
- deep_provider_page: a provider admin's page half-way down their provider's list;
- export: CSV rows per second over the first EXPORT_ROWS rows of the whole report (through
  csvcells, as the download writes them), and the peak Python memory of that export against
  one of a tenth as many rows (constant memory: ratio near 1).
The two sizes of a database are measured in turn within each round (25 rounds; 3 for the
export rate), so a stretch of slower machine weighs on both. Figures: p50 (large) / p50
(small) per page, rows/s (small) / rows/s (large), and the memory
ratio. `--quick` compares 1,000 / 100,000 with 10,000 / 1,000,000. Prints one JSON line last.
Run: .venv/bin/python bench/reports_bench.py [--quick] [--seed-only] [--only=sqlite|postgresql]
"""

import base64
import itertools
import json
import os
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

QUICK = "--quick" in sys.argv
SEED_ONLY = "--seed-only" in sys.argv  # build the databases now, measure in a later run
ONLY = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")), None)
SIZES = ((1_000, 100_000), (10_000, 1_000_000) if QUICK else (100_000, 10_000_000))
REPEAT = 15 if QUICK else 25
EXPORT_ROWS = 20_000 if QUICK else 50_000
SEED_VERSION = "v2"  # visits carry district and provider; events and visits in time order
KEYS = {
    "current": "r1",
    "keys": {"r1": base64.urlsafe_b64encode(b"r" * 32).decode()},
    "index_key": base64.urlsafe_b64encode(b"i" * 32).decode(),
}


def _app(uri: str):
    from portal import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "INSTANCE_PATH": str(HERE / "out" / "reports-instance"),
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
            "FIELD_KEYS": KEYS,
            "LOG_LEVEL": "WARNING",
        }
    )


def _pg_base() -> str | None:
    """The PostgreSQL database the report benchmark keeps its schemas in (None: skip)."""
    from bench_db import PG_SERVER, pg_available
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ.get("BENCH_DATABASE_URL")
    if base:
        return None if base == "none" else base
    if not pg_available():
        return None
    engine = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = 'bench_reports'")):
            conn.execute(text("CREATE DATABASE bench_reports"))
    engine.dispose()
    return make_url(PG_SERVER).set(database="bench_reports").render_as_string(False)


def _uris(citizens: int, events: int) -> dict:
    name = f"reports_{SEED_VERSION}_{citizens}_{events}"
    found = {"sqlite": f"sqlite:///{HERE / 'out' / f'{name}.db'}"}
    base = _pg_base()
    if base:
        from sqlalchemy import create_engine, text

        schema = name
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
        engine.dispose()
        sep = "&" if "?" in base else "?"
        found["postgresql"] = f"{base}{sep}options=-csearch_path%3D{schema}"
    return found


def _prepare(app, citizens: int, events: int) -> None:
    from importlib import import_module

    from sqlalchemy import func, select

    from portal.access.models_events import LockEvent
    from portal.extensions import db

    seed = import_module("portal.demo.scale").seed  # helper "scale"'s module (issue 12/14)

    with app.app_context():
        db.create_all()
        have = db.session.scalar(select(func.count(LockEvent.id)))
        if have and have != events:
            raise SystemExit(
                f"{db.engine.url!r} holds a partial seed ({have:,} of {events:,} lock events): "
                "remove it (the file, or the schema) and run again"
            )
        if not have:
            started = time.monotonic()
            now = datetime(2026, 12, 1, 12, tzinfo=UTC)
            seed(
                db.session,
                citizens=citizens,
                events=events,
                now=now,
                rng_seed=12,
                checkpoint=db.session.commit,
            )
            db.session.commit()
            print(f"   seeded {citizens:,}/{events:,} in {time.monotonic() - started:.0f} s")
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "postgresql":
                # What autovacuum does after a bulk load (this server runs without it): the
                # statistics, and the visibility map the planner's index probes rely on.
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.exec_driver_sql("VACUUM (ANALYZE)")
            else:  # both sizes read from the database file, not through a large WAL
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _middle_cursor(session, scope, filters) -> str:
    """The cursor after the visit half-way down the filtered list (found once, by OFFSET)."""
    from sqlalchemy import func, select

    from portal.access.models_events import Visit
    from portal.reports.filters import encode_cursor
    from portal.reports.visits import visit_statement

    stmt = visit_statement(session, scope, filters).subquery()
    total = session.scalar(select(func.count()).select_from(stmt))
    row = session.execute(
        select(stmt.c.start, stmt.c.id)
        .order_by(stmt.c.start.desc(), stmt.c.id.desc())
        .offset(total // 2)
        .limit(1)
    ).one()
    start = Visit.start.type.process_result_value(row.start, session.get_bind().dialect)
    return encode_cursor(filters.sort, start, row.id)


def _export(session, scope, filters, rows: int, trace: bool) -> float:
    """Rows per second writing `rows` CSV rows, or with `trace` the peak traced bytes."""
    from portal.reports.exports import csv_chunks
    from portal.reports.visits import iter_visit_rows

    header = ["a"] * 10
    cells = lambda r: [r.citizen, r.staff, r.staff_number, r.care_group, r.district]  # noqa: E731
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    written = 0
    for chunk in csv_chunks(
        header, itertools.islice(iter_visit_rows(session, scope, filters), rows), cells
    ):
        written += chunk.count("\n")
    elapsed = time.perf_counter() - started
    if not trace:
        return (written - 1) / elapsed
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


PAGES = ("first_page_s", "deep_filtered_page_s", "deep_provider_page_s")
EXPORT_ROUNDS = 3


def _setup(app) -> dict:
    """What the pages ask for at one size: the scopes, filters and half-way cursors."""
    from sqlalchemy import func, select

    from portal.access.models import Staff
    from portal.access.models_events import Visit
    from portal.citizens.models import Citizen
    from portal.extensions import db
    from portal.reports.filters import Scope, VisitFilters

    with app.app_context():
        s = db.session
        district = s.scalar(
            select(Citizen.district_id)
            .join(Visit, Visit.citizen_id == Citizen.id)
            .group_by(Citizen.district_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        provider = s.scalar(
            select(Staff.provider_id)
            .join(Visit, Visit.staff_id == Staff.id)
            .group_by(Staff.provider_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        everyone, own = Scope.everything(), Scope.provider(provider)
        by_district = VisitFilters(district_id=district)
        plan = {
            "visits": s.scalar(select(func.count(Visit.id))),
            "everyone": everyone,
            "first_page_s": (everyone, VisitFilters(), None),
            "deep_filtered_page_s": (
                everyone,
                by_district,
                _middle_cursor(s, everyone, by_district),
            ),
            "deep_provider_page_s": (own, VisitFilters(), _middle_cursor(s, own, VisitFilters())),
        }
        s.rollback()
        return plan


def measure(apps: dict) -> dict:
    """Every figure's raw numbers for each size (name -> app), the sizes measured in turn
    within each round, so that a machine that is slower for a while weighs on both alike:
    p50 of REPEAT rounds per page, the median of EXPORT_ROUNDS export rates, and the export's
    peak memory."""
    from portal.extensions import db
    from portal.reports.filters import VisitFilters
    from portal.reports.visits import visit_page

    plans = {name: _setup(app) for name, app in apps.items()}
    times = {name: {page: [] for page in PAGES} for name in apps}
    for round_ in range(REPEAT + 1):  # the first round warms
        for name, app in apps.items():
            with app.app_context():
                for page in PAGES:
                    scope, filters, cursor = plans[name][page]
                    started = time.perf_counter()
                    visit_page(db.session, scope, filters, cursor=cursor)
                    if round_:
                        times[name][page].append(time.perf_counter() - started)
    out = {
        name: {"visits": plans[name]["visits"]}
        | {page: statistics.median(times[name][page]) for page in PAGES}
        for name in apps
    }
    rates = {name: [] for name in apps}
    every = VisitFilters()
    for _ in range(EXPORT_ROUNDS):
        for name, app in apps.items():
            with app.app_context():
                everyone = plans[name]["everyone"]
                rates[name].append(_export(db.session, everyone, every, EXPORT_ROWS, False))
    for name, app in apps.items():
        with app.app_context():
            everyone = plans[name]["everyone"]
            out[name]["export_rows_per_s"] = statistics.median(rates[name])
            out[name]["export_peak_bytes"] = _export(db.session, everyone, every, EXPORT_ROWS, True)
            out[name]["export_tenth_peak_bytes"] = _export(
                db.session, everyone, every, EXPORT_ROWS // 10, True
            )
    return out


def main() -> None:
    import logging

    logging.disable(logging.INFO)
    (HERE / "out").mkdir(exist_ok=True)
    apps = {}
    for citizens, events in SIZES:
        for engine, uri in _uris(citizens, events).items():
            if ONLY and engine != ONLY:
                continue
            app = _app(uri)
            _prepare(app, citizens, events)
            apps.setdefault(engine, {})[f"{engine}_{citizens}_{events}"] = app
    if SEED_ONLY:
        return
    raw, figures = {}, {}
    for sized in apps.values():
        raw |= measure(sized)
        for name in sized:
            print(f"   {name}: {json.dumps(raw[name])}", flush=True)
    (small_c, small_e), (large_c, large_e) = SIZES
    for engine in ("sqlite", "postgresql"):
        small, large = (
            raw.get(f"{engine}_{small_c}_{small_e}"),
            raw.get(f"{engine}_{large_c}_{large_e}"),
        )
        if not (small and large):
            continue
        for page in PAGES:
            figures[f"{engine}_{page[:-2]}_ratio"] = round(large[page] / small[page], 2)
        figures[f"{engine}_export_rate_ratio"] = round(
            small["export_rows_per_s"] / large["export_rows_per_s"], 2
        )
        figures[f"{engine}_export_memory_ratio_10x_rows"] = round(
            large["export_peak_bytes"] / large["export_tenth_peak_bytes"], 2
        )
        figures[f"{engine}_export_rows_per_s_large"] = round(large["export_rows_per_s"])
    print(json.dumps({"name": "reports", "quick": QUICK, "figures": figures, "raw": raw}))


if __name__ == "__main__":
    main()
