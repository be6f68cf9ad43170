"""Render a batch: crash-safe, resumable, cancellable, on the machine's cores.

State lives in the database, never in memory: each letter is a row that is pending, done,
failed or skipped (its citizen no longer meets the batch's rule: checked again just before the
letter is made, with the same rule that chose them; a skipped letter stays skipped). A run first claims the batch (one runner at a time, by a token written in one UPDATE),
then renders the missing letters: the HTML is built here (database, keyring, translations), the
PDF is laid out by worker processes that write each file atomically, and every finished letter
is committed at once together with a heartbeat. Killed at any point, the next run finds the
rows as they were committed and re-renders only the rest (a file written but not committed is
simply written again). The merged print file and the manifest are rebuilt from the per-letter
files at the end. A letter still being laid out after PDF_RENDER_TIMEOUT seconds has its
worker process stopped and is marked failed ("render_timeout"); the others go on. So this
runner, unlike a service, commits: the claim, each letter with its
heartbeat and the conclusion are each their own unit of work.
"""

import logging
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.clock import now as app_now
from portal.documents.files import remove_stale_temp_files
from portal.documents.pool import RenderPool
from portal.letters import content, output, scope
from portal.letters.models import Letter, LetterBatch
from portal.letters.runstate import cancel_requested, claim, count, heartbeat
from portal.letters.services import DISK_FULL, INFORMATION_TEMPLATE, is_disk_full

log = logging.getLogger(__name__)
CHUNK = 50  # letters loaded from the database at a time (each is checked on its own)


class Interrupted(Exception):
    """The run stopped before the end (worker pool broke, or another runner took over)."""


class DiskFull(Interrupted):
    """No space left where the letters are written: stop, keep nothing half-made, go on later."""


@dataclass
class RunResult:
    """What one run did."""

    claimed: bool
    status: str = ""
    done: int = 0
    failed: int = 0
    skipped: int = 0
    total: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # reference, name, reason


def missing_letter_ids(session, batch: LetterBatch) -> list[int]:
    """Letters still to make: pending, failed, or done but whose file has gone (never skipped)."""
    directory = Path(batch.directory)
    rows = session.execute(
        select(Letter.id, Letter.status, Letter.filename)
        .where(Letter.batch_id == batch.id)
        .order_by(Letter.position)
    ).all()
    return [
        lid
        for lid, status, filename in rows
        if status != "skipped"
        and (status != "done" or not filename or not (directory / filename).is_file())
    ]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, content.LetterProblem):
        return exc.code
    if isinstance(exc, content.RenderTimeout):
        return content.RENDER_TIMEOUT
    if isinstance(exc, DiskFull) or is_disk_full(exc):
        return DISK_FULL
    return f"{type(exc).__name__}: {exc}"[:500]


class _Run:
    """One claimed run of one batch."""

    def __init__(self, session, batch, token, *, config, keyring, clock, on_progress):
        self.session, self.batch, self.batch_id, self.token = session, batch, batch.id, token
        self.directory = Path(batch.directory)
        self.letter_date = batch.created_at
        self.config, self.keyring, self.clock = config, keyring, clock
        self.on_progress = on_progress
        self.inflight: dict = {}
        self.result = RunResult(claimed=True, total=batch.total)

    def html_for(self, letter: Letter) -> str:
        """Build the letter's HTML and snapshot what goes in the window and the manifest."""
        context = content.information_context(
            letter.citizen, config=self.config, keyring=self.keyring, now=self.letter_date
        )
        recipient = context["recipient"]
        letter.recipient_name = recipient["name"]
        letter.recipient_address = ", ".join(recipient["lines"][1:])
        letter.reference, letter.language = context["reference"], context["lang"]
        letter.filename = f"{letter.reference}.pdf"
        return content.render_letter(INFORMATION_TEMPLATE, context)

    def fail(self, letter: Letter, exc: BaseException) -> None:
        """Record the letter as failed, with its reason."""
        letter.status, letter.error, letter.rendered_at = "failed", _reason(exc), self.clock()
        self.commit()

    def skip(self, letter: Letter, reason: str) -> None:
        """Record that the citizen no longer gets this letter, and why."""
        letter.status, letter.error = "skipped", reason  # never made: no rendered_at
        self.commit()

    def finish_one(self, future) -> None:
        """Record one rendered (or failed) letter."""
        letter = self.session.get(Letter, self.inflight.pop(future))
        exc = future.exception()
        if isinstance(exc, BrokenProcessPool):
            raise Interrupted("the rendering processes stopped") from exc
        if is_disk_full(exc):  # every next letter would fail the same way: stop, stay pending
            raise DiskFull(str(exc)) from exc
        if exc is not None:
            self.fail(letter, exc)
            return
        outcome = future.result()
        letter.status, letter.error, letter.rendered_at = "done", None, self.clock()
        letter.pages, letter.size, letter.sha256 = outcome.pages, outcome.size, outcome.sha256
        self.commit()

    def commit(self) -> None:
        """Commit with a heartbeat, unless another run has taken the batch over."""
        if not heartbeat(self.session, self.batch_id, self.token, self.clock()):
            self.session.rollback()
            raise Interrupted("another run took this batch over")
        self.session.commit()
        if self.on_progress is not None:
            done = count(self.session, self.batch_id, "done")
            failed = count(self.session, self.batch_id, "failed")
            self.on_progress(done, failed, self.result.total)

    def render(self, pool: RenderPool, ids: list[int], limit: int) -> bool:
        """Render the given letters; False when a cancel request stopped the run early."""
        for start in range(0, len(ids), CHUNK):
            letters = self.session.scalars(
                select(Letter)
                .where(Letter.id.in_(ids[start : start + CHUNK]))
                .options(selectinload(Letter.citizen))
                .order_by(Letter.position)
            ).all()
            for letter in letters:
                if cancel_requested(self.session, self.batch_id):
                    self.drain()
                    return False
                # Asked again for each letter, just before it is made (one indexed query, a
                # fraction of a millisecond beside a quarter of a second of layout): a citizen
                # who booked or moved while the letters before it were made gets none.
                gone = scope.no_longer_chosen(self.session, self.batch, [letter.citizen_id])
                if gone:
                    self.skip(letter, gone[letter.citizen_id])
                    continue
                try:
                    html = self.html_for(letter)
                except Exception as exc:
                    self.fail(letter, exc)
                    continue
                letter_id, path = letter.id, self.directory / letter.filename
                self.session.commit()  # the recipient snapshot, before the file exists
                self.inflight[pool.submit(html, path)] = letter_id
                while len(self.inflight) >= limit:
                    self.drain(FIRST_COMPLETED)
            # No expunge_all(): the session may be the request's (immediate jobs) and hold the
            # signed-in user; the identity map is weak, so finished letters are let go anyway.
            del letters
        self.drain()
        return True

    def drain(self, return_when="ALL_COMPLETED") -> None:
        """Wait for letters in the pool (the first one, or all) and record them."""
        if not self.inflight:
            return
        finished, _ = wait(list(self.inflight), return_when=return_when)
        for future in [f for f in self.inflight if f in finished]:  # in letter order
            self.finish_one(future)


