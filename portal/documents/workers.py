"""Worker processes that run one task at a time each, with a time limit per task (pebble).

A thread cannot be stopped in Python, and a signal reaches neither a consumer's worker thread
nor code stuck inside a C library (a layout engine looping for ever). So each task runs in a
process of pebble's pool, and a task still running `timeout` seconds after its worker took it
up (starting a worker and importing the layout engine is not the task's fault) has that worker
killed: its future raises `TaskTimeout`, and pebble starts a fresh worker for the next task. A
worker that dies on its own (killed from outside, out of memory) fails its task with
`BrokenProcessPool`, as `concurrent.futures` does. Workers are started with spawn, never fork
(the parent holds database connections and threads).
"""

import multiprocessing
from concurrent.futures import Executor, Future, InvalidStateError
from concurrent.futures import TimeoutError as PastTheLimit
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress

from pebble import ProcessExpired, ProcessPool


class TaskTimeout(Exception):
    """The task ran longer than the limit; its worker process was stopped."""

    def __init__(self, seconds: float):
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds


class LimitedPool(Executor):
    """`LimitedPool(2, timeout=30).submit(fn, *args)`: fn must pickle by name (module level)."""

    def __init__(
        self,
        processes: int,
        *,
        timeout: float | None,
        initializer=None,
        initargs=(),
        max_tasks_per_child: int | None = None,
    ):
        self.timeout = timeout
        self._pool = ProcessPool(
            max_workers=max(1, processes),
            max_tasks=max_tasks_per_child or 0,
            initializer=initializer,
            initargs=initargs,
            context=multiprocessing.get_context("spawn"),
        )

    def submit(self, fn, /, *args, **kwargs) -> Future:
        """Queue fn(*args); the future raises TaskTimeout when it runs past the limit."""
        if kwargs:
            raise TypeError("LimitedPool tasks take positional arguments only")
        outer: Future = Future()
        inner = self._pool.schedule(fn, args=args, timeout=self.timeout)
        inner.add_done_callback(lambda done: self._relay(done, outer))
        # Cancelling the answer cancels the task: taken out of the queue, or its worker stopped.
        outer.add_done_callback(lambda done: done.cancelled() and inner.cancel())
        return outer

    def _relay(self, inner: Future, outer: Future) -> None:
        """pebble's answer in the words of this module and of concurrent.futures."""
        if inner.cancelled():
            outer.cancel()
            return
        # The answer may have been cancelled meanwhile: nobody waits for it any more.
        with suppress(InvalidStateError):
            self._answer(inner, outer)

    def _answer(self, inner: Future, outer: Future) -> None:
        error = inner.exception()
        if error is None:
            outer.set_result(inner.result())
        elif isinstance(error, PastTheLimit):
            outer.set_exception(TaskTimeout(self.timeout or 0))
        elif isinstance(error, ProcessExpired):
            outer.set_exception(BrokenProcessPool(f"a worker process stopped: {error}"))
        else:
            outer.set_exception(error)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking work; finish what is queued, or with cancel_futures stop it all now."""
        if cancel_futures:
            self._pool.stop()
        else:
            self._pool.close()
        if wait:
            self._pool.join()
