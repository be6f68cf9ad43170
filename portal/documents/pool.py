"""Render many documents to files in worker processes, each with one reused renderer.

Workers get plain HTML strings and a target path, never ORM objects or the app: the parent
builds the HTML (it has the database and the translations), the workers only lay out, write
the file atomically and report pages and SHA-256. `processes=0` renders in this process, which
is quicker for a handful of documents than starting workers.
"""

import multiprocessing
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from portal.documents.files import sha256_of, write_atomic
from portal.documents.pdf import STATIC_URL, PdfRenderer, renderer_for


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

    def __init__(self, css: str, processes: int = 2, max_tasks_per_child: int | None = None):
        self.css = css
        self.processes = processes
        if processes > 0:
            self._executor: Executor = ProcessPoolExecutor(
                max_workers=processes,
                # spawn: never fork a process that holds database connections and threads
                mp_context=multiprocessing.get_context("spawn"),
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
