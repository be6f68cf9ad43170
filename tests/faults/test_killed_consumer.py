"""A job consumer is killed (SIGKILL) in the middle of a letter batch; a new consumer resumes
it by itself, renders only what is missing, and the print file and manifest are byte for byte
those of an uninterrupted run. 30 letters rather than 500 keep the suite short; the code path
is the same (letters are loaded and committed one by one, 50 to a chunk), and
PORTAL_KILLED_BATCH_LETTERS=500 runs the issue's size (killed after a quarter)."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.letters.batch import run_batch
from portal.letters.models import Letter, LetterBatch
from tests.faults.support import district_with_citizens, queued_batch

ROOT = Path(__file__).resolve().parents[2]
LETTERS = int(os.environ.get("PORTAL_KILLED_BATCH_LETTERS", "30"))
KILL_AFTER = max(8, LETTERS // 4)  # letters done before the first consumer is killed
STALE = 2  # seconds a running batch may be silent before a consumer takes it over


def _real_offset() -> float:
    """How far this process's clock is moved (time-machine, --clock-ahead); 0 normally."""
    try:
        from time_machine import escape_hatch
    except ImportError:  # pragma: no cover
        return 0.0
    return time.time() - escape_hatch.time.time() if escape_hatch.is_travelling() else 0.0


def _consumer(app, instance: Path) -> subprocess.Popen:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    args = [sys.executable, "-m", "tests.faults.consumer", uri, str(instance), str(STALE)]
    args.append(str(_real_offset()))
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    return subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)


def _wait(predicate, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _done(db, batch_id) -> int:
    db.expire_all()
    return db.scalar(
        select(func.count()).where(Letter.batch_id == batch_id, Letter.status == "done")
    )


def _status(db, batch_id) -> str:
    db.expire_all()
    return db.get(LetterBatch, batch_id).status


@pytest.mark.slow
def test_killed_consumer_resumes_by_itself_and_matches_an_uninterrupted_run(app, db, tmp_path):
    chosen = district_with_citizens(db, "Sydby", LETTERS, ("da", "sv"))
    # The consumer reads this process's clock (moved along with it), so the batch is dated from
    # it too: ten minutes ago, so the first consumer finds it queued and silent (a lost job).
    moment = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    batch = queued_batch(db, chosen, tmp_path / "killed", moment)
    batch_id = batch.id

    first = _consumer(app, tmp_path / "instance")
    try:
        _wait(lambda: _done(db, batch_id) >= KILL_AFTER, 120 + LETTERS, "the first letters")
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    made_before = {
        letter.id: (letter.rendered_at, os.stat(Path(batch.directory) / letter.filename).st_ino)
        for letter in db.scalars(
            select(Letter).where(Letter.batch_id == batch_id, Letter.status == "done")
        )
    }
    assert KILL_AFTER <= len(made_before) < LETTERS, "the kill should land mid-batch"
    assert _status(db, batch_id) == "running"  # as the dead consumer left it

    time.sleep(STALE + 0.5)  # the dead consumer's heartbeat goes stale
    second = _consumer(app, tmp_path / "instance")
    try:
        _wait(lambda: _status(db, batch_id) == "done", 180 + 2 * LETTERS, "the resumed batch")
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(20)

    db.expire_all()
    letters = db.scalars(select(Letter).where(Letter.batch_id == batch_id)).all()
    assert all(letter.status == "done" for letter in letters) and len(letters) == LETTERS
    for letter in letters:  # what was made before the kill was not made again
        if letter.id in made_before:
            inode = os.stat(Path(batch.directory) / letter.filename).st_ino
            assert (letter.rendered_at, inode) == made_before[letter.id]

    # The uninterrupted run: the same letters, dated the same, made here in one go.
    baseline = queued_batch(db, chosen, tmp_path / "whole", moment)
    result = run_batch(
        db,
        baseline.id,
        config=app.config,
        keyring=app.extensions["keyring"],
        processes=0,
        clock=lambda: moment,
    )
    assert result.status == "done"
    killed, whole = Path(batch.directory), Path(baseline.directory)
    assert (killed / "manifest.csv").read_bytes() == (whole / "manifest.csv").read_bytes()
    assert (killed / "merged.pdf").read_bytes() == (whole / "merged.pdf").read_bytes()
