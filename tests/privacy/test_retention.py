"""Retention: what is due goes on its day and not a day before; the audit chain still verifies."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM, Actor, verify_chain
from portal.citizens.models import Citizen
from portal.extensions import db as sa_db
from portal.privacy import catalog, retention
from portal.privacy.erase import sweep
from portal.privacy.tasks import apply_retention
from tests.privacy.support import days, make_everything

ENDED = date(2026, 3, 2)
COORDINATOR = Actor("user", 1, "Kim")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)  # midday, any zone


def _count(db, table: str) -> int:
    t = sa_db.metadata.tables[table]
    return db.scalar(select(func.count()).select_from(t))


def test_defaults_and_a_coordinators_periods(db, now):
    assert retention.periods(db) == {k.key: k.default_days for k in catalog.KINDS}
    values = retention.periods(db) | {"visits": 400}
    assert retention.save(db, values, now=now, actor=COORDINATOR) == ["visits"]
    assert retention.save(db, values, now=now, actor=COORDINATOR) == []  # nothing changed
    assert retention.periods(db)["visits"] == 400
    logged = db.scalars(select(AuditRecord).filter_by(action="privacy.retention_changed")).all()
    assert len(logged) == 1 and logged[0].data["changed"] == ["visits"]


@pytest.mark.parametrize(
    "values",
    [{"visits": 0}, {"visits": 36501}, {"visits": "30"}, {"visits": None}, {"bogus": 3}],
)
def test_periods_out_of_bounds_are_refused(db, now, values):
    with pytest.raises((ValueError, KeyError)):
        retention.save(db, retention.periods(db) | values, now=now, actor=COORDINATOR)
    with pytest.raises(KeyError):
        retention.save(db, {"visits": 3}, now=now, actor=COORDINATOR)  # every kind, or none


def test_each_kind_goes_on_its_day_not_the_day_before(db, clock):
    citizen, _ = make_everything(db, ended_on=ENDED)
    keeper, _ = make_everything(db, name="Bent Bliver")  # care goes on: nothing of his goes
    db.commit()
    # (kind's period, the citizen tables that must be empty from that day on)
    steps = [
        (90, {"outbox_message"}),
        (365, {"letter", "appointment", "job", "cabinet_key"}),
        (730, {"change_request", "provider_notice", "visit"}),
    ]
    gone: set[str] = set()
    for period, tables in steps:
        clock.set(_at(ENDED + days(period - 1)))
        assert apply_retention.call_local() == []  # the day before: nothing new goes
        for table in tables:
            assert _count(db, table) == 2, f"{table} went a day early"
        clock.set(_at(ENDED + days(period)))
        done = apply_retention.call_local()
        assert [d["citizen_id"] for d in done] == [citizen.id]
        assert set(done[0]["rows"]) >= tables
        gone |= tables
        for table in gone:
            assert _count(db, table) == 1, table  # only the keeper's row is left
        clock.set(_at(ENDED + days(period + 1)))
        assert apply_retention.call_local() == []  # the day after: nothing left to do
    # Related rows went with their rows.
    for child in ("job_photo", "change_document", "cabinet_key_event"):
        assert _count(db, child) == 1, child
    # The register: five years by default. The day before, the citizen is still who they were.
    clock.set(_at(ENDED + days(1825 - 1)))
    apply_retention.call_local()
    assert db.get(Citizen, citizen.id).name == "Agnes Testesen"
    assert _count(db, "relative") == 2
    clock.set(_at(ENDED + days(1825)))
    done = apply_retention.call_local()
    assert done[0]["rows"]["citizen"] == 1
    db.expire_all()
    erased = db.get(Citizen, citizen.id)
    assert erased.name.startswith("erased-") and erased.address == "" and erased.phone is None
    assert erased.national_id_enc == "" and erased.letter_code_enc == ""
    for table in ("relative", "entrance_citizen", "provider_assignment"):
        assert _count(db, table) == 1, table  # the keeper's
    assert _count(db, "lock_unit") == 2  # the device stays, no longer the citizen's
    assert (
        db.scalar(
            select(func.count())
            .select_from(sa_db.metadata.tables["lock_unit"])
            .where(sa_db.metadata.tables["lock_unit"].c.citizen_id == citizen.id)
        )
        == 0
    )
    assert db.get(Citizen, keeper.id).name == "Bent Bliver"
    clock.set(_at(ENDED + days(1826)))
    assert apply_retention.call_local() == []
    # The chain still verifies, and what retention wrote names ids and counts, never names.
    checked, problem = verify_chain(db)
    assert problem is None and checked > 0
    erased_records = db.scalars(select(AuditRecord).filter_by(action="privacy.erased")).all()
    assert len(erased_records) == 4
    assert all(r.object_id == str(citizen.id) for r in erased_records)
    assert not any("Agnes" in str(r.data) for r in erased_records)


def test_a_shorter_period_from_the_coordinator_moves_the_day(db, clock):
    citizen, _ = make_everything(db, ended_on=ENDED)
    retention.save(db, retention.periods(db) | {"visits": 30}, now=_at(ENDED), actor=COORDINATOR)
    db.commit()
    clock.set(_at(ENDED + days(29)))
    apply_retention.call_local()
    assert _count(db, "visit") == 1
    clock.set(_at(ENDED + days(30)))
    apply_retention.call_local()
    assert _count(db, "visit") == 0


def test_a_citizen_who_rejoined_keeps_everything(db, clock):
    from portal.citizens import lifecycle

    citizen, _ = make_everything(db, ended_on=ENDED)
    lifecycle.rejoined(citizen)
    db.commit()
    clock.set(_at(ENDED + days(4000)))
    assert apply_retention.call_local() == []
    assert _count(db, "visit") == 1


def test_the_dry_run_lists_and_changes_nothing(db, app, clock):
    citizen, _ = make_everything(db, ended_on=ENDED)
    db.commit()
    clock.set(_at(ENDED + days(400)))
    before = db.scalar(select(func.count(AuditRecord.id)))
    plan = sweep(db, ENDED + days(400), now=_at(ENDED + days(400)), actor=SYSTEM, dry_run=True)
    assert plan[0]["citizen_id"] == citizen.id
    assert plan[0]["rows"] == {
        "outbox_message": 1,
        "letter": 1,
        "appointment": 1,
        "job": 1,
        "cabinet_key": 1,
    }
    db.rollback()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f'"citizen_id": {citizen.id}' in result.output and "would be handled" in result.output
    assert _count(db, "outbox_message") == 1 and _count(db, "job") == 1
    assert db.scalar(select(func.count(AuditRecord.id))) == before
    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0 and "1 citizen(s) handled" in result.output
    db.expire_all()
    assert _count(db, "outbox_message") == 0 and _count(db, "job") == 0
