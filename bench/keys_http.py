"""POST /api/v1/shifts on gunicorn (2 workers, 127.0.0.1, a temporary SQLite database) against
GET /healthz of the same app, interleaved, with a pure-Python client bounded in count and time.
Also: the time from "block device" to the portal refusing that device, and the bulletin seq.
Used by keys_bench.py; the app comes from bench_wsgi.py.
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
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITIZENS = 60
TIME_LIMIT_S = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _arrange(app):
    """A district, a care group, 60 citizens with door locks, a staff member, an enrolled phone."""
    from portal.access import staff as staff_service
    from portal.access.lock_units import register_lock_unit
    from portal.audit.services import SYSTEM
    from portal.extensions import db
    from portal.keys import Phone, es256, public_key_to_pem
    from tests.factories import make_care_group, make_citizen, make_district, make_provider

    with app.app_context():
        db.create_all()
        district, provider = make_district(db.session), make_provider(db.session)
        group = make_care_group(db.session, provider, [district])
        for _ in range(CITIZENS):
            citizen = make_citizen(db.session, district=district, provider=provider)
            pem = public_key_to_pem(es256.generate_private_key().public_key())
            register_lock_unit(
                db.session,
                serial=f"B-{citizen.id}",
                public_key_text=pem,
                citizen_id=citizen.id,
                now=datetime.now(UTC),
                actor=SYSTEM,
            )
        member, _ = staff_service.create_staff(
            db.session,
            provider_id=provider.id,
            staff_number="B-1",
            first_name="Bea",
            last_name="Bench",
            care_group_ids=[group.id],
            pin="135790",
            now=datetime.now(UTC),
            actor=SYSTEM,
        )
        phone = Phone.generate()
        code, _ = staff_service.create_enrolment_code(
            db.session, member, now=datetime.now(UTC), actor=SYSTEM
        )
        device = staff_service.enrol_device(
            db.session, code, public_key_to_pem(phone.public_key), now=datetime.now(UTC)
        )
        found = phone, device.public_id, device.id
        db.session.commit()  # the gunicorn workers and the blocking step read it
        return found


def _body(phone, device_id: str) -> bytes:
    from portal.access import shifts
    from portal.access.api_input import b64url
    from portal.keys import sign_request

    body = {
        "staff_number": "B-1",
        "pin": "135790",
        "device_id": device_id,
        "timestamp": int(time.time()),
        "nonce": secrets.token_urlsafe(18),
    }
    body["signature"] = b64url(sign_request(phone.private_key, shifts.canonical_bytes(body)))
    return json.dumps(body).encode()


def _request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body else {}
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    spent = time.perf_counter() - started
    conn.close()
    return response.status, spent * 1000


def _argon2_check():
    """A timer for one argon2 PIN check as the shift view runs it (same hasher, same PIN)."""
    from portal.accounts.passwords import check_password, hash_password

    stored = hash_password("135790")

    def check() -> float:
        started = time.perf_counter()
        check_password(stored, "135790")
        return (time.perf_counter() - started) * 1000

    return check


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(requests: int = 200) -> dict:
    """Serve, load, block; return the figures."""
    sys.path.insert(0, str(ROOT))
    from bench_wsgi import build

    tmp = Path(tempfile.mkdtemp(prefix="keys-bench-"))
    env = {**os.environ, "PORTAL_BENCH_DIR": str(tmp), "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    os.environ["PORTAL_BENCH_DIR"] = str(tmp)
    app = build()
    phone, device_id, device_pk = _arrange(app)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench_wsgi:app",
        ],
        cwd=ROOT / "bench",
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if _request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        for _ in range(10):  # warm both workers: imports, key files, caches
            _request(port, "GET", "/healthz")
            _request(port, "POST", "/api/v1/shifts", _body(phone, device_id))
        shift_ms, health_ms, argon2_ms, statuses = [], [], [], set()
        check = _argon2_check()
        stop = time.monotonic() + TIME_LIMIT_S
        while len(shift_ms) < requests and time.monotonic() < stop:
            health_ms.append(_request(port, "GET", "/healthz")[1])
            status, spent = _request(port, "POST", "/api/v1/shifts", _body(phone, device_id))
            statuses.add(status)
            shift_ms.append(spent)
            if len(shift_ms) % 5 == 0:  # the same work the view does, in the same time window
                argon2_ms.append(check())
        block = _block(app, port, phone, device_id, device_pk)
    finally:
        server.terminate()
        server.wait(timeout=20)
    argon2 = statistics.median(argon2_ms)
    p50, p99 = statistics.median(shift_ms), _pct(shift_ms, 0.99)
    h50, h99 = statistics.median(health_ms), _pct(health_ms, 0.99)
    return {
        "requests": len(shift_ms),
        "statuses": sorted(statuses),
        "citizens": CITIZENS,
        "shift_ms_p50": round(p50, 2),
        "shift_ms_p99": round(p99, 2),
        "healthz_ms_p50": round(h50, 3),
        "healthz_ms_p99": round(h99, 3),
        "ratio_p50": round(p50 / h50, 1),
        "ratio_p99": round(p99 / h99, 1),
        "argon2_ms_p50": round(argon2, 2),
        "argon2_share_p50": round(argon2 / p50, 3),
        "block": block,
    }


def _block(app, port, phone, device_id, device_pk) -> dict:
    """Block through the service (as the portal page does), then ask for a shift at once."""
    from portal.access import blocking
    from portal.access.issuer_keys import KeyStore
    from portal.audit.services import SYSTEM
    from portal.extensions import db

    with app.app_context():
        store = KeyStore.from_config(app.config, app.instance_path)
        started = time.perf_counter()
        device = blocking.block_device(
            db.session, device_pk, store, now=datetime.now(UTC), actor=SYSTEM
        )
        blocked = time.perf_counter()
        status, _ = _request(port, "POST", "/api/v1/shifts", _body(phone, device_id))
        refused = time.perf_counter()
        return {
            "block_ms": round((blocked - started) * 1000, 2),
            "block_to_refusal_ms": round((refused - started) * 1000, 2),
            "first_request_refused": status == 403,
            "status": status,
            "bulletin_seq": device.blocked_bulletin_seq,
        }
