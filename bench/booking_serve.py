"""The booking bench's load: gunicorn (2 workers) on the seeded database, citizens walked to
the check page, then interleaved rounds of floor, plain page, time page and booking POSTs."""

import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from booking_load import Client, percentile, radio_values

HERE = Path(__file__).resolve().parent
# Three interleaved rounds (floor, plain page, time page, bookings, floor), so a machine that
# slows down or speeds up during the run affects the floor and the pages alike.
THREADS, ROUNDS, TRIVIAL, TIME_PAGES, TIME_LIMIT_S = 2, 3, 500, 400, 30


def walk_to_check(client, code: str, born: date, index: int):
    """Sign in and answer day, time and details, stopping on the check page.

    `client.request(method, path, form=None)` answers (status, ms, body text, Location), over
    HTTP (booking_load.Client) or through Flask's test client (booking_profile.py)."""
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


def _prepare(port: int, code: str, born: date, index: int) -> Client:
    """A signed-in citizen over HTTP, on the check page."""
    return walk_to_check(Client(port), code, born, index)


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


def serve_and_load(folder: Path, prepared) -> dict:
    """Serve the seeded database with gunicorn and load it; the pooled and per-round figures."""
    times = folder / "worker-times"
    times.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "BENCH_WORKER_TIMES": str(times),
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
    out.update(_in_worker(times))
    return out


def _in_worker(times: Path) -> dict:
    """p50 of the floor, time page and booking POST as timed inside the gunicorn workers (all
    of the run's requests of each kind, both workers pooled): what HTTP adds is the rest."""
    import json

    pooled: dict[str, list[float]] = {}
    for found in times.glob("worker-*.json"):
        for key, ms in json.loads(found.read_text()).items():
            pooled.setdefault(key, []).extend(ms)
    out = {}
    for name, key in (
        ("healthz", "GET /healthz"),
        ("time_page", "GET /citizen/booking/time"),
        ("booking_post", "POST /citizen/booking/check"),
    ):
        if pooled.get(key):
            out[f"{name}_in_worker_ms_p50"] = round(statistics.median(pooled[key]), 3)
    return out
