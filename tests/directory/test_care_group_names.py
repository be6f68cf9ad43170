"""care_group_names_on and provider_names_on: the care group or provider in force on a day, by
the same rule as assignments_on (the latest assignment on or before the day; an end or no care
group gives nothing)."""

from datetime import date

from portal.directory.models import ProviderAssignment
from portal.directory.queries import assignments_on, care_group_names_on, provider_names_on
from tests.factories import NOW, make_care_group, make_citizen, make_provider
from tests.helpers import statements

JAN, JUN, SEP = date(2026, 1, 1), date(2026, 6, 1), date(2026, 9, 1)


def _assign(db, citizen, day, provider=None, group=None):
    db.add(
        ProviderAssignment(
            citizen_id=citizen.id,
            provider_id=provider.id if provider else None,
            care_group_id=group.id if group else None,
            effective_from=day,
            created_at=NOW,
        )
    )


def _world(db):
    provider = make_provider(db)
    north = make_care_group(db, provider, name="North team")
    south = make_care_group(db, provider, name="South <team> & 'co'")
    moved = make_citizen(db, care_group=north, provider_from=JAN)
    _assign(db, moved, JUN, provider, south)  # changed team in June
    ended = make_citizen(db, care_group=north, provider_from=JAN)
    _assign(db, ended, JUN)  # care ended in June: no provider from then on
    no_group = make_citizen(db, provider=provider, provider_from=JAN)
    later = make_citizen(db, care_group=south, provider_from=SEP)  # only from September
    db.flush()
    return moved, ended, no_group, later


def test_each_citizen_gets_the_group_in_force_on_the_day(db):
    moved, ended, no_group, later = _world(db)
    ids = [moved.id, ended.id, no_group.id, later.id]
    assert care_group_names_on(db, ids, date(2026, 5, 31)) == {
        moved.id: "North team",
        ended.id: "North team",
    }
    assert care_group_names_on(db, ids, JUN) == {moved.id: "South <team> & 'co'"}
    assert care_group_names_on(db, ids, SEP) == {
        moved.id: "South <team> & 'co'",
        later.id: "South <team> & 'co'",
    }


def test_it_agrees_with_assignments_on(db):
    citizens = _world(db)
    ids = [c.id for c in citizens]
    for day in (date(2025, 12, 31), JAN, date(2026, 5, 31), JUN, SEP, date(2027, 1, 1)):
        found = assignments_on(db, ids, day)
        expected = {cid: a.care_group.name for cid, a in found.items() if a.care_group}
        assert care_group_names_on(db, ids, day) == expected, day


def test_no_citizens_asks_nothing(app, db):
    with statements(app) as seen:
        assert care_group_names_on(db, [], JAN) == {}
        assert care_group_names_on(db, set(), JAN) == {}
    assert seen == []


def test_a_page_is_one_statement(app, db):
    citizens = _world(db)
    with statements(app) as seen:
        care_group_names_on(db, (c.id for c in citizens), SEP)  # any iterable of ids
    assert seen == ["SELECT"]


def test_each_citizen_gets_the_provider_in_force_on_the_day(db):
    moved, ended, no_group, later = _world(db)
    other = make_provider(db, name="Other <care> & 'co'")
    _assign(db, moved, SEP, other)  # another provider from September
    db.flush()
    ids = [moved.id, ended.id, no_group.id, later.id]
    first = assignments_on(db, [no_group.id], JAN)[no_group.id].provider.name  # all four's
    assert provider_names_on(db, ids, date(2025, 12, 31)) == {}
    assert provider_names_on(db, ids, date(2026, 5, 31)) == {
        moved.id: first,
        ended.id: first,
        no_group.id: first,
    }
    assert provider_names_on(db, ids, JUN) == {moved.id: first, no_group.id: first}
    assert provider_names_on(db, ids, SEP) == {
        moved.id: "Other <care> & 'co'",
        no_group.id: first,
        later.id: first,
    }
    for day in (JAN, date(2026, 5, 31), JUN, SEP, date(2027, 1, 1)):
        found = assignments_on(db, ids, day)
        assert provider_names_on(db, ids, day) == {c: a.provider.name for c, a in found.items()}


def test_provider_names_of_a_page_are_one_statement(app, db):
    citizens = _world(db)
    with statements(app) as seen:
        provider_names_on(db, (c.id for c in citizens), SEP)
        assert provider_names_on(db, [], SEP) == {}
    assert seen == ["SELECT"]
