"""Lock events and their visits for `flask seed-scale`, written in bulk.

Per door unit, in time order over the period (and all doors merged in time order, as a portal
receives them): mostly visits (an accepted open by a member of
the citizen's team, or now and then of the night patrol, and the close that ends it), a few
refused attempts (expired or revoked keys, bad device proofs...) and now and then a door left
unlocked (an open with no close, at least RUN_GAP before the next one). The visits are exactly
what `portal.access.visits` derives from those events. The battery falls over the period, a
few units below the alert threshold. Events carry a placeholder instead of a signed payload.

Rows go in with explicit ids: COPY on PostgreSQL, the driver's executemany on SQLite.
"""

import heapq
from collections.abc import Iterator
from datetime import UTC, timedelta
from operator import itemgetter

from sqlalchemy import bindparam, text, update

from portal.access.models import LockUnit
from portal.access.visits import RUN_GAP

CHUNK = 50_000
SQLITE_CACHE_KIB = 1 << 20
RAW = b"scale-seed"  # not a signed event: seeded events are never re-verified
DENIED = ("expired", "revoked", "not_yet_valid", "bad_device_proof", "wrong_lock")
AUTHENTIC = {"expired", "revoked", "not_yet_valid", "wrong_lock"}  # the key's sub is known
EVENT_COLUMNS = (
    "id, lock_unit_id, counter, time, action, result, battery, sub, cti, "
    "device_thumbprint, staff_id, raw, received_at"
)
VISIT_COLUMNS = (
    "id, lock_unit_id, citizen_id, district_id, staff_id, provider_id, sub, start, "
    '"end", open_event_id, close_event_id'
)
SEQUENCED = ("citizen", "staff", "lock_unit", "lock_event", "visit")


class _Writer:
    """Buffers rows of one table and writes them in chunks with the fastest path per database."""

    def __init__(self, session, table: str, columns: str, checkpoint=None):
        self.session, self.table, self.columns, self.rows = session, table, columns, []
        self.checkpoint = checkpoint
        self.postgres = session.get_bind().dialect.name == "postgresql"

    def time(self, value):
        """The value as the column stores it (SQLite: SQLAlchemy's naive UTC text)."""
        if self.postgres:
            return value
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        raw = self.session.connection().connection.driver_connection
        if self.postgres:
            sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
            with raw.cursor() as cur, cur.copy(sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(self.rows[0]))
            raw.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", self.rows
            )
        self.rows = []


def _next_id(session, table: str) -> int:
    return (session.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0) + 1


def _kinds(rng, count: int, step: timedelta) -> list[str]:
    kinds, left = [], count
    while left > 0:
        roll = rng.random()
        if left == 1 or roll < 0.04:
            kinds.append("denied")
            left -= 1
        elif roll < 0.05 and step > 2 * RUN_GAP:
            kinds.append("left_open")
            left -= 1
        else:
            kinds.append("visit")
            left -= 2
    return kinds


def _per_unit(events: int, units: int) -> list[int]:
    base, extra = divmod(events, units) if units else (0, 0)
    return [base + (1 if i < extra else 0) for i in range(units)]


