"""Key-module and field-API figures (issue 5), each as a ratio against a floor from the same run.

1. Lock-side verify of a 60-lock shift key plus the device proof, against the lock's
   unavoidable crypto done with `cryptography` (two raw P-256 verifies and one sign),
   interleaved. Target <= 1.8x.
2. Shift key size for 1/10/60/500 locks against a JWT (ES256) with the same claims.
   Target <= 55 %.
3. POST /api/v1/shifts for a staff member with 60 citizens on gunicorn, p50/p99 against
   GET /healthz in the same run, with the argon2 PIN check's share (see keys_http.py).
4. Time from "block device" to the portal refusing that device, and the bulletin seq.

Run directly: `.venv/bin/python bench/keys_bench.py [--quick]`. Prints a table, then one JSON
line (the last line) for bench/run.py.
"""

import base64
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from portal.keys import Issuer, Lock, Phone  # noqa: E402

QUICK = "--quick" in sys.argv
ECDSA = ec.ECDSA(hashes.SHA256())
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _median_us(samples: list[int]) -> float:
    return statistics.median(samples) / 1000


def lock_verify(rounds: int) -> dict:
    """Interleaved: one lock.verify, then the floor (verify, verify, sign), `rounds` times."""
    issuer, phone = Issuer.generate("https://portal.example", "k1"), Phone.generate()
    clock = [T0 + timedelta(hours=1)]
    lock = Lock.provision(4_000_123, [issuer.trust_anchor()], lambda: clock[0])
    key = issuer.issue_shift_key(
        "S-1",
        phone.public_key,
        [4_000_123, *range(100, 159)],
        T0,
        T0 + timedelta(hours=9),
        issued_at=T0,
    )
    assert len(set([4_000_123, *range(100, 159)])) == 60
    issuer_key, device_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    event_key = ec.generate_private_key(ec.SECP256R1())
    body, proof_body, event_body = key, b"p" * 120, b"e" * 110
    issuer_sig, device_sig = issuer_key.sign(body, ECDSA), device_key.sign(proof_body, ECDSA)
    issuer_pub, device_pub = issuer_key.public_key(), device_key.public_key()
    ours, floor = [], []
    for i in range(rounds + 50):
        answer = phone.answer(lock.challenge(), key, "open" if i % 2 else "close")
        started = time.perf_counter_ns()
        lock.verify(answer)
        spent = time.perf_counter_ns() - started
        started = time.perf_counter_ns()
        issuer_pub.verify(issuer_sig, body, ECDSA)
        device_pub.verify(device_sig, proof_body, ECDSA)
        event_key.sign(event_body, ECDSA)
        base = time.perf_counter_ns() - started
        if i >= 50:  # warm-up: caches, allocator
            ours.append(spent)
            floor.append(base)
    ratio = statistics.median(ours) / statistics.median(floor)
    return {
        "verify_us_p50": _median_us(ours),
        "floor_us_p50": _median_us(floor),
        "ratio": round(ratio, 3),
        "target": 1.8,
        "rounds": rounds,
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_for(issuer_key, phone: Phone, locks: list[int], cti: bytes) -> bytes:
    """A compact JWS (ES256) with the same claims as the shift key."""
    point = phone.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    header = {"alg": "ES256", "kid": "k1"}
    claims = {
        "iss": "https://portal.example",
        "sub": "S-1",
        "nbf": int(T0.timestamp()),
        "exp": int((T0 + timedelta(hours=9)).timestamp()),
        "iat": int(T0.timestamp()),
        "jti": _b64(cti),
        "cnf": {
            "jwk": {"kty": "EC", "crv": "P-256", "x": _b64(point[1:33]), "y": _b64(point[33:])}
        },
        "locks": locks,
        "bseq": 0,
    }
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64(json.dumps(claims, separators=(",", ":")).encode())
    )
    signature = issuer_key.sign(signing_input.encode(), ECDSA)
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(signature)
    return (signing_input + "." + _b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))).encode()


def sizes() -> dict:
    """Shift key bytes against JWT bytes for the same claims."""
    issuer, phone = Issuer.generate("https://portal.example", "k1"), Phone.generate()
    raw_key = ec.generate_private_key(ec.SECP256R1())
    out = {}
    for n in (1, 10, 60, 500):
        locks = [4_000_000 + i for i in range(n)]
        cwt = issuer.issue_shift_key(
            "S-1", phone.public_key, locks, T0, T0 + timedelta(hours=9), issued_at=T0
        )
        jwt = jwt_for(raw_key, phone, locks, b"\x01" * 16)
        out[str(n)] = {"cwt": len(cwt), "jwt": len(jwt), "ratio": round(len(cwt) / len(jwt), 3)}
    out["target"] = 0.55
    return out


def table(figures: dict) -> str:
    """A short human-readable table."""
    v = figures["lock_verify"]
    lines = [
        "figure                                   ours        floor      ratio  target",
        f"lock verify, 60 locks (p50, us)       {v['verify_us_p50']:8.1f}   {v['floor_us_p50']:8.1f}   {v['ratio']:6.2f}x  <=1.8x",
    ]
    for n in ("1", "10", "60", "500"):
        s = figures["sizes"][n]
        lines.append(
            f"shift key bytes, {n:>3} locks (vs JWT)   {s['cwt']:8d}   {s['jwt']:8d}   {s['ratio']:6.1%}  <=55%"
        )
    http = figures.get("http")
    if http:
        lines.append(
            f"POST /api/v1/shifts p50 (ms, /healthz) {http['shift_ms_p50']:8.1f}   {http['healthz_ms_p50']:8.2f}   {http['ratio_p50']:6.1f}x"
        )
        lines.append(
            f"POST /api/v1/shifts p99 (ms, /healthz) {http['shift_ms_p99']:8.1f}   {http['healthz_ms_p99']:8.2f}   {http['ratio_p99']:6.1f}x"
        )
        lines.append(
            f"argon2 PIN check share of shift p50    {http['argon2_ms_p50']:8.1f}ms             {http['argon2_share_p50']:6.1%}"
        )
        b = http["block"]
        lines.append(
            f"block device -> refused (ms)           {b['block_to_refusal_ms']:8.1f}   same request: {b['first_request_refused']}, bulletin {b['bulletin_seq']}"
        )
    return "\n".join(lines)


def main() -> None:
    figures = {"lock_verify": lock_verify(300 if QUICK else 3000), "sizes": sizes()}
    if "--no-http" not in sys.argv:
        import keys_http

        figures["http"] = keys_http.run(requests=40 if QUICK else 200)
    print(table(figures))
    print(json.dumps({"name": "keys", "figures": figures}))


if __name__ == "__main__":
    main()
