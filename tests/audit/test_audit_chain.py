"""The hash-chained audit log: append, verify, and every way of breaking it is reported."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, update

from portal.audit.models import AuditHead, AuditRecord
from portal.audit.services import GENESIS, SYSTEM, Actor, _digest, record, verify_chain
from tests.conftest import NOW

NOW_PLUS_ONE_SECOND = NOW + timedelta(minutes=2, seconds=1)


@pytest.fixture
def chain(db, now):
    """Five committed records."""
    actor = Actor("relative", 4, "Anna Jensen", on_behalf_of="citizen:9")
    for i in range(5):
        record(
            db,
            actor if i % 2 else SYSTEM,
            f"action_{i}",
            now=now + timedelta(minutes=i),
            object_type="citizen",
            object_id=i,
            data={"n": i, "text": "æøå"},
        )
    db.commit()
    return db


def test_records_link_to_each_other(chain):
    rows = chain.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert rows[1].actor == "relative:4 Anna Jensen" and rows[1].on_behalf_of == "citizen:9"
    head = chain.get(AuditHead, 1)
    assert (head.seq, head.hash) == (5, rows[-1].hash)


def test_an_intact_chain_verifies(chain):
    assert verify_chain(chain) == (5, None)
    assert verify_chain(chain, batch=2) == (5, None)


def test_an_empty_log_verifies(db):
    assert verify_chain(db) == (0, None)


def test_record_time_in_another_zone_still_verifies(db, now):
    record(db, SYSTEM, "local_time", now=now.astimezone(ZoneInfo("Europe/Copenhagen")))
    db.commit()
    db.expire_all()
    assert verify_chain(db) == (1, None)


def _set(db, seq, **values):
    db.execute(update(AuditRecord).where(AuditRecord.seq == seq).values(**values))
    db.commit()
    db.expire_all()


@pytest.mark.parametrize(
    "values",
    [
        {"data": {"n": 99, "text": "æøå"}},
        {"actor": "system"},
        {"action": "nothing_happened"},
        {"object_id": "42"},
        {"on_behalf_of": "citizen:1"},
        {"at": NOW_PLUS_ONE_SECOND},
    ],
)
def test_altering_a_record_is_reported_at_that_record(chain, values):
    _set(chain, 3, **values)
    checked, problem = verify_chain(chain)
    assert checked == 2
    assert problem.seq == 3 and "altered" in problem.reason


def test_altering_a_record_and_recomputing_its_hash_is_reported_at_the_next(chain):
    rec = chain.scalars(select(AuditRecord).where(AuditRecord.seq == 3)).one()
    forged = _digest(
        rec.seq,
        rec.at,
        rec.actor,
        rec.on_behalf_of,
        "nothing_happened",
        rec.object_type,
        rec.object_id,
        rec.data,
        rec.prev_hash,
    )
    _set(chain, 3, action="nothing_happened", hash=forged)
    _checked, problem = verify_chain(chain)
    assert problem.seq == 4


@pytest.mark.parametrize(("removed", "reported"), [(1, 1), (3, 3), (5, 5)])
def test_removing_a_record_is_reported(chain, removed, reported):
    chain.execute(delete(AuditRecord).where(AuditRecord.seq == removed))
    chain.commit()
    _checked, problem = verify_chain(chain)
    assert problem is not None and problem.seq == reported
    assert "missing" in problem.reason


def test_removing_every_record_is_reported(chain):
    chain.execute(delete(AuditRecord))
    chain.commit()
    assert verify_chain(chain)[1].seq == 1


def test_appending_after_verification_keeps_the_chain(chain, now):
    record(chain, SYSTEM, "later", now=now + timedelta(hours=1))
    chain.commit()
    assert verify_chain(chain) == (6, None)


def test_record_does_not_commit(db, now):
    record(db, SYSTEM, "rolled_back", now=now)
    db.rollback()
    assert db.scalars(select(AuditRecord)).all() == []
    record(db, SYSTEM, "kept", now=now)
    db.commit()
    assert [r.seq for r in db.scalars(select(AuditRecord))] == [1]


# --- `flask audit verify` ------------------------------------------------------------------


def test_cli_verify_exit_codes(app, chain):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact: 5 records" in ok.output
    _set(chain, 2, data={"n": "changed"})
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "record 2" in broken.output and "altered" in broken.output


def test_cli_verify_names_a_removed_record(app, chain):
    chain.execute(delete(AuditRecord).where(AuditRecord.seq == 4))
    chain.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "record 4" in result.output and "missing" in result.output
