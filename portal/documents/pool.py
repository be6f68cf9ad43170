"""Render many documents to files in worker processes, each with one reused renderer.

Workers get plain HTML strings and a target path, never ORM objects or the app: the parent
builds the HTML (it has the database and the translations), the workers only lay out, write
the file atomically and report pages and SHA-256. With a `timeout`, a document still being laid
out after that many seconds has its worker stopped and its future raises `TaskTimeout`; the
other documents go on. `processes=0` renders in this process, which is quicker for a handful
of documents than starting workers, but can enforce no time limit: nothing stops a thread.

`render_within` renders one document (a preview, a receipt, an export in a web request) in a
worker process kept for this process, under the same limit, so a runaway document never holds
a web worker. Every PDF made in a request goes through it with `render_timeout(config)`: the
setting PDF_RENDER_TIMEOUT (LETTER_RENDER_TIMEOUT is its old name, from when only letters had
a limit, and still counts while PDF_RENDER_TIMEOUT keeps its default).
"""

import os
import threading
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as PastTheLimit
from dataclasses import dataclass
from pathlib import Path

from portal.documents.files import sha256_of, write_atomic
from portal.documents.pdf import STATIC_URL, PdfRenderer, render_pdf, renderer_for
from portal.documents.workers import LimitedPool, TaskTimeout

__all__ = [
    "FileResult",
    "RenderPool",
    "TaskTimeout",
    "render_timeout",
    "render_to_file",
    "render_within",
]
# Seconds one document may take to lay out (a 2-page letter takes about 0.25 s); config.py's
# PDF_RENDER_TIMEOUT has the same default.
TIMEOUT_DEFAULT = 30


@dataclass(frozen=True)
class FileResult:
    """What a worker reports for one rendered file."""

    path: str
    pages: int
    size: int
    sha256: str


_worker_renderer: PdfRenderer | None = None


def _init_worker(css: str) -> None:
    global _worker_renderer
    _worker_renderer = PdfRenderer(css)


def render_to_file(html: str, path: str, css: str = "", base_url: str = STATIC_URL) -> FileResult:
    """Render one document and write it atomically; runs in a worker or in-process."""
    renderer = _worker_renderer or renderer_for(css)
    rendered = renderer.render(html, base_url)
    write_atomic(Path(path), rendered.pdf)
    return FileResult(str(path), rendered.pages, len(rendered.pdf), sha256_of(rendered.pdf))


class _InlineExecutor(Executor):
    """Runs each task at once in the caller's thread; futures come back completed."""

    def submit(self, fn, /, *args, **kwargs):
        """Run fn now; its result or exception goes into the returned future."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


class RenderPool:
    """`with RenderPool(css, processes=2) as pool: pool.submit(html, path) -> Future[FileResult]`."""

    def __init__(
        self,
        css: str,
        processes: int = 2,
        max_tasks_per_child: int | None = None,
        timeout: float | None = None,
    ):
        self.css = css
        self.processes = processes
        if processes > 0:
            self._executor: Executor = LimitedPool(
                processes,
                timeout=timeout,
                initializer=_init_worker,
                initargs=(css,),
                max_tasks_per_child=max_tasks_per_child,
            )
        else:
            self._executor = _InlineExecutor()

    def submit(self, html: str, path: Path) -> Future:
        """Queue one document; the future resolves to a FileResult or raises its error."""
        return self._executor.submit(render_to_file, html, str(path), self.css)

    def close(self, cancel: bool = False) -> None:
        """Wait for the workers to finish (dropping queued work when cancel is set)."""
        self._executor.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self) -> "RenderPool":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(cancel=exc_type is not None)


def render_bytes(html: str, css: str = "", base_url: str = STATIC_URL) -> bytes:
    """One document as PDF bytes; the task `render_within` hands its worker."""
    return render_pdf(html, base_url, css=css)


_shared: dict[float, tuple[int, LimitedPool]] = {}
_shared_lock = threading.Lock()


def _shared_pool(timeout: float) -> LimitedPool:
    with _shared_lock:
        pid, pool = _shared.get(timeout, (None, None))
        if pool is None or pid != os.getpid():  # a forked web worker starts its own
            pool = LimitedPool(1, timeout=timeout)
            _shared[timeout] = (os.getpid(), pool)
        return pool


# How many limits a request waits for its PDF in all: one to be taken up by the worker (behind
# other requests' PDFs, or while a worker starts), one to be laid out.
WAIT_LIMITS = 2


def render_within(html: str, *, css: str = "", timeout: float | None) -> bytes:
    """One document as PDF bytes, stopped after `timeout` seconds (TaskTimeout); rendered in
    this thread when there is no limit. A request waits WAIT_LIMITS limits at most, however
    many PDFs are asked for at once: past that its document leaves the queue unstarted (or
    its worker is stopped) and TaskTimeout is raised, so a crowd never holds the web threads."""
    if not timeout:
        return render_bytes(html, css)
    future = _shared_pool(float(timeout)).submit(render_bytes, html, css, STATIC_URL)
    try:
        return future.result(timeout=WAIT_LIMITS * float(timeout))
    except PastTheLimit:
        future.cancel()
        raise TaskTimeout(float(timeout)) from None


def render_timeout(config) -> float | None:
    """Seconds one PDF may take to render (PDF_RENDER_TIMEOUT, or its old name
    LETTER_RENDER_TIMEOUT where only that was changed), or None for no limit."""
    value = config.get("PDF_RENDER_TIMEOUT", TIMEOUT_DEFAULT)
    if value == TIMEOUT_DEFAULT and "LETTER_RENDER_TIMEOUT" in config:
        value = config["LETTER_RENDER_TIMEOUT"]
    return float(value) if value else None
