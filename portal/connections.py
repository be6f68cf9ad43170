"""What every database connection gets: SQLite's pragmas, and a free liveness check for
PostgreSQL connections when the pool hands one out.

The check replaces SQLAlchemy's `pool_pre_ping`, which sends `SELECT 1` to the server before
every request (a round trip each time). A server that restarts, fails over or ends a session
(`pg_terminate_backend`, `idle_session_timeout`) closes its end of the socket, so an idle
pooled connection whose socket has something to read is one the server has given up on (an
idle connection is owed nothing). Looking costs a `select()` with no wait, not a round trip.
Such a connection is thrown away and the pool opens a fresh one, so the request that follows
a restart works. What it cannot see is a peer that vanished without closing (a cable pulled
between two hosts); `PORTAL_SQLALCHEMY_ENGINE_OPTIONS='{"pool_pre_ping": true}'` (or
`pool_recycle`) covers that where the network between portal and database can drop silently.
Other server drivers (no psycopg socket to look at) keep the pre-ping (`engine_options`).

A connection handed out while serving a request that may only read (a GET or HEAD:
`portal.web.safe_methods` decides and says so in `flask.g`) refuses every statement but a
SELECT (`WriteOnSafeRequest`), and on psycopg 3 it runs in autocommit, its statements not
prepared unless they ask to be (`PREPARED`): each SELECT is its own transaction, which under
READ COMMITTED (PostgreSQL's default, which the portal keeps) sees what the same SELECT sees
inside BEGIN ... ROLLBACK, without those two round trips.

A statement executed with the execution option `PREPARED` is prepared on PostgreSQL at its
first use on a connection, on every request: after five executions PostgreSQL plans it once
for all values when that costs no more than planning it for each, which saves most of the
statement's time on the server for the citizen's hot look-ups (the booking's free times: 0.4
of its 0.6 ms went to planning). Only statements whose plan does not depend on their values
ask for it (a look-up by primary key, the free days and times of a district, the free slots
at one time), never one that counts a skewed column (below).
"""

import select
import sys

from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_conn, _record):
    if type(dbapi_conn).__module__.startswith("sqlite3"):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.close()
        # SQLite's lower() folds only ASCII, so "ørsted" never found "Ørsted"; Python's
        # str.lower folds every letter, like PostgreSQL.
        dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def engine_options(uri: str, options: dict | None) -> dict:
    """The engine options for `uri`: as configured, plus the pre-ping for a server driver
    whose connections `server_gone` cannot look at (anything but SQLite and psycopg 3)."""
    options = dict(options or {})
    if not uri.startswith(("sqlite", "postgresql+psycopg:")):
        options.setdefault("pool_pre_ping", True)
    return options


def server_gone(dbapi_conn) -> bool:
    """True when an idle psycopg connection's server has closed it or written to it unasked
    (a restart's "terminating connection" message, then end of file); False for SQLite."""
    pgconn = getattr(dbapi_conn, "pgconn", None)
    if pgconn is None:
        return False
    if dbapi_conn.closed or pgconn.status != 0 or pgconn.socket < 0:  # 0: CONNECTION_OK
        return True
    readable, _, _ = select.select([pgconn.socket], [], [], 0)
    return bool(readable)


READS_ONLY = "portal_reads_only"  # the name in flask.g and in a pooled connection's info
AUTOCOMMIT_FOR_READING = "portal_autocommit_for_reading"
PREPARED = "portal_prepared"  # an execution option: prepare this statement on PostgreSQL
ASK_PREPARED = {PREPARED: True}  # the execution options that ask for it
NEVER_BY_COUNT = sys.maxsize


class WriteOnSafeRequest(RuntimeError):
    """A statement that writes, sent while serving a request that may only read."""


@event.listens_for(Pool, "checkout")
def _check_server_still_there(dbapi_conn, record, _proxy):
    if server_gone(dbapi_conn):
        # The pool discards this connection and opens another (up to three tries).
        raise DisconnectionError("the database server closed this pooled connection")
    _set_reads_only(dbapi_conn, record.info, has_app_context() and g.get(READS_ONLY, False))


def _set_reads_only(dbapi_conn, info: dict, reads_only: bool) -> None:
    info[READS_ONLY] = reads_only
    # Only psycopg 3's autocommit is known to send nothing when it changes (the connection
    # is idle here: the pool rolled back when it took the connection back). Only what was
    # turned on here is turned off again: an engine made with AUTOCOMMIT keeps it.
    if getattr(dbapi_conn, "pgconn", None) is None:
        return
    if reads_only and not dbapi_conn.autocommit:
        info[AUTOCOMMIT_FOR_READING] = (dbapi_conn.prepare_threshold,)
        dbapi_conn.autocommit = True
        # Nor does a reading request let psycopg prepare its statements. Within a transaction
        # the ROLLBACK that ends every such request threw them away, so its statements were
        # always planned with their values; kept across requests, PostgreSQL may switch one
        # to a generic plan made without them, which for a skewed column reads far more (the
        # register's count of a rare status: 4.9 ms instead of 0.8). Only those executed
        # with PREPARED are (an unreachable threshold, not None: None refuses them too), or
        # were prepared already by a writing request on this connection.
        dbapi_conn.prepare_threshold = NEVER_BY_COUNT
    elif not reads_only and AUTOCOMMIT_FOR_READING in info:
        (dbapi_conn.prepare_threshold,) = info.pop(AUTOCOMMIT_FOR_READING)
        dbapi_conn.autocommit = False


def allow_writes(connection) -> None:
    """Hand `connection` (a SQLAlchemy Connection checked out for a reading request) back to
    ordinary use: statements in a transaction, writes allowed."""
    _set_reads_only(connection.connection.dbapi_connection, connection.info, False)


def write_after_all(session) -> None:
    """Let `session` write although the request only reads: for what is written because
    something was read (the audit of a staff user opening a citizen's record), never for a
    change the request asks for. The writes that follow form one transaction again."""
    connection = session.connection()
    if connection.info.get(READS_ONLY):
        allow_writes(connection)


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_writes(conn, _cursor, statement, _parameters, _context, _executemany):
    if conn.info.get(READS_ONLY) and statement.lstrip()[:6].upper() != "SELECT":
        raise WriteOnSafeRequest(
            f"{statement.split(None, 1)[0]} while serving a request that may only read"
        )


@event.listens_for(Engine, "do_execute")
def _execute_prepared(cursor, statement, parameters, context):
    """Execute a statement that asks for it (`PREPARED`) as a prepared statement on psycopg;
    every other statement (and every one on SQLite) the dialect executes as ever."""
    if context.execution_options.get(PREPARED) and type(cursor).__module__.startswith("psycopg"):
        cursor.execute(statement, parameters, prepare=True)
        return True
    return None