def _unit_events(rng, unit: dict, count: int, staff: dict, since, span) -> Iterator[tuple]:
    """One door's `count` events in time order: (time, unit id, kind, staff id, sub, battery,
    refusal reason, received at); kind is denied, open (a visit), left_open or close."""
    team, night = staff["by_group"][unit["group"]], staff["night"]
    step = span / max(1, (count + 1) // 2)
    kinds = _kinds(rng, count, step)
    step = span / len(kinds)
    high, low = (
        100 - rng.randint(0, 10),
        rng.choice((8, 15, 18)) if rng.random() < 0.05 else rng.randint(35, 90),
    )
    uid = unit["id"]
    for i, kind in enumerate(kinds):
        sid, sub = rng.choice(night if rng.random() < 0.1 else team)
        at = since + step * (i + 0.1 + 0.6 * rng.random())
        battery = round(high - (high - low) * i / len(kinds))
        got = at + timedelta(minutes=rng.randint(1, 90))
        if kind == "denied":
            yield at, uid, kind, sid, sub, battery, rng.choice(DENIED), got
        elif kind == "left_open":
            yield at, uid, kind, sid, sub, battery, None, got
        else:
            end = at + min(timedelta(minutes=rng.randint(5, 45)), step * 0.3)
            yield at, uid, "open", sid, sub, battery, None, got
            yield end, uid, "close", sid, sub, battery, None, got


def write(
    session, rng, units: list[dict], staff: dict, events: int, *, since, now, checkpoint=None
) -> dict:
    """Write `events` lock events over `units` (from `since` to `now`) and their visits, in time
    order as a portal receives them (ids rise with time, so rows that are read together lie
    together); `checkpoint()` (if given) runs after each chunk, e.g. a commit so SQLite's WAL
    stays small."""
    ev_out = _Writer(session, "lock_event", EVENT_COLUMNS)
    visit_out = _Writer(session, "visit", VISIT_COLUMNS)
    if not ev_out.postgres:
        # Time order means index inserts all over each table: give SQLite's page cache room
        # (1 GiB for this connection) or 10 million events take over an hour.
        session.execute(text(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}"))
    t = ev_out.time
    next_event, next_visit = _next_id(session, "lock_event"), _next_id(session, "visit")
    span = now - since - timedelta(hours=1)
    counts = {"lock_events": 0, "visits": 0, "denied": 0, "left_open": 0}
    streams = [
        _unit_events(rng, unit, count, staff, since, span)
        for unit, count in zip(units, _per_unit(events, len(units)), strict=True)
        if count
    ]
    by_id = {unit["id"]: unit for unit in units}
    provider_of = staff["provider_of"]
    counters, opened, last = dict.fromkeys(by_id, 0), {}, {}
    for at, uid, kind, sid, sub, battery, reason, got in heapq.merge(*streams, key=itemgetter(0)):
        counters[uid] += 1
        eid, next_event = next_event, next_event + 1
        last[uid] = (battery, at)
        cti = f"{sid:016x}{at.toordinal():016x}"
        if kind == "denied":
            known = reason in AUTHENTIC
            ev_out.add(
                (eid, uid, counters[uid], t(at), "open", reason, battery,
                 sub if known else None, cti if known else None, None,
                 sid if known else None, RAW, t(got))
            )  # fmt: skip
            counts["denied"] += 1
            continue
        action = "close" if kind == "close" else "open"
        ev_out.add(
            (eid, uid, counters[uid], t(at), action, "ok", battery, sub, cti, f"{sid:064x}",
             sid, RAW, t(got))
        )  # fmt: skip
        if kind == "open":
            opened[uid] = (eid, at)
            continue
        unit = by_id[uid]
        if kind == "close":
            open_id, began = opened.pop(uid)
            ended, close_id = t(at), eid
        else:
            open_id, began, ended, close_id = eid, at, None, None
            counts["left_open"] += 1
        visit_out.add(
            (next_visit, uid, unit["citizen"], unit["district"], sid, provider_of[sid], sub,
             t(began), ended, open_id, close_id)
        )  # fmt: skip
        next_visit += 1
        counts["visits"] += 1
        # Visits reference their events: write the events first.
        if len(visit_out.rows) >= CHUNK // 2:
            ev_out.flush()
            visit_out.flush()
            if checkpoint:
                checkpoint()
    counts["lock_events"] = sum(counters.values())
    ev_out.flush()
    visit_out.flush()
    if last:
        units_table = LockUnit.__table__
        session.execute(
            update(units_table)
            .where(units_table.c.id == bindparam("uid"))
            .values(battery=bindparam("level"), battery_at=bindparam("at")),
            [{"uid": uid, "level": level, "at": at} for uid, (level, at) in last.items()],
        )
    fix_sequences(session)
    return counts


def fix_sequences(session) -> None:
    """After explicit ids on PostgreSQL, move each id sequence past the highest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in SEQUENCED:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )
