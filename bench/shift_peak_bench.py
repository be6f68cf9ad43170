"""07:00, when every shift starts (issue 14), on PostgreSQL and SQLite.

1. 500 staff, each with an enrolled phone, start a shift (`POST /api/v1/shifts`: device
   signature, staff number, argon2 PIN check, a shift key for their care group's doors).
   The real peak is 500 starts within 5 minutes (1.7/s). The bench sends, open-loop from 8
   client threads, one minute of starts at that rate ("steady": 100 staff), then a burst of
   100 more within 10 s ("burst": 10/s, as if they all tapped at 07:00 sharp). Figures:
   p50/p99 of each against `GET /healthz` of the same app measured just before, and the
   cores the argon2 PIN check takes (its CPU seconds per check, measured with process_time
   over all its threads, times the arrival rate).
2. Lock events uploaded in batches (`POST /api/v1/events`, BATCH events per request, signed
   by each door's lock key, carrying the staff member's shift id) by 8 client threads as
   fast as the portal takes them for EVENTS_S seconds: verified events per second sustained
   (every event accepted, visits derived). Target >= 1,000/s on 2 cores, PostgreSQL.

The portal runs on gunicorn with 2 workers (`gunicorn.conf.py`, 127.0.0.1), rate limits off.
PostgreSQL: a fresh database `bench_shiftpeak` on BENCH_PG_SERVER (bench_db.py; default the
local one). Run alone: `.venv/bin/python bench/shift_peak_bench.py [--quick] [--sqlite-only]`.
The last line is the JSON object bench/run.py collects.
"""

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

QUICK = "--quick" in sys.argv
STAFF = 100 if QUICK else 500
GROUPS = 5 if QUICK else 25  # 20 staff per care group, one district each
CITIZENS_PER_GROUP = 100
REAL_RATE = 500 / 300  # starts per second at 07:00
WAVES = {"steady": (20 if QUICK else 100, REAL_RATE), "burst": (20 if QUICK else 100, 10.0)}
CLIENTS = 8
BATCH = 50
EVENTS_S = 10 if QUICK else 30
PIN = "135790"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _arrange(app):
    """Districts, care groups, citizens with door locks, staff with enrolled phones."""
    from portal.access import staff as staff_service
    from portal.access.lock_units import register_lock_unit
    from portal.audit.services import SYSTEM
    from portal.extensions import db
    from portal.keys import Phone, es256, public_key_to_pem
    from tests.factories import make_care_group, make_citizen, make_district, make_provider

    now = datetime.now(UTC)
    people, doors = [], {}
    with app.app_context():
        db.create_all()
        provider = make_provider(db.session)
        for g in range(GROUPS):
            district = make_district(db.session)
            group = make_care_group(db.session, provider, [district])
            group_doors = []
            for _ in range(CITIZENS_PER_GROUP):
                born = date(1930, 1, 1) + timedelta(days=len(doors))  # unique national ids
                citizen = make_citizen(
                    db.session, district=district, provider=provider, date_of_birth=born
                )
                key = es256.generate_private_key()
                unit = register_lock_unit(
                    db.session,
                    serial=f"S-{citizen.id}",
                    public_key_text=public_key_to_pem(key.public_key()),
                    citizen_id=citizen.id,
                    now=now,
                    actor=SYSTEM,
                )
                group_doors.append(unit.lock_id)
                doors[unit.lock_id] = key
            for s in range(STAFF // GROUPS):
                number = f"P-{g}-{s}"
                member, _ = staff_service.create_staff(
                    db.session,
                    provider_id=provider.id,
                    staff_number=number,
                    first_name="Bench",
                    last_name=number,
                    care_group_ids=[group.id],
                    pin=PIN,
                    now=now,
                    actor=SYSTEM,
                )
                phone = Phone.generate()
                code, _ = staff_service.create_enrolment_code(
                    db.session, member, now=now, actor=SYSTEM
                )
                device = staff_service.enrol_device(
                    db.session, code, public_key_to_pem(phone.public_key), now=now
                )
                people.append((number, phone, device.public_id, group_doors))
        db.session.commit()
    return people, doors


def _shift_body(number: str, phone, device_id: str) -> bytes:
    from portal.access import shifts
    from portal.access.api_input import b64url
    from portal.keys import sign_request

    body = {
        "staff_number": number,
        "pin": PIN,
        "device_id": device_id,
        "timestamp": int(time.time()),
        "nonce": secrets.token_urlsafe(18),
    }
    body["signature"] = b64url(sign_request(phone.private_key, shifts.canonical_bytes(body)))
    return json.dumps(body).encode()


class Client:
    """One keep-alive connection per thread (as a phone's HTTP stack would keep one)."""

    local = threading.local()

    def __init__(self, port: int):
        self.port = port

    def request(self, method, path, body=None, headers=None) -> tuple[int, float, bytes]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        hdrs = {"Content-Type": "application/json"} if body else {}
        hdrs.update(headers or {})
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=hdrs)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            raise
        return response.status, (time.perf_counter() - started) * 1000, data


def _argon2_cpu_s() -> float:
    """CPU seconds of one PIN check, as the shift view runs it (median of 20)."""
    from portal.accounts.passwords import check_password, hash_password

    stored = hash_password(PIN)
    samples = []
    for _ in range(20):
        started = time.process_time()
        check_password(stored, PIN)
        samples.append(time.process_time() - started)
    return statistics.median(samples)


def _shift_wave(client: Client, people, rate: float) -> tuple[list[float], dict, list]:
    """These staff start a shift, arriving open-loop at `rate` per second."""
    bodies = [(n, _shift_body(n, phone, dev)) for n, phone, dev, _ in people]
    latencies, statuses, tokens = [], {}, []
    lock = threading.Lock()
    start = time.monotonic()

    def one(i: int, number: str, body: bytes):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        status, ms, data = client.request("POST", "/api/v1/shifts", body)
        with lock:
            latencies.append(ms)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                answer = json.loads(data)
                tokens.append((number, answer["token"], answer["shift_id"]))

    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(one, i, n, b) for i, (n, b) in enumerate(bodies)]:
            future.result()
    return latencies, statuses, tokens


def _event_batches(people, tokens, doors) -> list[tuple[str, bytes, int]]:
    """Pre-signed upload bodies: each staff member opens and closes their group's doors."""
    from portal.access.api_input import b64url
    from portal.keys.events import sign_event

    counters: dict[int, int] = {}
    by_number = {n: group_doors for n, _, _, group_doors in people}
    needed = int(EVENTS_S * 2500)  # more than the portal can take in EVENTS_S
    batches, made, t = [], 0, int(time.time()) - 3600
    while made < needed:
        for number, token, cti in tokens:
            events = []
            for door in by_number[number][: BATCH // 2]:
                for action in ("open", "close"):
                    counters[door] = counters.get(door, 0) + 1
                    t += 1
                    events.append(
                        b64url(
                            sign_event(
                                doors[door],
                                lock_id=door,
                                counter=counters[door],
                                time=t,
                                action=action,
                                result="ok",
                                battery=87,
                                sub=number,
                                cti=bytes.fromhex(cti),
                            )
                        )
                    )
            batches.append((token, json.dumps({"events": events}).encode(), len(events)))
            made += len(events)
            if made >= needed:
                break
    return batches


def _upload(client: Client, batches) -> dict:
    """8 uploaders, as fast as the portal answers, for EVENTS_S seconds."""
    accepted, rejected, errors, latencies = [0], [0], [0], []
    lock = threading.Lock()
    queue = iter(batches)
    stop = time.monotonic() + EVENTS_S

    def worker():
        while time.monotonic() < stop:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            token, body, _ = item
            status, ms, data = client.request(
                "POST", "/api/v1/events", body, {"Authorization": f"Bearer {token}"}
            )
            with lock:
                latencies.append(ms)
                if status != 200:
                    errors[0] += 1
                    continue
                answer = json.loads(data)
                accepted[0] += answer["accepted"]
                rejected[0] += len(answer["rejected"])

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(worker) for _ in range(CLIENTS)]:
            future.result()
    spent = time.monotonic() - started
    return {
        "seconds": round(spent, 1),
        "accepted": accepted[0],
        "rejected": rejected[0],
        "http_errors": errors[0],
        "events_per_s": round(accepted[0] / spent),
        "batch_ms_p50": round(statistics.median(latencies), 1),
        "batch_ms_p99": round(_pct(latencies, 0.99), 1),
    }


