"""The background job that renders a batch (huey; immediate in tests)."""

from flask import current_app

from portal.extensions import db
from portal.jobs import app_task


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
