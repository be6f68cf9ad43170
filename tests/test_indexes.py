"""Indexes for the lists that grow: the metadata has them, and SQLite's planner uses them."""

import pytest
from sqlalchemy import select, text

from portal.audit.models import AuditRecord
from portal.extensions import db as _db
from portal.reports.filters import Scope, VisitFilters
from portal.reports.visits import page_statement
from portal.rollout.queries import not_booked

EXPECTED = {
    "audit_record": ("object_type", "object_id"),
    "citizen": ("district_id", "status"),
    "visit": ("citizen_id", "start"),
    "visit ": ("start", "id"),  # the visit report's keyset pages
    "visit  ": ("district_id", "start", "id"),  # ... of one district
    "visit   ": ("provider_id", "start", "id"),  # ... of one provider
    "letter": ("batch_id", "position"),
    "outbox_message": ("status", "next_attempt_at"),
    "lock_event": ("lock_unit_id", "counter"),
}


def _leading_columns(table) -> list[tuple[str, ...]]:
    """Column names of every index and unique constraint of a table, in order."""
    found = [tuple(c.name for c in index.columns) for index in table.indexes]
    found += [
        tuple(c.name for c in constraint.columns)
        for constraint in table.constraints
        if constraint.__class__.__name__ == "UniqueConstraint"
    ]
    return found


@pytest.mark.parametrize(("table", "columns"), EXPECTED.items())
def test_the_index_exists(app, table, columns):
    indexed = _leading_columns(_db.metadata.tables[table.strip()])
    assert any(cols[: len(columns)] == columns for cols in indexed), indexed


def _plan(session, stmt) -> str:
    sql = stmt.compile(dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True})
    rows = session.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
    return " | ".join(row[-1] for row in rows)


@pytest.fixture
def sqlite(db):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    return db


def test_an_objects_audit_history_is_read_by_index(sqlite):
    stmt = (
        select(AuditRecord)
        .where(AuditRecord.object_type == "appointment", AuditRecord.object_id == "7")
        .order_by(AuditRecord.seq.desc())
        .limit(1)
    )
    plan = _plan(sqlite, stmt)
    assert "USING INDEX ix_audit_object (object_type=? AND object_id=?)" in plan, plan


def test_the_not_booked_list_is_read_by_index(sqlite):
    plan = _plan(sqlite, not_booked(district_id=3))
    assert "USING INDEX ix_citizen_district_status (district_id=? AND status=?)" in plan, plan


@pytest.mark.parametrize(
    ("scope", "filters", "indexes"),
    [
        (Scope.everything(), VisitFilters(), ["ix_visit_start"]),  # (start) or (start, id)
        (Scope.everything(), VisitFilters(district_id=2), ["ix_visit_district_start_id"]),
        (Scope.provider(3), VisitFilters(), ["ix_visit_provider_start_id"]),
        (
            Scope.provider(3),
            VisitFilters(district_id=2),
            ["ix_visit_district_start_id", "ix_visit_provider_start_id"],
        ),
        (Scope.everything(), VisitFilters(care_group_id=4), ["ix_visit_start"]),
    ],
)
def test_a_deep_visit_report_page_walks_an_arrival_index(sqlite, scope, filters, indexes):
    """A district's or a provider's list has its own (…, start, id) index; a care group's
    walks the arrival index. Either way the page stops after 51 rows, with no sort."""
    from datetime import UTC, datetime

    after = (datetime(2026, 3, 1, tzinfo=UTC), 1000)
    plan = _plan(sqlite, page_statement(sqlite, scope, filters, after, 51))
    assert any(f"SEARCH visit USING INDEX {name}" in plan for name in indexes), plan
    assert "TEMP B-TREE" not in plan, plan
