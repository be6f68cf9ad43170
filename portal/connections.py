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
"""

import select

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


@event.listens_for(Pool, "checkout")
def _check_server_still_there(dbapi_conn, _record, _proxy):
    if server_gone(dbapi_conn):
        # The pool discards this connection and opens another (up to three tries).
        raise DisconnectionError("the database server closed this pooled connection")
