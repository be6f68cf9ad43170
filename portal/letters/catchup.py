"""Batches nobody is running: found by a periodic sweep (and when a consumer starts) and queued.

A batch can lose its runner in three ways: the job consumer was killed mid-batch (its
heartbeat stops), the queued job itself was lost (Redis restarted without persistence, so the
batch stays "queued" and silent), or the disk filled up (the run stopped with the note
"disk-full"). The sweep queues each such batch again. That is safe to repeat: a run first
claims the batch with a new run token in one UPDATE that succeeds only for a queued or silent
batch, so a second job for the same batch finds it taken and does nothing, and a run renders
only the letters still missing. A batch stopped by a full disk is queued again only once the
disk has room (`LETTER_MIN_FREE_BYTES`, default 50 MB), so the sweep does not spin on it.
"""

import logging
import shutil
from pathlib import Path

from sqlalchemy import func, literal, select, update

from portal.db_types import UTCDateTime
from portal.letters.models import LetterBatch
from portal.letters.services import DISK_FULL, stale_after

log = logging.getLogger(__name__)
MIN_FREE_BYTES_DEFAULT = 50 * 1024 * 1024


def has_room(directory: str | None, config) -> bool:
    """The disk holding the batch's folder has at least LETTER_MIN_FREE_BYTES free."""
    path = Path(directory or ".")
    while not path.exists() and path != path.parent:
        path = path.parent  # the batch folder may not exist yet: ask its nearest parent
    needed = int(config.get("LETTER_MIN_FREE_BYTES", MIN_FREE_BYTES_DEFAULT))
    return shutil.disk_usage(path).free >= needed


def stalled_batch_ids(session, *, now, config) -> list[int]:
    """Queued or running batches whose heartbeat is older than the stale limit."""
    last = func.coalesce(LetterBatch.heartbeat_at, LetterBatch.created_at)
    silent = last < literal(now - stale_after(config), UTCDateTime())
    return list(
        session.scalars(
            select(LetterBatch.id)
            .where(LetterBatch.status.in_(("queued", "running")), silent)
            .order_by(LetterBatch.id)
        )
    )


def requeue_after_disk_full(session, *, now, config) -> list[int]:
    """Batches stopped by a full disk whose disk has room again: back to queued (committed)."""
    rows = session.execute(
        select(LetterBatch.id, LetterBatch.directory).where(
            LetterBatch.status == "interrupted", LetterBatch.note == DISK_FULL
        )
    ).all()
    ready = [batch_id for batch_id, directory in rows if has_room(directory, config)]
    if ready:
        session.execute(
            update(LetterBatch)
            .where(LetterBatch.id.in_(ready), LetterBatch.status == "interrupted")
            .values(status="queued", run_token=None, note=None, heartbeat_at=now)
        )
        session.commit()
    return ready


def sweep(session, *, now, config, enqueue) -> list[int]:
    """Queue a render job for every batch that has lost its runner; returns their ids."""
    ready = requeue_after_disk_full(session, now=now, config=config)
    ids = sorted(set(ready) | set(stalled_batch_ids(session, now=now, config=config)))
    for batch_id in ids:
        enqueue(batch_id)
    if ids:
        log.info("letter batches queued again: %s", ids)
    return ids
