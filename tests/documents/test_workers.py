"""LimitedPool: a task past its time limit is stopped (its worker killed), the rest go on."""

import os
import time

import pytest

from portal.documents.workers import LimitedPool, TaskTimeout


def _square(n: int) -> int:
    return n * n


def _pid_then_hang(path: str) -> None:
    with open(path, "w") as fh:
        fh.write(str(os.getpid()))
    while True:  # a runaway: never returns, never looks at a signal
        time.sleep(3600)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_runaway_task_is_stopped_and_the_next_tasks_run(tmp_path):
    pool = LimitedPool(1, timeout=1)
    try:
        runaway = pool.submit(_pid_then_hang, str(tmp_path / "pid"))
        after = [pool.submit(_square, n) for n in range(3)]
        with pytest.raises(TaskTimeout):
            runaway.result()
        assert [f.result() for f in after] == [0, 1, 4]
    finally:
        pool.shutdown()
    assert not _alive(int((tmp_path / "pid").read_text()))  # the worker is gone, not idle


def test_without_a_limit_tasks_run_in_worker_processes():
    pool = LimitedPool(2, timeout=None, max_tasks_per_child=1)
    try:
        assert [pool.submit(_square, n).result() for n in range(4)] == [0, 1, 4, 9]
        assert pool.submit(os.getpid).result() != os.getpid()
    finally:
        pool.shutdown()
