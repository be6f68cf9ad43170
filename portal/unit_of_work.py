"""One unit of work per request, CLI command or background job.

Services flush and never commit; the view, command or job that called them commits once, so a
change that spans features (assignment, status, job, letter, audit) is one transaction.
Work that must only happen once that transaction is durable (waking the mail consumer,
starting a batch) is queued with `after_commit` and runs after the session's next successful
commit; a rollback drops it. `with_retries` runs a unit of work again when the database
refused it for a reason that passes (a serialisation failure, a deadlock, a locked SQLite file).
"""

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

_KEY = "portal_after_commit"
_RETRIES = 3


class ChangedElsewhere(Exception):
    """Someone else saved the record after the form the user sent was read (optimistic
    locking: the record's `version` is not the one the form carried)."""


def check_version(record, expected: int | None) -> None:
    """Raise ChangedElsewhere unless `record` is still at the version a form read."""
    if expected is not None and record.version != expected:
        raise ChangedElsewhere(record)


# What a view catches for "changed by someone else": the version check before writing, or the
# versioned UPDATE that found no row at that version when two saves raced past the check.
STALE = (ChangedElsewhere, StaleDataError)


def _retryable(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01") or "database is locked" in str(exc.orig)


def with_retries(session, func):
    """Run `func()`; on a serialisation failure, deadlock or locked database roll back and
    run it again (three tries in all), so a unit of work starts afresh each time."""
    for attempt in range(_RETRIES):
        try:
            return func()
        except OperationalError as exc:
            session.rollback()
            if attempt == _RETRIES - 1 or not _retryable(exc):
                raise
    raise AssertionError("unreachable")


def after_commit(session, work: Callable[[], object]) -> None:
    """Run `work()` after `session` next commits; forget it if the session rolls back."""
    session.info.setdefault(_KEY, []).append(work)


@event.listens_for(Session, "after_commit")
def _run_queued(session) -> None:
    for work in session.info.pop(_KEY, []):
        work()


@event.listens_for(Session, "after_soft_rollback")
def _drop_queued(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole unit of work, not a savepoint
        session.info.pop(_KEY, None)
