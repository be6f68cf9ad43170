"""The visit report: one row per visit, filtered, sorted and paged by keyset.

A page is "the next `limit` rows after the cursor" in (sort key, id) order, so a page deep in a
list of millions costs what the first one does (never OFFSET). Arrival order reads the
`(start, id)` index; duration order has no index (a duration is computed) and sorts the
filtered set. Open visits (no leave yet) have no duration and sort as -1 second.

The provider is the staff member's and the district the citizen's, both as they were when the
visit began (kept on the visit, each with its own `(…, start, id)` index, so a district's or a
provider's page deep in its list reads only that list); the care group is the citizen's provider
assignment on `filters.care_group_day` (the period's last day by default). `iter_visit_rows`
walks the same query in keyset batches, so an export of millions of rows holds one batch in
memory at a time.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, cast, func, literal, or_, select, tuple_

from portal.access.models import LockUnit, Staff
from portal.access.models_events import Visit
from portal.citizens.models import Citizen
from portal.directory.models import District, Provider
from portal.directory.queries import care_group_names_on, in_force
from portal.reports.filters import Scope, VisitFilters, decode_cursor, encode_cursor

MAX_LIMIT = 500
BATCH = 2000


@dataclass(frozen=True)
class VisitRow:
    """One visit as the report shows it (times are aware UTC; seconds None while open)."""

    id: int
    citizen_id: int
    citizen: str
    staff: str
    staff_number: str
    care_group: str
    district: str
    provider: str
    door_kind: str
    arrival: datetime
    leave: datetime | None
    seconds: int | None


@dataclass(frozen=True)
class VisitPage:
    """A page of rows and the cursor of the next page (None on the last page)."""

    rows: list[VisitRow]
    next_cursor: str | None


def seconds_between(session, start, end):
    """SQL: whole seconds from `start` to `end` (NULL when `end` is NULL), for either database."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.round((func.julianday(end) - func.julianday(start)) * 86400), Integer)
    return cast(func.extract("epoch", end - start), Integer)


def _sort_key(session, sort: str):
    if sort.startswith("arrival"):
        return Visit.start
    return func.coalesce(seconds_between(session, Visit.start, Visit.end), literal(-1))


def visit_statement(session, scope: Scope, filters: VisitFilters):
    """SELECT of the report's columns for the scope and filters, without order or limit."""
    stmt = (
        select(
            Visit.id,
            Visit.citizen_id,
            Citizen.name.label("citizen"),
            (Staff.first_name + literal(" ") + Staff.last_name).label("staff"),
            Staff.staff_number,
            District.name.label("district"),
            Provider.name.label("provider"),
            LockUnit.kind.label("door_kind"),
            Visit.start,
            Visit.end,
            seconds_between(session, Visit.start, Visit.end).label("seconds"),
        )
        .join(Citizen, Citizen.id == Visit.citizen_id)
        .outerjoin(District, District.id == Visit.district_id)
        .join(LockUnit, LockUnit.id == Visit.lock_unit_id)
        .outerjoin(Staff, Staff.id == Visit.staff_id)
        .outerjoin(Provider, Provider.id == Visit.provider_id)
    )
    walk = _walker(session, filters)
    if scope.provider_id is not None:
        stmt = stmt.where(Visit.provider_id == scope.provider_id)
    return stmt.where(*_conditions(filters, scope, walk))


def _walker(session, filters):
    """How a filter column is compared: as is, or on SQLite under arrival order as `col + 0`.

    SQLite's planner would start from a care group's citizens and sort all their visits; an
    expression cannot use an index, so it walks the arrival index instead and stops after a
    page. PostgreSQL's planner weighs both itself.
    """
    if session.get_bind().dialect.name != "sqlite" or not filters.sort.startswith("arrival"):
        return lambda column: column
    if filters.citizen_id is not None or filters.staff_id is not None:
        return lambda column: column  # one person's visits: their own index is best
    return lambda column: column + 0


