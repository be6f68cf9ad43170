"""How far a batch has come: counts, the status to show, and an estimate of the time left."""

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.clock import as_utc
from portal.letters.models import Letter, LetterBatch
from portal.letters.services import DISK_FULL, is_stalled

FAILURES_SHOWN = 50


@dataclass(frozen=True)
class Progress:
    """A batch's counts and what to show about it."""

    status: str  # queued, running, interrupted, cancelled, done, posted
    total: int
    done: int
    failed: int
    pending: int
    eta_seconds: int | None
    disk_full: bool = False  # stopped because no space was left; goes on by itself
    skipped: int = 0  # the citizen no longer qualified when the letter was to be made

    @property
    def active(self) -> bool:
        """The page keeps polling while this is true."""
        return self.status in ("queued", "running")

    @property
    def handled(self) -> int:
        """Letters done, failed or skipped."""
        return self.done + self.failed + self.skipped

    @property
    def resumable(self) -> bool:
        """Resume would make something."""
        return self.status in ("interrupted", "cancelled") or (
            self.status == "done" and self.failed > 0
        )


def progress_of(session, batch: LetterBatch, now, config) -> Progress:
    """Counts by letter status plus an estimate from this run's pace."""
    counts = dict(
        session.execute(
            select(Letter.status, func.count())
            .where(Letter.batch_id == batch.id)
            .group_by(Letter.status)
        ).all()
    )
    done, failed = counts.get("done", 0), counts.get("failed", 0)
    pending, skipped = counts.get("pending", 0), counts.get("skipped", 0)
    status = "interrupted" if is_stalled(batch, now, config) else batch.status
    eta = None
    made = done + failed - (batch.run_done_at_start or 0)
    if status == "running" and batch.run_started_at and made > 0 and pending:
        elapsed = (now - as_utc(batch.run_started_at)).total_seconds()
        eta = max(1, round(elapsed / made * pending))
    total = batch.total or done + failed + pending + skipped
    disk_full = batch.status == "interrupted" and batch.note == DISK_FULL
    return Progress(status, total, done, failed, pending, eta, disk_full, skipped)


def failures_of(session, batch_id: int, limit: int = FAILURES_SHOWN, status="failed"):
    """The first failed (or skipped) letters with their reasons."""
    return session.scalars(
        select(Letter)
        .where(Letter.batch_id == batch_id, Letter.status == status)
        .order_by(Letter.position)
        .limit(limit)
    ).all()


def skipped_of(session, batch_id: int, limit: int = FAILURES_SHOWN) -> list[Letter]:
    """The first letters not made because the citizen no longer qualified, with the reason."""
    return failures_of(session, batch_id, limit, status="skipped")
