"""Provider assignments without HTTP: validation, replacement, audit, flush-not-commit, and the
one query "provider of citizen C on date D" in both its forms."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.citizens.models import Citizen
from portal.directory import queries, services
from portal.directory.models import ProviderAssignment
from tests.factories import NOW, PROVIDER_FROM, make_care_group, make_citizen, make_provider

D = date(2026, 12, 1)


@pytest.fixture
def two(db):
    """A citizen served by a municipal provider; a private provider with a care group."""
    municipal, private = make_provider(db), make_provider(db, kind="private")
    team = make_care_group(db, private)
    citizen = make_citizen(db, provider=municipal)
    db.commit()
    return citizen, municipal, private, team


def _assign(db, citizen, provider, group=None, on=D):
    return services.assign_provider(
        db, citizen.id, provider.id, group.id if group else None, on, now=NOW, actor=SYSTEM
    )


def _audits(session):
    return session.scalars(
        select(AuditRecord).where(AuditRecord.action == "provider.assigned")
    ).all()


def test_an_assignment_takes_effect_on_its_date_and_not_the_day_before(db, two):
    citizen, municipal, private, team = two
    _assign(db, citizen, private, team)
    db.commit()
    assert queries.provider_on(db, citizen.id, date(2026, 11, 30)).id == municipal.id
    assert queries.provider_on(db, citizen.id, D).id == private.id
    assignment = queries.assignment_on(db, citizen.id, date(2030, 1, 1))
    assert (assignment.provider_id, assignment.care_group_id) == (private.id, team.id)
    assert queries.provider_on(db, citizen.id, date(1999, 12, 31)) is None
    assert [a.effective_from for a in queries.history(db, citizen.id)] == [PROVIDER_FROM, D]


def test_the_service_flushes_audits_once_and_leaves_the_commit_to_the_caller(app, db, two):
    citizen, _municipal, private, _team = two
    assignment = _assign(db, citizen, private)
    assert assignment.id is not None  # flushed
    assert len(_audits(db)) == 1
    record = _audits(db)[0]
    assert (record.object_type, record.object_id) == ("citizen", str(citizen.id))
    assert (
        record.data["provider_id"] == private.id and record.data["effective_from"] == "2026-12-01"
    )
    with Session(db.get_bind()) as other:  # another connection sees nothing before the commit
        assert queries.provider_on(other, citizen.id, D).id != private.id
        assert _audits(other) == []
    db.rollback()  # ... and a rollback takes the assignment and its audit record together
    assert queries.provider_on(db, citizen.id, D).id != private.id
    assert _audits(db) == []


def test_a_second_assignment_on_the_same_date_replaces_the_first(db, two):
    citizen, municipal, private, team = two
    _assign(db, citizen, private, team)
    _assign(db, citizen, municipal)
    db.commit()
    count = select(func.count()).where(
        ProviderAssignment.citizen_id == citizen.id, ProviderAssignment.effective_from == D
    )
    assert db.scalar(count) == 1
    assert queries.assignment_on(db, citizen.id, D).care_group_id is None
    assert queries.provider_on(db, citizen.id, D).id == municipal.id
    assert [r.data["replaced"] for r in _audits(db)] == [False, True]


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("care group of another provider", services.CareGroupNotOfProvider),
        ("unknown care group", services.CareGroupNotOfProvider),
        ("unknown provider", services.UnknownProvider),
        ("unknown citizen", services.UnknownCitizen),
    ],
)
def test_invalid_assignments_are_named_errors_and_write_nothing(db, two, case, error):
    citizen, municipal, private, team = two
    args = {
        "care group of another provider": (citizen.id, municipal.id, team.id),
        "unknown care group": (citizen.id, private.id, 999_999),
        "unknown provider": (citizen.id, 999_999, None),
        "unknown citizen": (999_999, private.id, None),
    }[case]
    with pytest.raises(error):
        services.assign_provider(db, *args, D, now=NOW, actor=SYSTEM)
    assert queries.provider_on(db, citizen.id, D).id == municipal.id
    assert _audits(db) == []


def test_the_sql_form_gives_each_citizen_the_assignment_in_force(db, two):
    citizen, municipal, private, _team = two
    other = make_citizen(db, provider=private)
    _assign(db, citizen, private)
    _assign(db, citizen, municipal, on=date(2027, 1, 1))
    db.commit()

    def providers(on):
        current = queries.in_force(on)
        rows = db.execute(
            select(Citizen.id, current.provider_id)
            .outerjoin(current, current.citizen_id == Citizen.id)
            .order_by(Citizen.id)
        )
        return dict(rows.all())

    assert providers(date(2026, 11, 30)) == {citizen.id: municipal.id, other.id: private.id}
    assert providers(D) == {citizen.id: private.id, other.id: private.id}
    assert providers(date(2027, 6, 1)) == {citizen.id: municipal.id, other.id: private.id}
    assert providers(date(1999, 1, 1)) == {citizen.id: None, other.id: None}
    served = select(Citizen.id).where(Citizen.id.in_(queries.citizen_ids_served_by(private.id, D)))
    assert set(db.scalars(served)) == {citizen.id, other.id}
    scalar = select(queries.provider_id_of(Citizen.id, D)).where(Citizen.id == citizen.id)
    assert db.scalar(scalar) == private.id