def _visits_made(app) -> int:
    from sqlalchemy import func, select

    from portal.access.models_events import Visit
    from portal.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count(Visit.id)))


def run(database: str) -> dict:
    """Arrange, serve on gunicorn, run the shift wave and the uploads; return the figures."""
    from bench_db import fresh_pg_database
    from bench_wsgi import build

    tmp = Path(tempfile.mkdtemp(prefix="shift-peak-"))
    url = (
        fresh_pg_database("bench_shiftpeak")
        if database == "postgresql"
        else f"sqlite:///{tmp / 'bench.db'}"
    )
    env = {
        **os.environ,
        "PORTAL_BENCH_DIR": str(tmp),
        "BENCH_DATABASE_URL": url,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
    }
    os.environ.update(PORTAL_BENCH_DIR=str(tmp), BENCH_DATABASE_URL=url)
    app = build()
    arranged = time.monotonic()
    people, doors = _arrange(app)
    print(f"  {database}: arranged {len(people)} staff in {time.monotonic() - arranged:.0f} s")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
        + ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        + ["bench_wsgi:app"],
        cwd=ROOT / "bench",
        env=env,
    )
    client = Client(port)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if client.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        health = [client.request("GET", "/healthz")[1] for _ in range(300)][50:]
        waves, tokens, offset = {}, [], 0
        for wave, (count, rate) in WAVES.items():
            latencies, statuses, made = _shift_wave(client, people[offset : offset + count], rate)
            waves[wave] = _wave_figures(latencies, statuses, rate, health)
            tokens += made
            offset += count
        batches = _event_batches(people, tokens, doors)
        upload = _upload(client, batches)
    finally:
        server.terminate()
        server.wait(timeout=30)
    cpu = _argon2_cpu_s()
    return {
        "staff": len(people),
        "doors": len(doors),
        "healthz_ms_p50": round(statistics.median(health), 2),
        "healthz_ms_p99": round(_pct(health, 0.99), 2),
        "shifts": waves,
        "argon2_cpu_ms": round(cpu * 1000, 1),
        "argon2_cores_at_real_peak": round(cpu * REAL_RATE, 3),
        "argon2_cores_in_burst": round(cpu * WAVES["burst"][1], 3),
        "events": upload,
        "visits": _visits_made(app),
    }


def _wave_figures(latencies, statuses, rate, health) -> dict:
    h50, h99 = statistics.median(health), _pct(health, 0.99)
    p50, p99 = statistics.median(latencies), _pct(latencies, 0.99)
    return {
        "per_s": round(rate, 2),
        "statuses": statuses,
        "ms_p50": round(p50, 1),
        "ms_p99": round(p99, 1),
        "ratio_p50": round(p50 / h50, 1),
        "ratio_p99": round(p99 / h99, 1),
    }


def main() -> None:
    databases = ["sqlite"] if "--sqlite-only" in sys.argv else ["postgresql", "sqlite"]
    figures = {db_name: run(db_name) for db_name in databases}
    for db_name, f in figures.items():
        for wave, w in f["shifts"].items():
            print(
                f"{db_name:10} shifts {wave} ({w['per_s']}/s): p50 {w['ms_p50']} ms "
                f"({w['ratio_p50']}x healthz), p99 {w['ms_p99']} ms ({w['ratio_p99']}x) {w['statuses']}"
            )
        e = f["events"]
        print(
            f"{db_name:10} argon2 {f['argon2_cpu_ms']} ms CPU per check = "
            f"{f['argon2_cores_at_real_peak']} cores at the real peak, "
            f"{f['argon2_cores_in_burst']} in the burst; events {e['events_per_s']}/s verified "
            f"({e['accepted']} in {e['seconds']} s, {e['rejected']} rejected, "
            f"{e['http_errors']} HTTP errors)"
        )
    print(json.dumps({"name": "shift_peak", "figures": figures}))


if __name__ == "__main__":
    main()
