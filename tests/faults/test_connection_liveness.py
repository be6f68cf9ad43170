"""Pooled connections are checked without a round trip (portal.connections).

The pool hands out a connection only after a look at its socket: a PostgreSQL server that
ended the session (as a restart or a fail-over ends every one) has closed its end, and the
connection is swapped for a fresh one, so the next request works. A healthy connection is
handed out again without a statement being sent to the server first.
"""

import time

import pytest
from sqlalchemy import create_engine, event, text

from portal.connections import engine_options, server_gone
from portal.extensions import db as _db
from tests.booking.support import make_world
from tests.helpers import sign_in_citizen


def _postgres_only(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("a file database has no server to lose")


def _pid(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT pg_backend_pid()"))


def _terminate(engine, pids) -> None:
    killer = create_engine(engine.url.render_as_string(hide_password=False).split("?")[0])
    with killer.begin() as conn:
        for pid in pids:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


def _wait_until_gone(dbapi_conns) -> None:
    deadline = time.monotonic() + 5
    while not all(server_gone(c) for c in dbapi_conns):
        assert time.monotonic() < deadline, "the server never closed the terminated sessions"
        time.sleep(0.01)


def test_checkout_sends_nothing_to_the_server(app, db, monkeypatch):
    # An engine as the app configures it, with a pool of one so the same connection returns.
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"], pool_size=1, max_overflow=0)
    engine = create_engine(_db.engine.url, **options)
    pings = []
    monkeypatch.setattr(engine.dialect, "do_ping", lambda dbapi_conn: pings.append(1) or True)
    try:
        with engine.connect() as conn:
            first = conn.connection.dbapi_connection
        with engine.connect() as conn:
            again = conn.connection.dbapi_connection
            assert conn.scalar(text("SELECT 1")) == 1
            assert server_gone(again) is False
    finally:
        engine.dispose()
    assert again is first  # the pooled connection was handed out again
    assert pings == []  # and nobody asked the server first


def test_a_session_the_server_ended_is_replaced_before_the_next_request(app, db, client):
    engine = _db.engine
    _postgres_only(engine)
    engine.dispose()
    # Two pooled connections, as two requests in flight leave behind.
    first, second = engine.connect(), engine.connect()
    pids = [c.scalar(text("SELECT pg_backend_pid()")) for c in (first, second)]  # pragma: no branch
    raw = [first.connection.dbapi_connection, second.connection.dbapi_connection]
    first.close()
    second.close()
    _terminate(engine, pids)  # what a restart does to every session
    _wait_until_gone(raw)
    with engine.connect() as a, engine.connect() as b:
        fresh = {
            a.scalar(text("SELECT pg_backend_pid()")),
            b.scalar(text("SELECT pg_backend_pid()")),
        }
    assert not fresh & set(pids)
    # A whole request after the "restart" works too, on the same app, and uses the database.
    sign_in_citizen(client, make_world(db).citizens[0])
    _terminate(engine, [_pid(engine)])
    statements = []

    def note(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get("/citizen/booking/day?start=new").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert statements, "the page never asked the database"


def test_server_gone_reads_the_socket_of_a_real_psycopg_connection(app, db):
    engine = _db.engine
    _postgres_only(engine)
    import psycopg

    url = engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
    conn = psycopg.connect(url.split("?")[0])
    try:
        assert server_gone(conn) is False
        conn.rollback()
        _terminate(engine, [conn.info.backend_pid])
        _wait_until_gone([conn])
    finally:
        conn.close()
    assert server_gone(conn) is True  # closed on our side too


def test_only_drivers_it_can_look_at_go_without_the_pre_ping():
    assert engine_options("sqlite:///portal.db", None) == {}
    assert engine_options("postgresql+psycopg://portal@db/portal", {"pool_size": 5}) == {
        "pool_size": 5
    }
    # psycopg2, pg8000, ...: no socket to look at, so the server is asked before each use.
    assert engine_options("postgresql://portal@db/portal", {}) == {"pool_pre_ping": True}
    assert engine_options("postgresql+pg8000://portal@db/portal", None)["pool_pre_ping"]
    # What the operator set wins.
    assert engine_options("postgresql://db/p", {"pool_pre_ping": False}) == {"pool_pre_ping": False}
    assert engine_options("postgresql+psycopg://db/p", {"pool_pre_ping": True}) == {
        "pool_pre_ping": True
    }
