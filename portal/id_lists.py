"""`column IN (ids)` for a list of ids read from the database, as one statement text whatever
the list's length.

A plain `in_(ids)` writes one placeholder per id, so every length is a new statement text:
psycopg converts and keeps each (a bounded cache of texts up to 2,000 placeholders, about 30 KB
each, filled by an export's batches of varying lengths, issue 12), and PostgreSQL would refuse
more than 65,535 placeholders. On PostgreSQL the ids are therefore bound as one array
(`column = ANY(%(ids)s::INTEGER[])`). SQLite has no arrays; it keeps `IN`, which its planner
reads as index probes, while the list fits the connection's limit on variables
(SQLITE_LIMIT_VARIABLE_NUMBER: 250,000 in Debian's build, 999 in builds before 3.32); a longer
list is bound as one JSON text and read back with `json_each`.
"""

import json
import sqlite3

from sqlalchemy import any_, bindparam, func, select
from sqlalchemy.dialects import postgresql

# Placeholders left for the rest of a statement when a list takes up SQLite's limit.
OTHER_VARIABLES = 100


def one_of(session, column, ids):
    """SQL condition: `column` equals one of `ids` (a collection of ids, possibly empty)."""
    ids = list(ids)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=postgresql.ARRAY(column.type)))
    if connection.dialect.name != "sqlite" or len(ids) <= _sqlite_room(connection):
        return column.in_(ids)
    values = func.json_each(bindparam(None, json.dumps(ids))).table_valued("value")
    return column.in_(select(values.c.value))


def _sqlite_room(connection) -> int:
    """How many ids one SQLite statement may bind as variables, leaving OTHER_VARIABLES."""
    driver = connection.connection.driver_connection
    return driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - OTHER_VARIABLES
