"""The visit report and the billing basis against the hand-computed world (tests/reports/support)."""

from datetime import date

import pytest

from portal.reports.billing import billing
from portal.reports.filters import BadCursor, Scope, VisitFilters
from portal.reports.visits import iter_visit_rows, visit_page
from tests.reports.support import make_visit_world

ALL = Scope.everything()
TZ = "Europe/Copenhagen"


@pytest.fixture
def world(db):
    return make_visit_world(db)


def _ids(db, scope, filters, limit=50):
    return [r.id for r in visit_page(db, scope, filters, limit=limit).rows]


def _walk(db, scope, filters, limit):
    """Every id, page by page through the cursors."""
    ids, cursor = [], None
    while True:
        page = visit_page(db, scope, filters, cursor=cursor, limit=limit)
        ids += [r.id for r in page.rows]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def test_arrival_newest_first_breaks_ties_by_id(db, world):
    assert _ids(db, ALL, VisitFilters()) == world.ids(6, 5, 4, 3, 8, 2, 1, 7)


def test_arrival_oldest_first(db, world):
    filters = VisitFilters(sort="arrival_asc")
    assert _ids(db, ALL, filters) == world.ids(7, 1, 2, 8, 3, 4, 5, 6)


def test_duration_longest_and_shortest_first(db, world):
    longest = _ids(db, ALL, VisitFilters(sort="duration_desc"))
    assert longest == world.ids(5, 2, 7, 4, 1, 3, 8, 6)  # open visit V6 last
    shortest = _ids(db, ALL, VisitFilters(sort="duration_asc"))
    assert shortest == list(reversed(longest))


@pytest.mark.parametrize("sort", ["arrival_desc", "arrival_asc", "duration_desc", "duration_asc"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_cursor_pages_give_every_row_once_in_order(db, world, sort, limit):
    filters = VisitFilters(sort=sort)
    assert _walk(db, ALL, filters, limit) == _ids(db, ALL, filters)


def test_row_values(db, world):
    rows = {r.id: r for r in visit_page(db, ALL, VisitFilters()).rows}
    v2 = rows[world.visits[2].id]
    assert (v2.citizen, v2.staff, v2.care_group, v2.district, v2.provider) == (
        "Carl Citizen",
        "Anna Test",
        "A-Nord",
        "North",
        "Provider A",
    )
    assert v2.door_kind == "door"
    assert v2.seconds == 45 * 60
    assert v2.arrival == world.visits[2].start
    assert rows[world.visits[6].id].seconds is None
    assert rows[world.visits[6].id].leave is None


def test_the_dst_day_is_23_local_hours(db, world):
    day = date(2026, 3, 29)
    filters = VisitFilters(date_from=day, date_to=day, tz=TZ)
    assert sorted(_ids(db, ALL, filters)) == sorted(world.ids(2, 3, 8))


def test_a_period_counts_local_days_inclusive(db, world):
    filters = VisitFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 28), tz=TZ)
    assert sorted(_ids(db, ALL, filters)) == sorted(world.ids(7, 1))
    april = VisitFilters(date_from=date(2026, 4, 1), tz=TZ)
    assert _ids(db, ALL, april) == world.ids(6)


def test_filters(db, world):
    m = world.made
    by = {
        "citizen_id": (VisitFilters(citizen_id=m["dora"].id), {3, 5, 6, 8}),
        "citizen_text": (VisitFilters(citizen_text="carl"), {1, 2, 4, 7}),
        "staff_id": (VisitFilters(staff_id=m["anna"].id), {1, 2, 4, 7}),
        "staff_number": (VisitFilters(staff_text=m["bent"].staff_number), {3, 5, 6, 8}),
        "staff_name": (VisitFilters(staff_text="bent t"), {3, 5, 6, 8}),
        "care_group": (VisitFilters(care_group_id=m["group_a"].id), {1, 2, 4, 7}),
        "district": (VisitFilters(district_id=m["south"].id), {3, 5, 6, 8}),
        "provider": (VisitFilters(provider_id=m["b"].id), {3, 5, 6, 8}),
        "door": (VisitFilters(door_kind="door"), set(range(1, 9))),
        "entrance": (VisitFilters(door_kind="entrance"), set()),
        "wildcard": (VisitFilters(citizen_text="%"), set()),
    }
    for name, (filters, numbers) in by.items():
        assert set(_ids(db, ALL, filters)) == set(world.ids(*numbers)), name


