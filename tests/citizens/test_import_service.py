"""Import preview and commit without HTTP: counts, every kind of row error, one transaction."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.citizens import importer
from portal.citizens.models import Citizen, ImportBatch
from portal.citizens.register import national_id_of
from portal.directory.models import ProviderAssignment
from portal.directory.queries import assignment_on
from tests.citizens.csvdata import csv_bytes, make_reference_data, row
from tests.factories import make_citizen

IMPORT_DAY = date(2026, 11, 23)
OPTS = {"on": IMPORT_DAY, "country": "DK", "default_language": "da"}


@pytest.fixture
def ref(app, db):
    """Reference data; a request context so the (lazy, translated) messages can be read."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield make_reference_data(db)


def _preview(db, keyring, rows, **kw):
    return importer.preview(db, keyring, csv_bytes(rows, **kw), **OPTS)


def _commit(db, keyring, raw, now, user_id=None):
    from tests.factories import make_user

    user_id = user_id or make_user(db).id
    batch = importer.store_upload(db, "export.csv", raw, user_id, now)
    db.commit()
    counts = importer.commit_import(db, keyring, batch, actor=SYSTEM, now=now, **OPTS)
    db.commit()
    return counts, batch


def _count(db):
    return db.scalar(select(func.count(Citizen.id)))


def test_preview_writes_nothing_and_lists_new_rows(db, keyring, ref):
    plan = _preview(db, keyring, [row(1), row(2)])
    assert [r["external_id"] for r in plan.create] == ["CS-00001", "CS-00002"]
    assert [r["row"] for r in plan.create] == [2, 3]
    assert (plan.update, plan.unchanged, plan.errors) == ([], 0, [])
    assert plan.create[0]["phone"] == "+4520123456"
    assert plan.create[0]["date_of_birth"] == date(1941, 3, 24)
    assert plan.create[0]["emergency_alarm"] is True
    assert _count(db) == 0


