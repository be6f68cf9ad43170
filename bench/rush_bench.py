"""The campaign-opening rush: a fresh letter wave, 300 citizens at once, against the production
shape (bench/prod_local.py: two gunicorn processes on one port, Redis, two consumers) on
PostgreSQL and on SQLite.

Seeded: a district with a running four-week campaign, 11 locksmiths (about 2,600 free slots)
and WAVE citizens with letters, none booked. Then CONCURRENCY asyncio tasks (httpx, one cookie
jar each) take the next citizen of the wave until the time is up: sign in with the letter code
and date of birth, pick a random day and time, answer the details and book. "That time was just
taken" sends the citizen back to pick another (counted, not an error; up to 5 tries). Each
citizen presents an address of its own in X-Forwarded-For, which the shape believes only because
the bench starts it with `--trusted-proxies 1` (the default is 0), so sign-in throttling per
address applies per citizen as it would for real people.
Afterwards, in the database: no slot with two active appointments, no citizen with two open
bookings, and every booking the clients saw exists.

    python bench/rush_bench.py            # 2 minutes per database (in `make bench`)
    python bench/rush_bench.py --quick    # 20 s, a smaller wave
Prints a table, then one JSON line (figures per database).
"""

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_db import fresh_pg_database, pg_available  # noqa: E402
from booking_load import percentile, radio_values  # noqa: E402

CONCURRENCY, LOCKSMITHS, TRIES = 300, 11, 5
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BOOKED = re.compile(r"/citizen/booking/(\d+)")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


class Tally:
    """What the clients saw."""

    def __init__(self):
        self.latencies: list[float] = []
        self.book_latencies: list[float] = []
        self.bookings: list[int] = []
        self.taken = 0
        self.errors: dict[str, int] = {}
        self.gave_up = 0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def _request(client, tally, method, path, data=None, *, book=False):
    started = time.perf_counter()
    if data is not None:
        found = TOKEN.search(client.last_html)
        data = {**data, "csrf_token": found.group(1) if found else ""}
    response = await client.request(method, path, data=data)
    spent = (time.perf_counter() - started) * 1000
    tally.latencies.append(spent)
    if book:
        tally.book_latencies.append(spent)
    if response.status_code >= 400:
        tally.error(f"{method} {path.split('?')[0]} -> {response.status_code}")
        raise RuntimeError(response.status_code)
    if response.status_code < 300:
        client.last_html = response.text
    return response


async def _citizen(port, tally, code, born, address, rng):
    """One citizen from sign-in to a booking (or giving up after TRIES taken times)."""
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        headers={"X-Forwarded-For": address},
        timeout=120,
        follow_redirects=False,
    ) as client:
        client.last_html = ""
        await _request(client, tally, "GET", "/sign-in/citizen")
        signed = await _request(
            client,
            tally,
            "POST",
            "/sign-in/citizen",
            {"code": code, "day": born.day, "month": born.month, "year": born.year},
        )
        if signed.status_code != 303 and signed.status_code != 302:
            tally.error("sign-in refused")
            return
        for _ in range(TRIES):
            page = await _request(client, tally, "GET", "/citizen/booking/day?start=new")
            days = radio_values(page.text, "day")
            if not days:
                tally.gave_up += 1
                return
            await _request(client, tally, "POST", "/citizen/booking/day", {"day": rng.choice(days)})
            page = await _request(client, tally, "GET", "/citizen/booking/time")
            times = radio_values(page.text, "time")
            if not times:
                tally.taken += 1
                continue
            await _request(
                client, tally, "POST", "/citizen/booking/time", {"time": rng.choice(times)}
            )
            await _request(
                client,
                tally,
                "POST",
                "/citizen/booking/details",
                {"opener": "self", "call_phone": "20 12 34 56", "interpreter": "no"},
            )
            await _request(client, tally, "GET", "/citizen/booking/check")
            done = await _request(client, tally, "POST", "/citizen/booking/check", {}, book=True)
            found = BOOKED.search(done.headers.get("location", ""))
            if found:
                tally.bookings.append(int(found.group(1)))
                return
            tally.taken += 1  # back to the time page: "that time was just taken"
        tally.gave_up += 1