def test_a_provider_scope_sees_only_its_own_staffs_visits(db, world):
    own = Scope.provider(world.made["a"].id)
    assert _ids(db, own, VisitFilters()) == world.ids(4, 2, 1, 7)
    # Asking for the other provider's visits narrows to nothing, never widens.
    other = VisitFilters(provider_id=world.made["b"].id, citizen_id=world.made["dora"].id)
    assert _ids(db, own, other) == []
    assert {r.id for r in iter_visit_rows(db, own, VisitFilters())} == set(world.ids(1, 2, 4, 7))


def test_a_tampered_cursor_never_leaves_the_scope(db, world):
    from portal.reports.filters import encode_cursor

    own = Scope.provider(world.made["a"].id)
    far_future = encode_cursor("arrival_desc", world.visits[6].start.replace(year=2099), 2**31 - 1)
    page = visit_page(db, own, VisitFilters(), cursor=far_future)
    assert [r.id for r in page.rows] == world.ids(4, 2, 1, 7)


@pytest.mark.parametrize(
    "cursor",
    [
        "x",
        "!!!",
        "a" * 500,
        "YXJyaXZhbF9kZXNjfG5vfDE",  # arrival_desc|no|1
        "ZHVyYXRpb25fZGVzY3wxfDE",  # duration_desc|1|1
        "\u00e6\u00f8",
        "YXJyaXZhbF9kZXNjfDIwMjYtMDEtMDFUMDA6MDA6MDArMDA6MDB8MTA5OTUxMTYyNzc3Ng",  # id 2**40
    ],
)
def test_a_bad_cursor_is_refused(db, world, cursor):
    """Not base64, too long, a key that is not a time, or a cursor written for another sort."""
    with pytest.raises(BadCursor):
        visit_page(db, ALL, VisitFilters(), cursor=cursor)


def test_iter_rows_walks_batches(db, world, monkeypatch):
    from portal.reports import visits

    monkeypatch.setattr(visits, "BATCH", 3)
    for sort in ("arrival_desc", "duration_asc"):
        filters = VisitFilters(sort=sort)
        assert [r.id for r in iter_visit_rows(db, ALL, filters)] == _ids(db, ALL, filters)


def test_billing_per_provider_per_month(db, world):
    rows = [
        (r.month, r.provider, r.visits, r.seconds // 60, r.open_visits)
        for r in billing(db, ALL, 2026, TZ)
    ]
    assert rows == [
        (date(2026, 3, 1), "Provider A", 4, 135, 0),
        (date(2026, 3, 1), "Provider B", 3, 90, 0),
        (date(2026, 4, 1), "Provider B", 0, 0, 1),
    ]
    own = billing(db, Scope.provider(world.made["b"].id), 2026, TZ)
    assert {r.provider for r in own} == {"Provider B"}
    assert billing(db, ALL, 2025, TZ) == []


def test_a_move_and_a_change_of_employer_do_not_refile_earlier_visits(db, world):
    """Dora moves North and Bent joins provider A after the visits: the report and the billing
    keep them under South and provider B, the district and provider they were made in."""
    m = world.made
    m["dora"].district_id, m["bent"].provider_id = m["north"].id, m["a"].id
    db.flush()
    south = VisitFilters(district_id=m["south"].id)
    assert set(_ids(db, ALL, south)) == set(world.ids(3, 5, 6, 8))
    assert _ids(db, ALL, VisitFilters(district_id=m["north"].id)) == world.ids(4, 2, 1, 7)
    assert _ids(db, Scope.provider(m["a"].id), VisitFilters()) == world.ids(4, 2, 1, 7)
    row = next(r for r in visit_page(db, ALL, south).rows if r.id == world.visits[3].id)
    assert (row.district, row.provider) == ("South", "Provider B")
    march_b = [r for r in billing(db, ALL, 2026, TZ) if r.provider == "Provider B"]
    assert [(r.month, r.visits) for r in march_b][0] == (date(2026, 3, 1), 3)
