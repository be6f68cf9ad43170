"""Each period query starts from an index on the period's time column (SQLite's plan), so its
cost follows the period, not the whole history."""

import re

import pytest
from sqlalchemy import event

from portal.extensions import db as _db
from portal.insights import health, visit_figures


@pytest.fixture
def sqlite(db):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    return db


def _plans(session, run) -> list[str]:
    """Run the figure, then the plan of every SELECT it sent."""
    sent = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(_db.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(_db.engine, "before_cursor_execute", capture)
    connection = session.connection()
    return [
        " | ".join(
            row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        )
        for sql, params in sent
    ]


@pytest.mark.parametrize(
    ("figure", "index"),
    [
        (visit_figures.visits_per_day, "ix_visit_start"),
        (visit_figures.hours_per_week, "ix_visit_start"),
        (visit_figures.outside_window, "ix_visit_start"),
        (health.keys_per_day, "ix_shift_key_issued_at"),
        (health.denied_by_reason, "ix_lock_event_time"),
    ],
)
def test_the_period_is_found_by_index(sqlite, world, period, figure, index):
    (plan,) = _plans(sqlite, lambda: figure(sqlite, period))
    # ix_visit_start_id (start, id), added by the reports, serves the period just as well.
    assert re.search(rf"SEARCH \w+ USING (COVERING )?INDEX {index}(_id)? \(", plan), plan


def test_the_spread_reads_events_since_the_bulletin_by_index(sqlite, world):
    from tests.insights.support import publish_bulletin, utc

    publish_bulletin(sqlite, 1, utc(2026, 11, 20))
    plans = _plans(sqlite, lambda: health.spread(sqlite))
    assert any(re.search(r"USING (COVERING )?INDEX ix_lock_event_time \(", p) for p in plans), plans
