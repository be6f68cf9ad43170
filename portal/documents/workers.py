"""Worker processes that run one task at a time each, with a time limit per task.

A thread cannot be stopped in Python, and a signal reaches neither a consumer's worker thread
nor code stuck inside a C library (a layout engine looping for ever). So each task runs in a
process of its own, and a task that is still running `timeout` seconds after it was handed to
its worker (counted from when the worker takes it up: starting a worker and importing the
layout engine takes a second or two and is not the task's fault) has that worker killed: its future raises `TaskTimeout`, and the next task gets a
fresh worker. A worker that dies on its own (killed from outside, out of memory) fails its
task with `BrokenProcessPool`, as `concurrent.futures` does. Workers are started with spawn,
never fork (the parent holds database connections and threads), and only when needed; a
worker that has not taken its task up within STARTUP_SECONDS is stopped as well.
"""

import multiprocessing
import threading
import time
from collections import deque
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait as wait_for

STARTUP_SECONDS = 120


class TaskTimeout(Exception):
    """The task ran longer than the limit; its worker process was stopped."""

    def __init__(self, seconds: float):
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds


def _serve(conn, initializer, initargs) -> None:
    """A worker: run tasks from the pipe until it closes."""
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        fn, args = task
        conn.send(("started", None))
        try:
            reply = ("ok", fn(*args))
        except Exception as exc:
            reply = ("error", exc)
        try:
            conn.send(reply)
        except Exception as exc:  # an error that does not pickle: send its words
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, context, initializer, initargs):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, initializer, initargs), daemon=True
        )
        self.process.start()
        child.close()
        self.future: Future | None = None
        self.started = False
        self.deadline = 0.0
        self.tasks = 0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        self.conn.close()
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


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
        self.max_tasks = max_tasks_per_child
        self._context = multiprocessing.get_context("spawn")
        self._start = (initializer, initargs)
        self._slots: list[_Worker | None] = [None] * max(1, processes)
        self._queue: deque = deque()
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = self._context.Pipe(duplex=False)
        self._closing = False
        self._thread = threading.Thread(target=self._manage, name="limited-pool", daemon=True)
        self._thread.start()

    def submit(self, fn, /, *args, **kwargs):
        """Queue fn(*args); the future raises TaskTimeout when it runs past the limit."""
        if kwargs:
            raise TypeError("LimitedPool tasks take positional arguments only")
        future: Future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("the pool is shut down")
            self._queue.append((future, fn, args))
            self._wake_w.send(None)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking work; finish (or, with cancel_futures, drop) what is queued."""
        with self._lock:
            self._closing = True
            if cancel_futures:
                while self._queue:
                    self._queue.popleft()[0].cancel()
            self._wake_w.send(None)
        if wait:
            self._thread.join()

    def _dispatch(self) -> None:
        for index, worker in enumerate(self._slots):
            if worker is not None and worker.future is not None:
                continue
            with self._lock:
                task = self._queue.popleft() if self._queue else None
            if task is None:
                return
            future, fn, args = task
            if not future.set_running_or_notify_cancel():
                continue
            if worker is None:
                worker = self._slots[index] = _Worker(self._context, *self._start)
            try:
                worker.conn.send((fn, args))
            except Exception as exc:  # the task does not pickle: the worker never saw it
                future.set_exception(exc)
                continue
            worker.future, worker.tasks = future, worker.tasks + 1
            worker.started = False
            worker.deadline = time.monotonic() + max(STARTUP_SECONDS, self.timeout or 0)

    def _busy(self) -> list[_Worker]:
        return [w for w in self._slots if w is not None and w.future is not None]

    def _manage(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # never leave a caller waiting on a future for ever
            with self._lock:
                self._closing = True
                waiting = [task[0] for task in self._queue] + [w.future for w in self._busy()]
                self._queue.clear()
            for future in waiting:
                if not future.done():
                    future.set_exception(BrokenProcessPool(f"the pool stopped: {exc!r}"))
            for worker in filter(None, self._slots):
                worker.stop(kill=True)
            raise

    def _loop(self) -> None:
        while True:
            self._dispatch()
            busy = self._busy()
            with self._lock:
                if self._closing and not busy and not self._queue:
                    break
            waits = [self._wake_r] + [w.conn for w in busy] + [w.process.sentinel for w in busy]
            soonest = min((w.deadline for w in busy), default=float("inf"))
            left = None if soonest == float("inf") else max(0.0, soonest - time.monotonic())
            ready = wait_for(waits, timeout=left)
            if self._wake_r in ready:
                while self._wake_r.poll():
                    self._wake_r.recv()
            for worker in busy:
                self._check(worker, ready)
        for index, worker in enumerate(self._slots):
            if worker is not None:
                worker.stop()
                self._slots[index] = None

    def _check(self, worker: _Worker, ready) -> None:
        index, future = self._slots.index(worker), worker.future
        if worker.conn in ready:
            try:
                kind, value = worker.conn.recv()
            except (EOFError, OSError):
                kind, value = "error", BrokenProcessPool("a worker process stopped unexpectedly")
                worker.tasks = -1
            if kind == "started":
                worker.started = True
                worker.deadline = time.monotonic() + self.timeout if self.timeout else float("inf")
                return
            worker.future = None
            future.set_result(value) if kind == "ok" else future.set_exception(value)
            if worker.tasks < 0 or (self.max_tasks and worker.tasks >= self.max_tasks):
                worker.stop(kill=worker.tasks < 0)
                self._slots[index] = None
        elif worker.process.sentinel in ready:
            worker.future = None
            worker.stop(kill=True)
            self._slots[index] = None
            future.set_exception(BrokenProcessPool("a worker process stopped unexpectedly"))
        elif time.monotonic() >= worker.deadline:
            worker.future = None
            worker.stop(kill=True)
            self._slots[index] = None
            future.set_exception(TaskTimeout(self.timeout if worker.started else STARTUP_SECONDS))
