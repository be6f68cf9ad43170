"""Make the database go away on cue: an engine hook that breaks the connection mid-request.

On PostgreSQL the hook really kills the app's server process (pg_terminate_backend) just
before the chosen statement, so the driver sees the connection drop as in a fail-over; on
SQLite (a file has no server) it raises the driver's own OperationalError instead.
"""

import contextlib
import sqlite3

from sqlalchemy import create_engine, event, text


def _terminate(engine, conn) -> None:
    pid = conn.connection.dbapi_connection.info.backend_pid
    url = engine.url.render_as_string(hide_password=False)
    killer = create_engine(url.split("?")[0])
    with killer.begin() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


@contextlib.contextmanager
def outage(engine, *, when=lambda statement: True, times: int = 1):
    """Break the connection before the first `times` statements for which `when` is true."""
    left = {"n": times}

    def before(conn, cursor, statement, parameters, context, executemany):
        if left["n"] <= 0 or not when(statement):
            return
        left["n"] -= 1
        if engine.dialect.name == "postgresql":
            _terminate(engine, conn)
        else:
            raise sqlite3.OperationalError("unable to open database file")

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield left
    finally:
        event.remove(engine, "before_cursor_execute", before)


def inserts_into(table: str):
    """A `when` that matches INSERT statements on one table."""
    return lambda statement: statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}")
