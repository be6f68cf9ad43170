"""`flask jobs worker --no-periodic` and `flask jobs ping`: the knobs the production shape uses."""

import threading

import portal.jobs as jobs
from tests.production.test_job_queue import queue  # noqa: F401 - fixture


class _Consumer:
    def run(self):
        pass


def _worker_kwargs(app, monkeypatch, *args) -> dict:
    seen = {}

    def create_consumer(**kwargs):
        seen.update(kwargs)
        return _Consumer()

    monkeypatch.setattr(jobs.huey, "create_consumer", create_consumer)
    result = app.test_cli_runner().invoke(args=["jobs", "worker", *args])
    assert result.exit_code == 0, result.output
    return seen


def test_worker_schedules_periodic_tasks_unless_told_not_to(app, monkeypatch):
    assert _worker_kwargs(app, monkeypatch)["periodic"] is True
    assert _worker_kwargs(app, monkeypatch, "--no-periodic")["periodic"] is False
    assert _worker_kwargs(app, monkeypatch, "--workers", "3")["workers"] == 3


def test_worker_refuses_a_bad_worker_count(app):
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--workers", "many"])
    assert result.exit_code == 2


def test_ping_fails_when_no_consumer_runs_it(app, monkeypatch, queue):  # noqa: F811
    monkeypatch.setattr(jobs, "ping", queue.task(name="ping")(jobs.ping.func))
    result = app.test_cli_runner().invoke(args=["jobs", "ping", "--timeout", "0.2"])
    assert result.exit_code == 1
    assert "no job consumer ran the ping within 0.2 s" in result.output


def test_ping_reports_the_consumer_that_ran_it(app, monkeypatch, queue):  # noqa: F811
    monkeypatch.setattr(jobs, "ping", queue.task(name="ping")(jobs.ping.func))

    def consume():
        for _ in range(100):
            task = queue.dequeue()
            if task is not None:
                queue.execute(task)
                return
            threading.Event().wait(0.05)

    consumer = threading.Thread(target=consume)
    consumer.start()
    result = app.test_cli_runner().invoke(args=["jobs", "ping", "--timeout", "10"])
    consumer.join(10)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ran by process ")