def _conditions(filters: VisitFilters, scope: Scope, walk) -> list:
    found = []
    if filters.citizen_id is not None:
        found.append(Visit.citizen_id == filters.citizen_id)
    if filters.citizen_text:
        found.append(Citizen.name.icontains(filters.citizen_text, autoescape=True))
    if filters.staff_id is not None:
        found.append(Visit.staff_id == filters.staff_id)
    if filters.staff_text:
        text = filters.staff_text
        full_name = Staff.first_name + literal(" ") + Staff.last_name
        found.append(or_(Staff.staff_number == text, full_name.icontains(text, autoescape=True)))
    if filters.district_id is not None:
        found.append(Visit.district_id == filters.district_id)
    if filters.provider_id is not None and scope.provider_id is None:
        found.append(Visit.provider_id == filters.provider_id)
    if filters.door_kind is not None:
        found.append(LockUnit.kind == filters.door_kind)
    if filters.care_group_id is not None:
        current = in_force(filters.care_group_day)
        served = select(current.citizen_id).where(current.care_group_id == filters.care_group_id)
        found.append(walk(Visit.citizen_id).in_(served))
    start, end = filters.bounds
    if start is not None:
        found.append(Visit.start >= start)
    if end is not None:
        found.append(Visit.start < end)
    return found


def page_statement(session, scope: Scope, filters: VisitFilters, after, limit: int):
    """The SELECT of `limit` rows after `after` ((key, id) or None) in the filters' order."""
    key = _sort_key(session, filters.sort)
    descending = filters.sort.endswith("desc")
    stmt = visit_statement(session, scope, filters)
    if after is not None:
        key_type = Visit.start.type if filters.sort.startswith("arrival") else Integer()
        pair = tuple_(key, Visit.id)
        bound = tuple_(literal(after[0], key_type), literal(after[1], Integer()))
        stmt = stmt.where(pair < bound if descending else pair > bound)
    order = (key.desc(), Visit.id.desc()) if descending else (key.asc(), Visit.id.asc())
    return stmt.order_by(*order).limit(limit)


def _page_rows(session, scope, filters, after, limit):
    return session.execute(page_statement(session, scope, filters, after, limit)).all()


def _rows(session, raw, filters) -> list[VisitRow]:
    groups = care_group_names_on(session, {r.citizen_id for r in raw}, filters.care_group_day)
    return [
        VisitRow(
            id=r.id,
            citizen_id=r.citizen_id,
            citizen=r.citizen,
            staff=r.staff or "",
            staff_number=r.staff_number or "",
            care_group=groups.get(r.citizen_id, ""),
            district=r.district or "",
            provider=r.provider or "",
            door_kind=r.door_kind,
            arrival=r.start,
            leave=r.end,
            seconds=r.seconds,
        )
        for r in raw
    ]


def _cursor_after(sort: str, row: VisitRow) -> str:
    key = (
        row.arrival if sort.startswith("arrival") else (-1 if row.seconds is None else row.seconds)
    )
    return encode_cursor(sort, key, row.id)


def visit_page(session, scope: Scope, filters: VisitFilters, *, cursor=None, limit=50):
    """One page of the report after `cursor` (BadCursor if it does not parse)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    after = decode_cursor(cursor, filters.sort) if cursor else None
    raw = _page_rows(session, scope, filters, after, limit + 1)
    rows = _rows(session, raw[:limit], filters)
    more = len(raw) > limit
    return VisitPage(rows, _cursor_after(filters.sort, rows[-1]) if more else None)


def iter_visit_rows(session, scope: Scope, filters: VisitFilters) -> Iterator[VisitRow]:
    """Every row of the report in its sort order, read in keyset batches (constant memory)."""
    after = None
    while True:
        raw = _page_rows(session, scope, filters, after, BATCH)
        rows = _rows(session, raw, filters)
        yield from rows
        if len(raw) < BATCH:
            return
        last = rows[-1]
        key = last.arrival if filters.sort.startswith("arrival") else last.seconds
        after = (key if key is not None else -1, last.id)
