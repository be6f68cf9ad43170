"""Booking under load, as ratios to floors measured in the same run.

1. On gunicorn (2 workers, gunicorn.conf.py, 127.0.0.1, a temporary SQLite database with
   2,500 citizens, a four-week campaign and 3 locksmiths; two client threads): p50/p99 latency
   and requests/s of the citizen's "choose a time" page and of the booking POST, each against
   GET /healthz of the same app. A plain Jinja page of the same app (GET /accessibility) is
   measured too, for scale. Three interleaved rounds; the figures pool all rounds, and each
   round's own ratios are printed too.
2. In process: the day-choice query (free days in the district) against a bare primary-key
   SELECT on the same database.
Pure-Python client, bounded in request count and time. Prints a table, then one JSON line.
"""

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from booking_load import Client, percentile, radio_values  # noqa: E402

CITIZENS, LOCKSMITHS, WEEKS, BOOKED_SHARE = 2500, 3, 4, 0.4
# Three interleaved rounds (floor, plain page, time page, bookings, floor), so a machine that
# slows down or speeds up during the run affects the floor and the pages alike.
PREPARED, THREADS, ROUNDS, TRIVIAL, TIME_PAGES, TIME_LIMIT_S = 450, 2, 3, 500, 400, 30
TZ = ZoneInfo("Europe/Copenhagen")


def _seed(app):
    """District, 2,500 citizens, a running 4-week campaign, 3 locksmiths, 40 % of slots booked."""
    from portal.access.models import Provider
    from portal.accounts.services import create_user
    from portal.audit.services import SYSTEM
    from portal.booking import planning, services
    from portal.booking.calendar import next_working_day
    from portal.booking.models import Slot
    from portal.citizens.register import create_citizen, letter_code_of
    from portal.extensions import db
    from portal.rollout.models import Campaign, District

    rng, now = random.Random(7), datetime.now(UTC)
    with app.app_context():
        db.create_all()
        session, keyring = db.session, app.extensions["keyring"]
        district, provider = District(name="Benchby"), Provider(name="Bench Pleje")
        session.add_all([district, provider])
        session.flush()
        people = []
        for n in range(CITIZENS):
            born = date(1930, 1, 1) + timedelta(days=rng.randint(0, 15000))
            people.append(
                create_citizen(
                    session,
                    keyring,
                    {
                        "external_id": f"B-{n}",
                        "national_id": f"{born:%d%m%y}{n:04d}",
                        "name": f"Borger {n}",
                        "date_of_birth": born,
                        "address": f"Benchvej {n}",
                        "postcode": "4100",
                        "city": "Demoby",
                        "phone": "+4520123456",
                        "district_id": district.id,
                        "provider_id": provider.id,
                    },
                    now=now,
                    rng=rng,
                )
            )
        first = next_working_day(next_working_day(now.astimezone(TZ).date(), "DK"), "DK")
        campaign = Campaign(
            name="Bench",
            district_id=district.id,
            starts_on=first,
            ends_on=first + timedelta(weeks=WEEKS) - timedelta(days=1),
            day_start=clock(8),
            day_end=clock(15, 30),
            status="running",
        )
        session.add(campaign)
        smiths = [
            create_user(
                session, f"smed{i}@bench.example", f"Smed {i}", "bench-pw", "locksmith", now=now
            )
            for i in range(LOCKSMITHS)
        ]
        session.commit()
        for smith in smiths:
            window = planning.Window(
                campaign.starts_on, campaign.ends_on, "01234", clock(8), clock(15, 30)
            )
            planning.save_availability(
                session,
                campaign_id=campaign.id,
                locksmith_id=smith.id,
                window=window,
                now=now,
                actor=SYSTEM,
                country="DK",
                tz=TZ,
            )
        session.commit()
        slots = session.query(Slot.id).all()
        taken = rng.sample([s.id for s in slots], int(len(slots) * BOOKED_SHARE))
        for citizen, slot_id in zip(people[PREPARED:], taken, strict=False):
            services.book_slot(session, citizen.id, slot_id, now=now, cutoff=timedelta(0))
            session.commit()
        prepared = [(letter_code_of(keyring, c), c.date_of_birth) for c in people[:PREPARED]]
        return district.id, len(slots), len(taken), prepared


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