def run_batch(
    session,
    batch_id: int,
    *,
    config,
    keyring,
    processes: int | None = None,
    clock: Callable = app_now,
    on_progress: Callable | None = None,
) -> RunResult:
    """Claim and render a batch until it is done or cancelled; safe to call again after a crash."""
    token = claim(session, batch_id, now=clock(), config=config)
    if token is None:
        return RunResult(claimed=False, status=session.get(LetterBatch, batch_id).status)
    batch = session.get(LetterBatch, batch_id)
    run = _Run(
        session, batch, token, config=config, keyring=keyring, clock=clock, on_progress=on_progress
    )
    try:
        completed = _render_missing(session, run, batch, config, processes)
        return _conclude(session, run, completed)
    except Exception as exc:
        session.rollback()
        session.execute(
            update(LetterBatch)
            .where(LetterBatch.id == batch_id, LetterBatch.run_token == token)
            .values(status="interrupted", run_token=None, note=_reason(exc))
        )
        session.commit()
        raise


def _render_missing(session, run: _Run, batch: LetterBatch, config, processes) -> bool:
    run.directory.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(run.directory)
    ids = missing_letter_ids(session, batch)
    for start in range(0, len(ids), 500):  # failed or lost letters are made again
        session.execute(
            update(Letter)
            .where(Letter.id.in_(ids[start : start + 500]), Letter.status != "pending")
            .values(status="pending", error=None)
        )
    batch.run_done_at_start = count(session, batch.id, "done")
    session.commit()
    timeout = content.render_timeout(config)
    if processes is None:
        processes = int(config.get("LETTER_RENDER_PROCESSES", 2))
        if len(ids) < int(config.get("LETTER_INLINE_BELOW", 8)):
            # Starting workers costs more than a handful of letters, but only a worker
            # process can be stopped when a letter runs past the time limit.
            processes = 1 if timeout else 0
    css = content.letter_css(config)
    max_tasks = config.get("LETTER_WORKER_MAX_TASKS") or None
    with RenderPool(css, processes, max_tasks_per_child=max_tasks, timeout=timeout) as pool:
        return run.render(pool, ids, limit=max(2, 2 * processes + 1))


def _conclude(session, run: _Run, completed: bool) -> RunResult:
    batch = session.get(LetterBatch, run.batch_id)
    now = run.clock()
    if completed or not count(session, batch.id, "pending"):
        batch.merged_pages, batch.merged_sha256 = output.write_outputs(
            session, batch, run.config.get("BABEL_DEFAULT_LOCALE", "en")
        )
        batch.status, batch.finished_at, batch.note = "done", now, None
    else:
        batch.status = "cancelled"
    batch.run_token = None
    session.commit()
    result = run.result
    result.status = batch.status
    result.done = count(session, batch.id, "done")
    result.failed = count(session, batch.id, "failed")
    result.skipped = count(session, batch.id, "skipped")
    result.failures = [
        (letter.reference, letter.recipient_name or letter.citizen.name, letter.error or "")
        for letter in session.scalars(
            select(Letter)
            .where(Letter.batch_id == batch.id, Letter.status == "failed")
            .order_by(Letter.position)
        )
    ]
    log.info(
        "letter batch %s: %s, %s done, %s failed, %s skipped",
        batch.id,
        batch.status,
        result.done,
        result.failed,
        result.skipped,
    )
    return result
