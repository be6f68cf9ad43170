"""The citizen register at 100,000 citizens against the same pages at 1,000, on SQLite and
PostgreSQL: cost flat in the size of the register (issue 14, target <= 1.5x for every page).

Each database is built once with `portal.demo.scale.seed` (no lock events: the register does
not read them) and kept for the next run: SQLite files in bench/out/, PostgreSQL schemas
`register_1000` / `register_100000` in BENCH_DATABASE_URL (default: the local test server's
database `bench_register`, created when missing; BENCH_DATABASE_URL=none skips PostgreSQL).
Each run first merges SQLite's full-text index, as the portal's nightly task does.
Pages, through the Flask test client signed in as a coordinator (whole page: query, template,
the provider of each citizen on the page): the first page, a deep page (page 40, the last page
at 1,000), a name search, a surname search (a full page at both sizes), an external-id search,
a national-id search and a status filter.
ROUNDS rounds of REPEAT requests per page at each size, the two sizes in turn request by
request; figure = p50 at 100,000 / p50 at 1,000.
Prints a table, then one JSON line.
"""

import base64
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

SIZES = (1_000, 100_000)
ROUNDS, REPEAT = 3, 15
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_register"
KEYS = {
    "current": "r1",
    "keys": {"r1": base64.urlsafe_b64encode(b"r" * 32).decode()},
    "index_key": base64.urlsafe_b64encode(b"i" * 32).decode(),
}
EMAIL, PASSWORD = "bench-coordinator@bench.example", "bench-password-0123"  # noqa: S105


def _app(uri: str):
    from portal import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "INSTANCE_PATH": str(HERE / "out" / "register-instance"),
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
            "FIELD_KEYS": KEYS,
            "RATELIMIT_ENABLED": False,
            "INSECURE_COOKIES": True,
            "WTF_CSRF_ENABLED": False,
            "MFA_REQUIRED_ROLES": (),
            "LOG_LEVEL": "WARNING",
        }
    )


def _pg_uri(base: str, size: int) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": url.database}
        ):
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS register_{size}"))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3Dregister_{size}"


def _prepare(app, size: int) -> dict:
    """Seed the register when it is not there yet; return what the pages search for."""
    from sqlalchemy import func, select

    from portal.accounts.models import User
    from portal.accounts.services import create_user
    from portal.citizens import search
    from portal.citizens.models import Citizen
    from portal.citizens.register import national_id_of
    from portal.demo.scale import seed
    from portal.extensions import db

    with app.app_context():
        db.create_all()
        have = db.session.scalar(select(func.count(Citizen.id)))
        if have != size:
            if have:
                raise SystemExit(f"{app.config['SQLALCHEMY_DATABASE_URI']}: {have} citizens")
            started = time.monotonic()
            seed(db.session, citizens=size, events=0, now=datetime.now(UTC), rng_seed=14)
            now = datetime.now(UTC)
            create_user(db.session, EMAIL, "Bench Coordinator", PASSWORD, "coordinator", now=now)
            db.session.commit()
            print(f"   seeded {size:,} citizens in {time.monotonic() - started:.0f} s", flush=True)
        # The index as the nightly task leaves it (SQLite), also in a database seeded before
        # the seed merged it.
        with db.engine.begin() as conn:
            if conn.dialect.name == "sqlite":  # also in a database seeded before they existed
                conn.exec_driver_sql(search.SQLITE_WALK_INDEX)
                conn.exec_driver_sql(search.SQLITE_COMMON_TABLE)
            search.optimize(conn)
        if db.engine.dialect.name == "postgresql":
            # Committed: statistics gathered in a transaction that rolls back are thrown away,
            # and the planner then guesses 0.5 % of the rows for every status.
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        assert db.session.scalar(select(User.id).where(User.email == EMAIL))
        # The same positions at both sizes: the citizen in the middle of the register.
        middle = db.session.scalar(select(Citizen).order_by(Citizen.id).offset(size // 2).limit(1))
        return {
            "name": middle.name,
            "surname": middle.name.split()[-1],
            "external_id": middle.external_id,
            "national_id": national_id_of(app.extensions["keyring"], middle),
            "birth_date": f"{middle.date_of_birth:%d%m%y}",
        }


def _pages(target: dict) -> dict:
    return {
        "first_page": {},
        "deep_page": {"page": 40},
        "name_search": {"q": target["name"]},
        # A whole page at both sizes (the full name, "Lis Iversen" and "Erik Edith Petersen"
        # with seed 14, matches 3 citizens at 1,000 and 7 at 100,000): what a search costs,
        # not its rows.
        "surname_search": {"q": target["surname"]},
        "external_id_search": {"q": target["external_id"]},
        "national_id_search": {"q": target["national_id"]},
        # The date part of a CPR number: those born that day (either century), by its index.
        "birth_date_search": {"q": target["birth_date"]},
        "status_filter": {"status": "fitted"},
        "rare_status_filter": {"status": "follow_up"},
    }


def _client(app):
    client = app.test_client()
    response = client.post("/sign-in/staff", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    return client


def _time(client, args: dict) -> float:
    started = time.perf_counter()
    response = client.get("/coordinator/citizens", query_string=args)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed


def measure(backend: str, uris: dict) -> dict:
    """p50 of every page at each size (the sizes in turn), and the ratios."""
    apps = {size: _app(uri) for size, uri in uris.items()}
    targets = {size: _prepare(app, size) for size, app in apps.items()}
    clients = {size: _client(app) for size, app in apps.items()}
    pages = {size: _pages(targets[size]) for size in SIZES}
    samples = {(size, page): [] for size in SIZES for page in pages[size]}
    for _round in range(ROUNDS):
        for page in pages[SIZES[0]]:
            for size in SIZES:
                _time(clients[size], pages[size][page])  # warm
            # The two sizes in turn, request by request: a slow spell of a shared machine
            # weighs on both instead of on one size's whole block.
            for _ in range(REPEAT):
                for size in SIZES:
                    samples[size, page].append(_time(clients[size], pages[size][page]))
    figures = {}
    for page in _pages(targets[SIZES[0]]):
        small = statistics.median(samples[SIZES[0], page]) * 1000
        large = statistics.median(samples[SIZES[1], page]) * 1000
        figures[f"{backend}_{page}_ratio"] = round(large / small, 2)
        figures[f"{backend}_{page}_ms_1k"] = round(small, 1)
        figures[f"{backend}_{page}_ms_100k"] = round(large, 1)
        print(f"   {backend:10} {page:20} {small:7.1f} ms {large:7.1f} ms  {large / small:5.2f}x")
    for app in apps.values():
        with app.app_context():
            from portal.extensions import db

            db.engine.dispose()
    return figures


def main() -> int:
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    print("   backend    page                  1,000    100,000   ratio", flush=True)
    figures = measure("sqlite", {n: f"sqlite:///{out / f'register_{n}.db'}" for n in SIZES})
    base = os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT)
    if base != "none":
        figures |= measure("postgresql", {n: _pg_uri(base, n) for n in SIZES})
    ratios = [v for k, v in figures.items() if k.endswith("_ratio")]
    figures["worst_ratio"] = max(ratios)
    print(json.dumps({"name": "register", "figures": figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