def _prepare(port: int, code: str, born: date, index: int) -> Client:
    """Sign in and answer day, time and details, stopping on the check page."""
    client = Client(port)
    client.request("GET", "/sign-in/citizen")
    client.request(
        "POST",
        "/sign-in/citizen",
        {"code": code, "day": born.day, "month": born.month, "year": born.year},
    )
    days = radio_values(client.request("GET", "/citizen/booking/day?start=new")[2], "day")
    client.request("POST", "/citizen/booking/day", {"day": days[index % len(days)]})
    times = radio_values(client.request("GET", "/citizen/booking/time")[2], "time")
    client.request(
        "POST", "/citizen/booking/time", {"time": times[(index // len(days)) % len(times)]}
    )
    client.request(
        "POST",
        "/citizen/booking/details",
        {"opener": "self", "call_phone": "20 12 34 56", "interpreter": "no"},
    )
    client.request("GET", "/citizen/booking/check")
    return client


def _phase(jobs: list, limit: int) -> dict:
    """Run the jobs on THREADS threads (bounded in count and time); latencies and rate."""
    jobs, stop = jobs[:limit], time.monotonic() + TIME_LIMIT_S
    results = []

    def run(job):
        return job() if time.monotonic() < stop else None

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        results = [r for r in pool.map(run, jobs) if r is not None]
    wall = time.perf_counter() - started
    ms = [r[1] for r in results]
    return {
        "n": len(ms),
        "p50": statistics.median(ms),
        "p99": percentile(ms, 0.99),
        "rps": len(ms) / wall,
        "statuses": sorted({r[0] for r in results}),
        "ms": ms,
        "wall": wall,
        "booked": sum(
            1 for r in results if "/citizen/booking/" in r[3] and r[3].split("/")[-1][:1].isdigit()
        ),
    }


def _serve_and_load(folder: Path, prepared) -> dict:
    env = {
        **os.environ,
        "PORTAL_BENCH_DIR": str(folder),
        "PYTHONPATH": f"{HERE.parent}:{HERE}",
        "PORTAL_INSTANCE_PATH": str(folder / "instance"),
    }
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(HERE.parent / "gunicorn.conf.py"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench_wsgi:app",
        ],
        cwd=HERE,
        env=env,
    )
    try:
        probe, deadline = Client(port), time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if probe.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        with ThreadPoolExecutor(THREADS) as pool:
            clients = list(pool.map(lambda a: _prepare(port, *a[1], a[0]), enumerate(prepared)))
        health = lambda: probe.request("GET", "/healthz")  # noqa: E731
        _phase([health] * 200, 200)  # warm both workers
        per_round = len(clients) // ROUNDS
        phases = {"floor": [], "plain_page": [], "time_page": [], "booking_post": []}
        round_ratios = []
        for r in range(ROUNDS):
            mine = clients[r * per_round : (r + 1) * per_round]
            got = {"floor": [_phase([health] * TRIVIAL, TRIVIAL)]}
            got["plain_page"] = [
                _phase([lambda: probe.request("GET", "/accessibility")] * TIME_PAGES, TIME_PAGES)
            ]
            got["time_page"] = [
                _phase(
                    [
                        lambda c=mine[i % len(mine)]: c.request("GET", "/citizen/booking/time")
                        for i in range(TIME_PAGES)
                    ],
                    TIME_PAGES,
                )
            ]
            got["booking_post"] = [
                _phase(
                    [lambda c=c: c.request("POST", "/citizen/booking/check", {}) for c in mine],
                    len(mine),
                )
            ]
            got["floor"].append(_phase([health] * TRIVIAL, TRIVIAL))
            for name, runs in got.items():
                phases[name] += runs
            floor_p50 = statistics.median([x for run in got["floor"] for x in run["ms"]])
            round_ratios.append(
                {
                    name: round(got[name][0]["p50"] / floor_p50, 1)
                    for name in ("time_page", "booking_post")
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=20)

    def pooled(runs):
        ms = [x for run in runs for x in run["ms"]]
        return {
            "p50": statistics.median(ms),
            "p99": percentile(ms, 0.99),
            "n": len(ms),
            "rps": len(ms) / sum(run["wall"] for run in runs),
            "statuses": sorted({st for run in runs for st in run["statuses"]}),
            "booked": sum(run["booked"] for run in runs),
        }

    floor = pooled(phases.pop("floor"))
    out = {
        "healthz_ms_p50": round(floor["p50"], 3),
        "healthz_ms_p99": round(floor["p99"], 3),
        "healthz_rps": round(floor["rps"]),
        "rounds": ROUNDS,
        "round_ratios_p50": round_ratios,
    }
    for name, runs in phases.items():
        phase = pooled(runs)
        out.update(
            {
                f"{name}_ms_p50": round(phase["p50"], 2),
                f"{name}_ms_p99": round(phase["p99"], 2),
                f"{name}_rps": round(phase["rps"]),
                f"{name}_n": phase["n"],
                f"{name}_statuses": phase["statuses"],
                f"{name}_ratio_p50": round(phase["p50"] / floor["p50"], 1),
                f"{name}_ratio_p99": round(phase["p99"] / floor["p99"], 1),
                f"{name}_rps_ratio": round(floor["rps"] / phase["rps"], 1),
            }
        )
        if name == "booking_post":
            posts = phase
    out["booking_post_booked"] = posts["booked"]
    return out


def main() -> dict:
    """Seed, measure the query in process, then serve and load; print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="booking-bench-"))
    os.environ["PORTAL_BENCH_DIR"] = str(folder)
    os.environ.setdefault("PORTAL_INSTANCE_PATH", str(folder / "instance"))
    from bench_wsgi import build

    app = build()
    district_id, slots, taken, prepared = _seed(app)
    figures = {
        "citizens": CITIZENS,
        "locksmiths": LOCKSMITHS,
        "weeks": WEEKS,
        "slots": slots,
        "booked_before": taken,
        **_query_figures(app, district_id),
        **_serve_and_load(folder, prepared),
    }
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
    print(
        f"{'day-choice query (in proc)':<28}{figures['day_query_ms_p50']:>10}{'':>10}{'':>9}"
        f"{figures['day_query_ratio_p50']:>8}   (vs PK select {figures['pk_select_ms_p50']} ms)"
    )
    result = {"name": "booking", "figures": figures}
    print(json.dumps(result, sort_keys=True))
    return result


if __name__ == "__main__":
    main()
