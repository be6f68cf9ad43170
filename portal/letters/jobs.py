"""The background jobs of letter batches (huey; immediate in tests).

`render_batch` runs one batch. `catch_up` queues every batch that lost its runner (killed
consumer, job lost with a Redis restart, full disk that has room again): every minute, and
once when a consumer starts, so a batch resumes by itself when any consumer runs again.
"""

from flask import current_app
from huey import crontab

from portal import clock
from portal.extensions import db
from portal.jobs import app_task, huey


@app_task()
def render_batch(batch_id: int) -> None:
    """Run (or resume) one batch in the job consumer."""
    from portal.letters.batch import run_batch

    run_batch(
        db.session,
        batch_id,
        config=current_app.config,
        keyring=current_app.extensions["keyring"],
    )


def enqueue_batch(batch_id: int) -> None:
    """Queue the batch for the consumer (runs at once when huey is in immediate mode)."""
    render_batch(batch_id)


@app_task()
def catch_up() -> list[int]:
    """Queue every batch that has lost its runner (safe to repeat: runs claim by token)."""
    from portal.letters.catchup import sweep

    return sweep(db.session, now=clock.now(), config=current_app.config, enqueue=enqueue_batch)


@huey.periodic_task(crontab(minute="*"))
def catch_up_tick():
    """Every minute: a batch whose consumer died resumes within the stale limit plus a minute."""
    catch_up()


@huey.on_startup()
def catch_up_on_start():
    """A consumer that starts looks for orphaned batches at once (each worker; harmless)."""
    if not huey.immediate:
        catch_up()