def test_commit_creates_then_reimport_changes_nothing(db, keyring, ref, now):
    raw = csv_bytes([row(1), row(2), row(3, care_group="", emergency_alarm="nej")])
    counts, batch = _commit(db, keyring, raw, now)
    assert counts == {"created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert batch.status == "imported"
    citizen = db.scalars(select(Citizen).where(Citizen.external_id == "CS-00001")).one()
    assert national_id_of(keyring, citizen) == row(1)["national_id"]
    assert citizen.national_id_masked == "240341-****"
    assignment = assignment_on(db, citizen.id, IMPORT_DAY)
    assert citizen.district.name == "Nordby" and assignment.care_group.name == "Team Nordby"
    assert assignment.provider.name == "Demo Kommune Hjemmepleje"
    assert assignment_on(db, citizen.id, date(2026, 11, 22)) is None
    before = {c.id: (c.updated_at, c.national_id_enc) for c in db.scalars(select(Citizen))}

    plan = importer.preview(db, keyring, raw, **OPTS)
    assert (len(plan.create), len(plan.update), plan.unchanged) == (0, 0, 3)
    counts, _ = _commit(db, keyring, raw, now)
    assert counts == {"created": 0, "updated": 0, "unchanged": 3, "errors": 0}
    assert db.scalar(select(func.count()).select_from(ProviderAssignment)) == 3
    db.expire_all()
    after = {c.id: (c.updated_at, c.national_id_enc) for c in db.scalars(select(Citizen))}
    assert after == before


def test_changed_rows_are_updates_matched_on_external_id(db, keyring, ref, now):
    _commit(db, keyring, csv_bytes([row(1), row(2), row(3)]), now)
    changed = [
        row(1, address="Kirkevej 9", phone="+46 70 123 45 67"),
        row(2, provider="Omsorg Plus ApS", care_group="Omsorg Team 1", district="Sønderby"),
        row(3),
        row(4),
    ]
    plan = _preview(db, keyring, changed)
    assert {r["external_id"]: r["changed"] for r in plan.update} == {
        "CS-00001": ["address", "phone"],
        "CS-00002": ["district_id", "provider_id", "care_group_id"],
    }
    assert (len(plan.create), plan.unchanged) == (1, 1)
    counts, _ = _commit(db, keyring, csv_bytes(changed), now)
    assert counts == {"created": 1, "updated": 2, "unchanged": 1, "errors": 0}
    first = db.scalars(select(Citizen).where(Citizen.external_id == "CS-00001")).one()
    assert (first.address, first.phone) == ("Kirkevej 9", "+46701234567")


def test_a_corrected_national_id_is_an_update(db, keyring, ref, now):
    _commit(db, keyring, csv_bytes([row(1)]), now)
    fixed = row(1, national_id="2403419999")
    plan = _preview(db, keyring, [fixed])
    assert plan.update[0]["changed"] == ["national_id"]
    _commit(db, keyring, csv_bytes([fixed]), now)
    citizen = db.scalars(select(Citizen)).one()
    assert national_id_of(keyring, citizen) == "2403419999"
    assert citizen.national_id_index == keyring.blind_index("2403419999", "national_id")


ERROR_CASES = [
    ("invalid CPR (month 13)", {"national_id": "2413411234"}, "national_id", "CPR"),
    ("CPR with letters", {"national_id": "24034I1234"}, "national_id", "CPR"),
    ("CPR too short", {"national_id": "240341123"}, "national_id", "CPR"),
    (
        "date of birth not matching the CPR",
        {"date_of_birth": "1941-03-25"},
        "date_of_birth",
        "national id",
    ),
    ("not a date", {"date_of_birth": "24th of March"}, "date_of_birth", "date"),
    ("invalid phone", {"phone": "12"}, "phone", "phone"),
    ("phone with letters", {"phone": "call me"}, "phone", "phone"),
    ("invalid email", {"email": "not-an-email"}, "email", "email"),
    ("unknown language", {"language": "klingon"}, "language", "language"),
    ("unknown district", {"district": "Atlantis"}, "district", "Atlantis"),
    ("unknown provider", {"provider": "Nobody ApS"}, "provider", "Nobody ApS"),
    (
        "care group of another provider",
        {"care_group": "Omsorg Team 1"},
        "care_group",
        "Omsorg Team 1",
    ),
    ("unknown care group", {"care_group": "Team Mars"}, "care_group", "Team Mars"),
    ("alarm neither yes nor no", {"emergency_alarm": "maybe"}, "emergency_alarm", "yes or no"),
    ("missing name", {"name": ""}, "name", "required"),
    ("missing national id", {"national_id": ""}, "national_id", "required"),
    ("missing address", {"address": "   "}, "address", "required"),
    ("missing external id", {"external_id": ""}, "external_id", "required"),
    ("overlong name", {"name": "x" * 501}, "name", "Too long"),
    ("line break in a name", {"name": "Poul\nSørensen"}, "name", "line break"),
    ("carriage return in an address", {"address": "Nyvej 1\r\n2. th"}, "address", "line break"),
    ("tab in a city", {"city": "Demo\tby"}, "city", "control character"),
    ("right-to-left override", {"name": "Poul \u202eneseröS"}, "name", "control character"),
    ("line separator U+2028", {"address": "Nyvej 1\u20282. th"}, "address", "line break"),
]


@pytest.mark.parametrize(
    ("case", "change", "column", "reason"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES]
)
def test_row_errors_name_row_column_and_reason(db, keyring, ref, case, change, column, reason):
    plan = _preview(db, keyring, [row(1), row(2, **change), row(3)])
    assert [(e.row, e.column) for e in plan.errors] == [(3, column)], case
    assert reason.lower() in str(plan.errors[0].message).lower()
    assert [r["external_id"] for r in plan.create] == ["CS-00001", "CS-00003"]


def test_every_problem_of_one_row_is_reported(db, keyring, ref):
    plan = _preview(db, keyring, [row(1, phone="12", email="x", district="Atlantis")])
    assert [e.column for e in plan.errors] == ["phone", "email", "district"]


def test_duplicates_in_the_file_are_errors_on_the_later_row(db, keyring, ref):
    rows = [row(1), row(2, external_id="CS-00001"), row(3, national_id=row(1)["national_id"])]
    plan = _preview(db, keyring, rows)
    assert [(e.row, e.column) for e in plan.errors] == [(3, "external_id"), (4, "national_id")]
    assert all("row 2" in str(e.message) for e in plan.errors)
    assert len(plan.create) == 1


def test_a_national_id_held_by_another_citizen_is_an_error(db, keyring, ref):
    other = make_citizen(db, national_id="2403411234", external_id="OTHER-1")
    db.commit()
    plan = _preview(db, keyring, [row(1, national_id="2403411234")])
    assert [(e.row, e.column) for e in plan.errors] == [(2, "national_id")]
    assert other.external_id in str(plan.errors[0].message)
    assert plan.create == []


def test_a_row_with_the_wrong_number_of_columns_is_an_error(db, keyring, ref):
    raw = csv_bytes([row(1)]) + b"CS-9,2403411234,Kort Raekke\n"
    plan = importer.preview(db, keyring, raw, **OPTS)
    assert [(e.row, e.column) for e in plan.errors] == [(3, "-")]
    assert "3" in str(plan.errors[0].message) and "14" in str(plan.errors[0].message)


def test_optional_columns_may_be_left_out(db, keyring, ref):
    columns = (
        "external_id",
        "national_id",
        "name",
        "date_of_birth",
        "address",
        "postcode",
        "city",
        "district",
        "provider",
    )
    plan = _preview(db, keyring, [row(1)], columns=columns)
    assert plan.errors == []
    created = plan.create[0]
    assert (created["phone"], created["email"], created["language"]) == (None, None, "da")


@pytest.mark.parametrize("written", ["24-03-1941", "24.03.1941", "24/03/1941", "19410324"])
def test_common_date_formats_are_read(db, keyring, ref, written):
    plan = _preview(db, keyring, [row(1, date_of_birth=written)])
    assert plan.errors == [] and plan.create[0]["date_of_birth"] == date(1941, 3, 24)


def test_commit_writes_in_one_transaction(db, keyring, ref, now, monkeypatch):
    from portal.citizens import register

    real = register.create_citizen
    calls = []

    def fail_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "create_citizen", fail_on_third)
    with pytest.raises(RuntimeError):
        _commit(db, keyring, csv_bytes([row(1), row(2), row(3)]), now)
    db.rollback()
    assert _count(db) == 0
    assert db.scalar(select(ImportBatch.status)) == "previewed"
    assert db.scalars(select(AuditRecord).where(AuditRecord.action == "import")).all() == []


