"""Redis restarts (without persistence) while a letter batch is queued: the job is lost, and
the scheduled catch-up queues it again; running the catch-up twice renders nothing twice.
The jobs go through the portal's own huey on a real Redis (database 5 by default)."""

from datetime import timedelta

from sqlalchemy import select

from portal.letters import batch as batch_module
from portal.letters import jobs
from portal.letters.models import Letter, LetterBatch
from tests.faults.support import district_with_citizens, queued_batch


def test_a_batch_queued_before_a_redis_restart_is_queued_again(
    db, clock, tmp_path, redis_jobs, monkeypatch
):
    made = []
    html_for = batch_module._Run.html_for
    monkeypatch.setattr(
        batch_module._Run,
        "html_for",
        lambda run, letter: made.append(letter.id) or html_for(run, letter),
    )
    chosen = district_with_citizens(db, "Vestby", 3, ("sv",))
    batch_id = queued_batch(db, chosen, tmp_path / "out", clock()).id
    jobs.enqueue_batch(batch_id)
    assert redis_jobs.pending() == 1
    redis_jobs.restart_without_persistence()
    assert redis_jobs.pending() == 0  # the job is gone; the batch row still says queued

    jobs.catch_up()  # within the stale limit: nothing to do yet
    redis_jobs.drain()
    assert db.get(LetterBatch, batch_id).status == "queued"

    clock.advance(timedelta(minutes=3))  # past the stale limit (120 s)
    jobs.catch_up()  # the minute tick
    jobs.catch_up()  # twice, as two consumers starting at once would
    assert redis_jobs.pending() == 2
    assert redis_jobs.drain() == 4  # two sweeps, each queued one render job
    db.expire_all()
    batch = db.get(LetterBatch, batch_id)
    assert batch.status == "done"
    letters = db.scalars(select(Letter.id).where(Letter.batch_id == batch_id)).all()
    assert sorted(made) == sorted(letters)  # each letter made once: the second job found it taken
    jobs.catch_up()
    assert redis_jobs.drain() == 1  # a done batch is left alone
