"""Two SQL expressions the charts need that SQLite and PostgreSQL spell differently.

Buckets are whole UTC hours: the municipality's zones (Europe/Copenhagen, Europe/Stockholm)
are whole hours off UTC, so folding hour buckets into local days or weeks in Python is exact,
and the database still does the counting (at most 24 rows a day come back).
"""

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Float, String


class utc_hour(FunctionElement):  # noqa: N801 (SQL function style, as sqlalchemy's own)
    """The UTC hour of a timestamp as text 'YYYY-MM-DD HH'."""

    type = String()
    inherit_cache = True
    name = "utc_hour"


@compiles(utc_hour)
def _utc_hour_default(element, compiler, **kw):
    value = compiler.process(element.clauses, **kw)
    return f"to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


@compiles(utc_hour, "sqlite")
def _utc_hour_sqlite(element, compiler, **kw):
    # SQLite keeps UTCDateTime as naive UTC text (portal.db_types); its paramstyle is qmark,
    # so a % here is a plain character.
    value = compiler.process(element.clauses, **kw)
    return f"strftime('%Y-%m-%d %H', {value})"


class seconds_between(FunctionElement):  # noqa: N801
    """Seconds from the first timestamp to the second."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_default(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"
