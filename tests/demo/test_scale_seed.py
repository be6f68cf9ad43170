"""`seed(...)` and `flask seed-scale`: a fake register in bulk, consistent with what the portal
itself writes (visits derived from their events, decryptable national ids)."""

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.access import visits as visit_rules
from portal.access.models import LockUnit, Staff
from portal.access.models_events import LockEvent, Visit
from portal.citizens.models import Citizen
from portal.citizens.register import letter_code_of, national_id_of
from portal.demo.scale import seed
from portal.directory.models import ProviderAssignment
from tests.conftest import NOW


def _count(db, model, *where):
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_writes_the_asked_counts_and_consistent_visits(db, keyring):
    counts = seed(db, citizens=50, events=2000, now=NOW, rng_seed=3)
    db.commit()
    assert counts["citizens"] == _count(db, Citizen) == 50
    assert counts["lock_events"] == _count(db, LockEvent) == 2000
    assert counts["visits"] == _count(db, Visit) > 500
    assert counts["lock_units"] == _count(db, LockUnit) > 20
    assert _count(db, ProviderAssignment) == 50
    assert counts["denied"] == _count(db, LockEvent, LockEvent.result != "ok") > 0
    # Every visit starts at an accepted open of its own door, by the staff member it names,
    # and ends at an accepted close of the same person after it (or is left open).
    opened, closed = aliased(LockEvent), aliased(LockEvent)
    bad = db.scalar(
        select(func.count())
        .select_from(Visit)
        .join(opened, opened.id == Visit.open_event_id)
        .outerjoin(closed, closed.id == Visit.close_event_id)
        .where(
            (opened.action != "open")
            | (opened.result != "ok")
            | (opened.lock_unit_id != Visit.lock_unit_id)
            | (opened.sub != Visit.sub)
            | (opened.time != Visit.start)
            | (
                Visit.close_event_id.is_not(None)
                & ((closed.action != "close") | (closed.time < opened.time))
            )
        )
    )
    assert bad == 0
    assert _count(db, Visit, Visit.end.is_(None)) == counts["left_open"]
    # Times lie in the months before now; batteries are percentages.
    first, last = db.execute(select(func.min(LockEvent.time), func.max(LockEvent.time))).one()
    assert NOW.replace(year=NOW.year - 1) < first < last < NOW
    assert db.scalar(select(func.min(LockEvent.battery))) >= 0
    assert db.scalar(select(func.max(LockEvent.battery))) <= 100
    # Staff who made the visits exist and belong to a provider.
    assert _count(db, Visit, Visit.staff_id.not_in(select(Staff.id))) == 0
    # Each visit is filed under its citizen's district and its staff member's provider.
    district = select(Citizen.district_id).where(Citizen.id == Visit.citizen_id)
    provider = select(Staff.provider_id).where(Staff.id == Visit.staff_id)
    assert _count(db, Visit, Visit.district_id == district.scalar_subquery()) == counts["visits"]
    assert _count(db, Visit, Visit.provider_id == provider.scalar_subquery()) == counts["visits"]
    # Written as a portal receives them: ids rise with time across all doors.
    times = db.scalars(select(LockEvent.time).order_by(LockEvent.id)).all()
    assert times == sorted(times)


def test_seeded_visits_are_what_the_portal_derives(db):
    seed(db, citizens=8, events=300, now=NOW, rng_seed=5)
    db.commit()
    before = sorted(db.execute(select(Visit.open_event_id, Visit.close_event_id, Visit.end)).all())
    for unit in db.scalars(select(LockUnit)):
        events = list(db.scalars(select(LockEvent).where(LockEvent.lock_unit_id == unit.id)))
        db.execute(Visit.__table__.delete().where(Visit.lock_unit_id == unit.id))
        visit_rules.rebuild_for(db, unit, events)
    after = sorted(db.execute(select(Visit.open_event_id, Visit.close_event_id, Visit.end)).all())
    assert after == before


def test_national_ids_decrypt_and_match_their_blind_index(db, keyring):
    seed(db, citizens=30, events=0, now=NOW)
    db.commit()
    citizens = list(db.scalars(select(Citizen)))
    ids = {national_id_of(keyring, c) for c in citizens}
    assert len(ids) == 30
    for c in citizens:
        plain = national_id_of(keyring, c)
        assert len(plain) == 10 and plain.isdigit()
        assert c.national_id_index == keyring.blind_index(plain, "national_id")
        assert c.national_id_masked.endswith("****") or "*" in c.national_id_masked
        assert len(letter_code_of(keyring, c)) == 12


def test_a_second_run_adds_to_the_first_and_ids_keep_working(db):
    seed(db, citizens=10, events=100, now=NOW, rng_seed=1)
    seed(db, citizens=10, events=100, now=NOW, rng_seed=1)
    db.commit()
    assert _count(db, Citizen) == 20
    assert _count(db, LockEvent) == 200
    # The ORM's own inserts still get fresh ids after the explicit ones (PostgreSQL sequences).
    extra = Visit(
        lock_unit_id=db.scalar(select(LockUnit.id).limit(1)),
        citizen_id=db.scalar(select(Citizen.id).limit(1)),
        sub="x",
        start=NOW,
        open_event_id=db.scalar(
            select(LockEvent.id).where(LockEvent.id.not_in(select(Visit.open_event_id))).limit(1)
        ),
    )
    db.add(extra)
    db.flush()
    assert extra.id > db.scalar(select(func.max(Visit.id).filter(Visit.id != extra.id)))


def test_cli_seeds_and_refuses_bad_sizes(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-scale", "--citizens", "12", "--events", "200"])
    assert result.exit_code == 0, result.output
    assert "citizens=12" in result.output and "lock_events=200" in result.output
    assert _count(db, Citizen) == 12
    bad = runner.invoke(args=["seed-scale", "--citizens", "0"])
    assert bad.exit_code != 0
    bad = runner.invoke(args=["seed-scale", "--events", "many"])
    assert bad.exit_code != 0
    assert _count(db, Citizen) == 12