async def _rush(port, wave, seconds) -> tuple[Tally, float]:
    tally, queue, rng = Tally(), list(enumerate(wave)), random.Random(3)
    stop = time.monotonic() + seconds

    async def worker():
        while queue and time.monotonic() < stop:
            n, (code, born) = queue.pop()
            address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
            try:
                await _citizen(port, tally, code, born, address, rng)
            except (httpx.HTTPError, RuntimeError) as exc:
                if isinstance(exc, httpx.HTTPError):
                    tally.error(type(exc).__name__)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return tally, time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _checks(url: str) -> dict:
    """In the database: double-booked slots, citizens with two open bookings, bookings."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        one = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT slot_id FROM appointment WHERE status IN "
                "('booked', 'completed', 'failed') GROUP BY slot_id HAVING count(*) > 1) x"
            )
        ).scalar()
        two = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT citizen_id FROM appointment WHERE status = "
                "'booked' GROUP BY citizen_id HAVING count(*) > 1) x"
            )
        ).scalar()
        ids = {row[0] for row in conn.execute(text("SELECT id FROM appointment"))}
    engine.dispose()
    return {"slots_with_two": one, "citizens_with_two": two, "ids": ids}


def one_database(database: str, seconds: float, wave_size: int) -> dict:
    """Start the shape on a fresh database, seed the wave, rush it, check, stop."""
    from booking_seed import seed

    folder = Path(tempfile.mkdtemp(prefix="rush-bench-"))
    if database == "postgresql":
        url = fresh_pg_database("prod_bench_rush")
    else:
        url = f"sqlite:///{folder / 'rush.db'}"
    port = _free_port()
    env = {**os.environ, "PROD_LOCAL_STATE": str(folder / "state"), "PROD_REDIS_URL": REDIS_URL}
    env.pop("REDIS_URL", None)
    script = [sys.executable, str(HERE / "prod_local.py")]
    subprocess.run(
        [*script, "start", "--detach", "--no-seed", "--trusted-proxies", "1"]
        + ["--port", str(port), "--database-url", url],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        from portal import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "LOG_LEVEL": "WARNING"})
        _, slots, _, wave = seed(
            app,
            citizens=wave_size,
            locksmiths=LOCKSMITHS,
            booked_share=0,
            prepared_count=wave_size,
        )
        tally, wall = asyncio.run(_rush(port, wave, seconds))
    finally:
        subprocess.run([*script, "stop"], env=env, stdout=subprocess.DEVNULL)
    found = _checks(url)
    missing = len(set(tally.bookings) - found["ids"])
    book = tally.book_latencies or [0.0]
    return {
        "database": database,
        "concurrency": CONCURRENCY,
        "seconds": round(wall, 1),
        "free_slots": slots,
        "wave": wave_size,
        "bookings": len(tally.bookings),
        "bookings_per_s": round(len(tally.bookings) / wall, 1),
        "requests": len(tally.latencies),
        "request_ms_p50": round(statistics.median(tally.latencies), 1),
        "request_ms_p99": round(percentile(tally.latencies, 0.99), 1),
        "booking_post_ms_p50": round(statistics.median(book), 1),
        "booking_post_ms_p99": round(percentile(book, 0.99), 1),
        "taken_pick_another": tally.taken,
        "gave_up": tally.gave_up,
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "slots_with_two_appointments": found["slots_with_two"],
        "citizens_with_two_open_bookings": found["citizens_with_two"],
        "bookings_seen_but_missing": missing,
    }


def main() -> dict:
    """Each database in turn; a table and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 s and a wave of 800")
    parser.add_argument("--database", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    seconds, wave = (20, 800) if args.quick else (120, 2500)
    databases = [args.database] if args.database else ["sqlite", "postgresql"]
    if "postgresql" in databases and not pg_available():
        databases.remove("postgresql")
    figures = {db: one_database(db, seconds, wave) for db in databases}
    print(
        f"{'database':<12}{'booked':>8}{'per s':>8}{'req p50':>9}{'req p99':>9}"
        f"{'book p99':>10}{'taken':>7}{'errors':>8}{'2/slot':>8}{'2/citizen':>10}"
    )
    for db, f in figures.items():
        print(
            f"{db:<12}{f['bookings']:>8}{f['bookings_per_s']:>8}{f['request_ms_p50']:>9}"
            f"{f['request_ms_p99']:>9}{f['booking_post_ms_p99']:>10}{f['taken_pick_another']:>7}"
            f"{f['errors']:>8}{f['slots_with_two_appointments']:>8}"
            f"{f['citizens_with_two_open_bookings']:>10}"
        )
    result = {"name": "rush", "figures": figures}
    print(json.dumps(result, sort_keys=True))
    return result


if __name__ == "__main__":
    main()
