"""Signed checkpoints: truncation, recomputed hashes and forged checkpoints are all found."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from portal.audit import checkpoints, signing
from portal.audit.models import AuditCheckpoint, AuditHead, AuditRecord
from portal.audit.services import SYSTEM, Actor, digest_of, record, verify_chain
from portal.audit.verification import verify_all


def _records(db, now, n=6, start=0):
    for i in range(start, start + n):
        record(
            db, SYSTEM, f"thing_{i}", now=now + timedelta(minutes=i), object_type="x", object_id=i
        )
    db.commit()


def _checkpoint(db, app, now):
    row = checkpoints.make_checkpoint(db, app.config, app.instance_path, now=now)
    db.commit()
    return row


def _verify(db, app, now):
    db.expire_all()
    return verify_all(db, app.config, app.instance_path, now=now)


@pytest.fixture
def signed(db, app, now):
    """Six records, a checkpoint at 6, then four more records (10 in all)."""
    _records(db, now)
    row = _checkpoint(db, app, now + timedelta(hours=1))
    _records(db, now + timedelta(hours=2), n=4, start=6)
    return row


def test_a_checkpoint_signs_the_head_as_a_file_and_a_row(db, app, now, signed, checkpoint_paths):
    assert signed.seq == 6
    assert signed.hash == db.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 6))
    files = list(checkpoint_paths["dir"].glob("checkpoint-*.json"))
    assert [f.name for f in files] == [signed.filename]
    content = json.loads(files[0].read_text())
    body = json.loads(content["signed"])
    assert body["seq"] == 6 and body["hash"] == signed.hash and body["v"] == 1
    key = signing.public_key(app.config, app.instance_path)
    assert signing.verify(key, content["signed"], content["signature"])
    assert body["key"] == signing.key_id(key)
    assert checkpoint_paths["key"].stat().st_mode & 0o777 == 0o600


def test_an_intact_log_with_checkpoints_verifies(db, app, now, signed):
    _checkpoint(db, app, now + timedelta(hours=3))
    report = _verify(db, app, now + timedelta(hours=4))
    assert report.ok, report.problems
    assert (report.records, report.checkpoints, report.newest["seq"]) == (10, 2, 10)
    assert report.warnings == []


def test_an_empty_log_can_be_checkpointed(db, app, now):
    row = _checkpoint(db, app, now)
    assert row.seq == 0
    assert _verify(db, app, now).ok


def test_deleting_the_tail_and_rewinding_the_head_is_found(db, app, now, signed):
    # The attack: remove records 5..10 and make the head point at record 4.
    db.execute(delete(AuditRecord).where(AuditRecord.seq > 4))
    tip = db.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 4))
    db.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=4, hash=tip))
    db.commit()
    assert verify_chain(db) == (4, None)  # the chain alone cannot tell
    report = _verify(db, app, now)
    assert not report.ok
    assert any("signed record 6" in p and "truncated" in p for p in report.problems)


def test_rewriting_an_actor_and_recomputing_every_hash_is_found(db, app, now, signed):
    rows = db.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
    prev = rows[0].prev_hash
    for rec in rows:
        values = {"prev_hash": prev}
        if rec.seq == 3:
            values["actor"] = "user:99 Somebody Else"
        db.execute(update(AuditRecord).where(AuditRecord.id == rec.id).values(**values))
        db.flush()
        db.expire(rec)
        prev = digest_of(rec)
        db.execute(update(AuditRecord).where(AuditRecord.id == rec.id).values(hash=prev))
    db.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=prev))
    db.commit()
    assert verify_chain(db) == (10, None)  # the chain alone cannot tell
    report = _verify(db, app, now)
    assert not report.ok
    assert any("signed record 6" in p and "recomputed" in p for p in report.problems)


def test_a_forged_checkpoint_file_is_found(db, app, now, signed, checkpoint_paths):
    path = checkpoint_paths["dir"] / signed.filename
    content = json.loads(path.read_text())
    body = json.loads(content["signed"])
    body["seq"] = 4
    body["hash"] = db.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 4))
    content["signed"] = signing.canonical(body)
    path.write_text(json.dumps(content))
    report = _verify(db, app, now)
    assert any("signature does not verify" in p for p in report.problems)


def test_a_checkpoint_signed_by_another_key_is_found(db, app, now, signed, checkpoint_paths):
    other = signing.load_or_create_private_key(checkpoint_paths["dir"].parent / "other.pem")
    body = signing.canonical({"v": 1, "seq": 1, "hash": "0" * 64, "at": "2026-01-01T00:00:00Z"})
    forged = checkpoint_paths["dir"] / "checkpoint-000000000001-20260101T000000000000Z.json"
    forged.write_text(json.dumps({"signed": body, "signature": signing.sign(other, body)}))
    report = _verify(db, app, now)
    assert any(forged.name in p and "forged" in p for p in report.problems)


@pytest.mark.parametrize("garbage", ["{", "[]", '{"signed": "x"}', "x" * 5000])
def test_an_unreadable_checkpoint_file_is_reported(db, app, now, signed, checkpoint_paths, garbage):
    bad = checkpoint_paths["dir"] / "checkpoint-000000000002-bad.json"
    bad.write_text(garbage)
    report = _verify(db, app, now)
    assert any(bad.name in p and "cannot be read" in p for p in report.problems)


def test_deleting_the_checkpoint_rows_does_not_hide_a_truncation(db, app, now, signed):
    db.execute(delete(AuditCheckpoint))
    db.execute(delete(AuditRecord).where(AuditRecord.seq > 5))
    tip = db.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 5))
    db.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=5, hash=tip))
    db.commit()
    report = _verify(db, app, now)
    assert any("truncated" in p for p in report.problems)
    assert any("no row in the database" in p for p in report.problems)


def test_a_row_without_its_file_is_reported(db, app, now, signed, checkpoint_paths):
    (checkpoint_paths["dir"] / signed.filename).unlink()
    report = _verify(db, app, now)
    assert any("its file is missing" in p for p in report.problems)


def test_an_altered_row_is_reported(db, app, now, signed):
    db.execute(update(AuditCheckpoint).values(signature="AAAA"))
    db.commit()
    assert any("row was altered" in p for p in _verify(db, app, now).problems)


def test_a_broken_chain_is_never_signed(db, app, now, signed, checkpoint_paths):
    db.execute(update(AuditRecord).where(AuditRecord.seq == 8).values(action="other"))
    db.commit()
    with pytest.raises(checkpoints.ChainBroken, match="record 8"):
        checkpoints.make_checkpoint(db, app.config, app.instance_path, now=now)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1
    assert len(list(checkpoint_paths["dir"].glob("checkpoint-*.json"))) == 1


def test_a_new_checkpoint_reads_only_what_came_after_the_last(db, app, now, signed, monkeypatch):
    seen = {}
    real = checkpoints.verify_chain

    def spy(session, **kwargs):
        seen.update(kwargs)
        return real(session, **kwargs)

    monkeypatch.setattr(checkpoints, "verify_chain", spy)
    _checkpoint(db, app, now + timedelta(hours=5))
    assert seen["after"] == 6 and seen["prev"] == signed.hash


def test_no_checkpoint_yet_is_a_warning_not_a_failure(db, app, now):
    _records(db, now, n=2)
    report = _verify(db, app, now)
    assert report.ok
    assert any("no signed checkpoint yet" in w for w in report.warnings)


def test_a_stale_checkpoint_is_a_warning(db, app, now, signed):
    report = _verify(db, app, now + timedelta(days=3))
    assert report.ok and any("daily job" in w for w in report.warnings)


def test_files_without_the_key_fail(db, app, now, signed, checkpoint_paths):
    checkpoint_paths["key"].unlink()
    report = _verify(db, app, now)
    assert any("no checkpoint key" in p for p in report.problems)


def test_verification_with_the_auditors_public_key(db, app, now, signed, tmp_path, monkeypatch):
    public = signing.public_key(app.config, app.instance_path)
    pem = tmp_path / "auditor.pub.pem"
    pem.write_text(signing.public_pem(public))
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_PUBLIC_KEY", str(pem))
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_KEY", str(tmp_path / "elsewhere.pem"))
    assert _verify(db, app, now).ok


def test_a_checkpoint_file_is_never_overwritten(db, app, now, signed, checkpoint_paths):
    with pytest.raises(FileExistsError):
        checkpoints._write_file(checkpoint_paths["dir"] / signed.filename, "{}")
    assert "signature" in (checkpoint_paths["dir"] / signed.filename).read_text()


# --- the CLI ---------------------------------------------------------------------------------


def test_cli_checkpoint_then_verify(app, db, now, clock):
    _records(db, now, n=3)
    runner = app.test_cli_runner()
    made = runner.invoke(args=["audit", "checkpoint"])
    assert made.exit_code == 0, made.output
    assert "checkpoint signed at record 3" in made.output
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "3 records, 1 checkpoint(s) verified" in ok.output


def test_cli_verify_names_the_truncation(app, db, now, clock, signed):
    db.execute(delete(AuditRecord).where(AuditRecord.seq > 6))
    tip = db.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 6))
    db.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=6, hash=tip))
    db.execute(delete(AuditRecord).where(AuditRecord.seq == 6))
    db.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=5))
    tip = db.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 5))
    db.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=tip))
    db.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "truncated" in result.output and "NOT intact" in result.output


def test_cli_checkpoint_refuses_a_broken_chain(app, db, now, clock):
    _records(db, now, n=3)
    db.execute(update(AuditRecord).where(AuditRecord.seq == 2).values(actor="x"))
    db.commit()
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 1 and "not signed" in result.output


def test_cli_key_prints_the_public_key(app, checkpoint_paths):
    result = app.test_cli_runner().invoke(args=["audit", "key"])
    assert result.exit_code == 0
    assert "BEGIN PUBLIC KEY" in result.output and checkpoint_paths["key"].exists()


# --- the scheduled job ---------------------------------------------------------------------


def test_the_daily_job_signs_a_checkpoint(app, db, now, clock):
    from portal.audit import tasks

    _records(db, now, n=2)
    tasks.sign_checkpoint.call_local()
    assert db.scalar(select(AuditCheckpoint.seq)) == 2
    # Scheduled once in every day.
    task = tasks.checkpoint_tick.task_class()
    day = now.replace(hour=0, minute=0, tzinfo=None)
    due = [m for m in range(24 * 60) if task.validate_datetime(day + timedelta(minutes=m))]
    assert len(due) == 1


def test_the_daily_job_logs_a_broken_chain_and_signs_nothing(app, db, now, clock, monkeypatch):
    from portal.audit import tasks

    logged = []
    # A spy, not caplog: Alembic's fileConfig (test_migrations) disables existing loggers.
    monkeypatch.setattr(tasks.logger, "error", lambda msg, *args: logged.append(msg % args))

    _records(db, now, n=2)
    db.execute(update(AuditRecord).where(AuditRecord.seq == 1).values(actor="x"))
    db.commit()
    assert tasks.sign_checkpoint.call_local() is None
    assert len(logged) == 1 and "NOT signed" in logged[0] and "record 1" in logged[0]
    assert db.scalar(select(func.count()).select_from(AuditCheckpoint)) == 0


def test_actor_used_in_the_fixtures_is_plain(db):
    assert Actor("user", 1, "A").describe() == "user:1 A"
