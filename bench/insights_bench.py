"""Insights: the charts' and health page's queries cost the same however long the history is.

Figure (a ratio against a floor measured in the same run): p50 seconds of every query the
charts and health pages run (visits per day, hours per week, outside the window, shift keys
per day, denied openings, the newest bulletin's spread) on a database whose history before the
30-day period holds LARGE visits and lock events / the same on one holding SMALL. The period
itself holds the same PERIOD visits in both. Target <= 1.5 (cost flat in history size).

Run: .venv/bin/python bench/insights_bench.py [--quick]
"""

import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUICK = "--quick" in sys.argv
SMALL, LARGE = (2_000, 50_000) if QUICK else (2_000, 200_000)
PERIOD = 1_000
ROUNDS = 15
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _app(workdir: Path):
    from bench_wsgi import in_process_app

    return in_process_app(workdir)


def _seed(session, history: int) -> None:
    """One district, 50 doors, two staff; `history` old visits and PERIOD recent ones."""
    from sqlalchemy import insert

    from portal.access.models import Device, LockUnit, Staff
    from portal.access.models_events import LockEvent, Visit
    from portal.access.models_keys import Bulletin, ShiftKey
    from portal.citizens.models import Citizen
    from portal.directory.models import District, Provider

    district, provider = District(name="Nordby"), Provider(name="Hjemmeplejen")
    session.add_all([district, provider])
    session.flush()
    citizens = [
        Citizen(
            external_id=f"E{i}",
            national_id_enc="-",
            national_id_index=f"n{i}",
            national_id_masked="-",
            name=f"Borger {i}",
            date_of_birth=NOW.date(),
            address=f"Vej {i}",
            postcode="4100",
            city="By",
            district_id=district.id,
            letter_code_enc="-",
            letter_code_index=f"l{i}",
            created_at=NOW,
            updated_at=NOW,
        )
        for i in range(50)
    ]
    session.add_all(citizens)
    session.flush()
    doors = []
    for i in range(50):
        unit = LockUnit(
            lock_id=i + 1,
            serial=f"S{i}",
            public_key_pem="-",
            installed_at=NOW,
            kind="door",
            battery=80,
            battery_at=NOW,
        )
        doors.append(unit)
    session.add_all(doors)
    member = Staff(
        provider_id=provider.id,
        staff_number="S-1",
        first_name="A",
        last_name="B",
        pin_hash="-",
        created_at=NOW,
    )
    session.add(member)
    session.flush()
    phone = Device(
        public_id="p", staff_id=member.id, public_key_pem="-", thumbprint="t", enrolled_at=NOW
    )
    session.add(phone)
    session.add(Bulletin(seq=1, kid="k", issued_at=NOW - timedelta(days=3), data=b"-"))
    session.flush()
    total = history + PERIOD
    keys, events, visits = [], [], []
    for n in range(total):
        recent = n >= history
        start = (
            NOW - timedelta(hours=(n - history) % (29 * 24) + 1)
            if recent
            else (NOW - timedelta(days=40, minutes=n))
        )
        cti = f"{n:032x}"
        keys.append(
            {
                "cti": cti,
                "staff_id": member.id,
                "device_id": phone.id,
                "kid": "k",
                "locks": [],
                "not_before": start - timedelta(hours=1),
                "expires_at": start + timedelta(hours=8),
                "issued_at": start,
                "bulletin_seq": 1,
                "token_hash": cti + cti,
                "revoked": False,
            }
        )
        unit = doors[n % 50]
        for k, (when, action, result) in enumerate(
            [
                (start, "open", "ok"),
                (start + timedelta(minutes=20), "close", "ok"),
                (start + timedelta(minutes=1), None, "expired"),
            ]
        ):
            events.append(
                {
                    "id": 3 * n + k + 1,
                    "lock_unit_id": unit.id,
                    "counter": 3 * n + k,
                    "time": when,
                    "action": action,
                    "result": result,
                    "battery": 80,
                    "sub": "S-1",
                    "cti": cti,
                    "staff_id": member.id,
                    "raw": b"-",
                    "received_at": when,
                }
            )
        visits.append(
            {
                "lock_unit_id": unit.id,
                "citizen_id": citizens[n % 50].id,
                "staff_id": member.id,
                "sub": "S-1",
                "start": start,
                "end": start + timedelta(minutes=20),
                "open_event_id": 3 * n + 1,
                "close_event_id": 3 * n + 2,
            }
        )
    session.execute(insert(ShiftKey), keys)
    session.execute(insert(LockEvent), events)
    session.execute(insert(Visit), visits)
    session.commit()


def measure(history: int) -> float:
    """p50 seconds of one pass over every chart and health query."""
    from portal.extensions import db
    from portal.insights import health, visit_figures
    from portal.insights.period import Period

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        with app.app_context():
            db.create_all()
            _seed(db.session, history)
            period = Period.ending_today(NOW, "Europe/Copenhagen")
            times = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                visit_figures.visits_per_day(db.session, period)
                visit_figures.hours_per_week(db.session, period)
                visit_figures.outside_window(db.session, period)
                health.keys_per_day(db.session, period)
                health.denied_by_reason(db.session, period)
                health.spread(db.session)
                times.append(time.perf_counter() - started)
            db.engine.dispose()
    return statistics.median(times)


def main() -> None:
    small, large = measure(SMALL), measure(LARGE)
    figures = {
        "history_ratio": round(large / small, 2),
        "p50_small_ms": round(small * 1000, 1),
        "p50_large_ms": round(large * 1000, 1),
        "small_history": SMALL,
        "large_history": LARGE,
        "period_visits": PERIOD,
    }
    print(f"insight queries, {LARGE} vs {SMALL} visits of history: x{figures['history_ratio']}")
    print(json.dumps({"name": "insights", "figures": figures}))


if __name__ == "__main__":
    main()
