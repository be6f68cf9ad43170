"""Background jobs on huey: SQLite storage in instance/ by default, Redis when REDIS_URL is set.

`flask --app portal jobs worker` runs the consumer as its own process (`make run` starts one
beside the web server). Tasks made with `app_task` run inside an app context.
"""

import functools
import os
from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext
from huey import RedisHuey, SqliteHuey

from portal.config import instance_folder

# The app's instance folder (PORTAL_INSTANCE_PATH, the same rule as create_app's), read when
# this module loads: the queue is made before any app exists.
INSTANCE = Path(instance_folder() or Path(__file__).resolve().parents[2] / "instance")


def _make_huey():
    if os.environ.get("REDIS_URL"):
        return RedisHuey("portal", url=os.environ["REDIS_URL"])
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("portal", filename=str(INSTANCE / "huey.db"))


huey = _make_huey()
# The app that tasks run in when no app context is active: the one whose init_app ran in this
# process (the worker's). Handed over by the factory, so jobs never imports the top floor.
_app = None


def _worker_app():
    if _app is None:
        raise RuntimeError("no app: build one with portal.create_app() before running tasks")
    return _app


def app_task(**task_kwargs):
    """huey.task that runs inside an app context (the caller's, or the worker's own app)."""

    def decorator(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            if has_app_context():
                return func(*args, **kwargs)
            with _worker_app().app_context():
                return func(*args, **kwargs)

        return huey.task(**task_kwargs)(run)

    return decorator


jobs_cli = click.Group("jobs", help="Background job consumer.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Queue the periodic tasks (outbox tick, reminders). With several consumers on one "
    "Redis queue, exactly one must: each scheduler would queue every tick again.",
)
@with_appcontext
def worker(workers: int, periodic: bool):
    """Run the huey consumer in this process until Ctrl-C."""
    global _app
    _app = current_app._get_current_object()
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic)
    consumer.run()


@huey.task()
def ping() -> int:
    """A job that only tells which process ran it: proves a consumer takes work off the queue."""
    return os.getpid()


@jobs_cli.command("ping")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to wait.")
def ping_command(timeout: float):
    """Queue a ping job and wait for a consumer to run it (exit 1 when none does in time)."""
    from huey.exceptions import HueyException

    try:
        pid = ping().get(blocking=True, timeout=timeout)
    except HueyException:
        raise click.ClickException(f"no job consumer ran the ping within {timeout:g} s") from None
    click.echo(f"ran by process {pid}")


def init_app(app):
    """Register the CLI and remember the app for tasks; tests may run jobs at once."""
    global _app
    _app = _app or app
    app.cli.add_command(jobs_cli)
    if app.config.get("JOBS_IMMEDIATE"):
        huey.immediate = True
