"""Where the HTTP benchmarks keep their data: a temporary SQLite file, or a fresh PostgreSQL
database on the local server (dropped and created again on every run)."""

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# The local PostgreSQL server the benchmarks use (a database of their own is created on it).
PG_SERVER = os.environ.get(
    "BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def pg_available(server: str = PG_SERVER) -> bool:
    """True when the PostgreSQL server answers."""
    try:
        engine = create_engine(server, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no server to measure on"
        return False


def fresh_pg_database(name: str, server: str = PG_SERVER) -> str:
    """Drop and create database `name` on the server; its URL."""
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)