def test_commit_is_audited_and_refuses_a_second_time(db, keyring, ref, now):
    counts, batch = _commit(db, keyring, csv_bytes([row(1), row(2, phone="1")]), now)
    rec = db.scalars(select(AuditRecord).where(AuditRecord.action == "import")).one()
    assert rec.object_id == str(batch.id)
    assert rec.data["created"] == 1 and rec.data["errors"] == 1
    assert len(rec.data["file_sha256"]) == 64
    with pytest.raises(ValueError):
        importer.commit_import(db, keyring, batch, actor=SYSTEM, now=now, **OPTS)


def test_a_second_confirmation_with_a_stale_batch_changes_nothing(app, db, keyring, ref, now):
    """A double click: the second request loaded the batch before the first one committed."""
    from sqlalchemy.orm import Session

    from tests.factories import make_user

    batch = importer.store_upload(db, "x.csv", csv_bytes([row(1), row(2)]), make_user(db).id, now)
    db.commit()
    with Session(db.get_bind()) as second:
        stale = second.get(ImportBatch, batch.id)
        assert stale.status == "previewed"
        counts = importer.commit_import(db, keyring, batch, actor=SYSTEM, now=now, **OPTS)
        db.commit()
        assert counts["created"] == 2
        with pytest.raises(importer.AlreadyImported):
            importer.commit_import(second, keyring, stale, actor=SYSTEM, now=now, **OPTS)
    db.expire_all()
    assert json.loads(db.get(ImportBatch, batch.id).result).items() >= counts.items()
    assert len(db.scalars(select(AuditRecord).where(AuditRecord.action == "import")).all()) == 1
    assert _count(db) == 2


@pytest.mark.parametrize("written", ["240341-1234", " 240341 1234 ", "2403411234"])
def test_a_cpr_number_may_be_written_with_a_dash_or_spaces(db, keyring, ref, written):
    plan = _preview(db, keyring, [row(1, national_id=written)])
    assert plan.errors == [] and plan.create[0]["national_id"] == "2403411234"


def test_a_changed_provider_becomes_an_assignment_from_the_import_date(db, keyring, ref, now):
    from portal.directory.queries import history
    from tests.factories import make_user

    _commit(db, keyring, csv_bytes([row(1), row(2)]), now)
    moved = row(2, provider="Omsorg Plus ApS", care_group="Omsorg Team 1")
    week_later = date(2026, 12, 7)
    batch = importer.store_upload(
        db, "again.csv", csv_bytes([row(1), moved]), make_user(db).id, now
    )
    db.commit()
    counts = importer.commit_import(
        db, keyring, batch, actor=SYSTEM, now=now, **dict(OPTS, on=week_later)
    )
    db.commit()
    assert (counts["updated"], counts["unchanged"]) == (1, 1)
    first, second = (
        db.scalars(select(Citizen).where(Citizen.external_id == e)).one()
        for e in ("CS-00001", "CS-00002")
    )
    assert [a.effective_from for a in history(db, first.id)] == [IMPORT_DAY]
    assert [
        (a.effective_from, a.provider.name, a.care_group.name) for a in history(db, second.id)
    ] == [
        (IMPORT_DAY, "Demo Kommune Hjemmepleje", "Team Nordby"),
        (week_later, "Omsorg Plus ApS", "Omsorg Team 1"),
    ]
    audits = db.scalars(select(AuditRecord).where(AuditRecord.action == "provider.assigned"))
    assert [a.object_id for a in audits] == [str(second.id)]
