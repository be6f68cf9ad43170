"""`flask backup create` / `restore`: a round trip brings everything back, a bad copy is refused.

Runs on whichever database the suite runs on (SQLite, or PostgreSQL with TEST_DATABASE_URL,
where pg_dump/pg_restore do the work).
"""

import json
import shutil

import pytest
from sqlalchemy import func, select

from portal.audit import checkpoints
from portal.audit.models import AuditCheckpoint, AuditRecord
from portal.backup import manifest
from portal.booking import services as booking
from portal.booking.models import Appointment
from portal.citizens import lifecycle
from portal.citizens.models import Citizen
from portal.citizens.register import national_id_of
from portal.extensions import db as _db
from tests.booking.support import make_world


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """A fresh instance folder with keys, checkpoints and a letter, for this test only."""
    folder = tmp_path / "instance"
    (folder / "keys").mkdir(parents=True)
    (folder / "keys" / "fields.json").write_text('{"stand-in": "field keys"}')
    (folder / "letters" / "7").mkdir(parents=True)
    (folder / "letters" / "7" / "merged.pdf").write_bytes(b"%PDF-1.7 stand-in")
    monkeypatch.setattr(app, "instance_path", str(folder))
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_DIR", None)
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_KEY", None)
    monkeypatch.setitem(app.config, "ISSUER_KEY_DIR", None)
    return folder


@pytest.fixture
def municipality(app, db, now, keyring, instance):
    """Citizens with national ids, a booking, audit records and a signed checkpoint."""
    world = make_world(db, citizens=3, now=now)
    citizen = world.citizens[0]
    lifecycle.letter_sent(citizen)
    db.commit()
    appointment = booking.book_slot(db, citizen.id, world.slots(db)[0].id, now=now)
    db.commit()
    checkpoints.make_checkpoint(db, app.config, app.instance_path, now=now)
    db.commit()
    ids = {c.id: national_id_of(keyring, c) for c in world.citizens}
    return {"national_ids": ids, "appointment": appointment.reference}


def _snapshot(db, keyring):
    db.expire_all()
    citizens = db.scalars(select(Citizen).order_by(Citizen.id)).all()
    return {
        "citizens": [(c.id, c.name, national_id_of(keyring, c)) for c in citizens],
        "appointments": db.scalars(select(Appointment.reference).order_by(Appointment.id)).all(),
        "audit": db.scalar(select(func.max(AuditRecord.seq))),
        "checkpoints": db.scalar(select(func.count()).select_from(AuditCheckpoint)),
    }


def _cli(app, *args, ok=True):
    result = app.test_cli_runner().invoke(args=list(args))
    assert (result.exit_code == 0) is ok, result.output
    return result


def test_round_trip(app, db, keyring, municipality, instance, tmp_path):
    before = _snapshot(db, keyring)
    assert before["appointments"] == [municipality["appointment"]] and before["checkpoints"] == 1
    target = tmp_path / "backup"
    _cli(app, "backup", "create", str(target))
    written = json.loads((target / "manifest.json").read_text())
    names = set(written["files"])
    assert {"keys/fields.json", "letters/7/merged.pdf", "keys/audit-checkpoint.pem"} <= names
    assert any(n.startswith("checkpoints/checkpoint-") for n in names)
    assert written["database"]["kind"] == _db.engine.dialect.name

    # Wipe everything: the tables, the keys, the checkpoints and the letters.
    db.remove()
    _db.drop_all()
    for name in ("keys", "audit-checkpoints", "letters"):
        shutil.rmtree(instance / name)

    result = _cli(app, "backup", "restore", str(target), "--yes")
    assert "Restart the web processes" in result.output
    assert _snapshot(db, keyring) == before
    assert (instance / "letters" / "7" / "merged.pdf").read_bytes() == b"%PDF-1.7 stand-in"
    assert (instance / "keys" / "audit-checkpoint.pem").exists()
    verified = _cli(app, "audit", "verify")
    assert "1 checkpoint(s) verified" in verified.output
    assert sorted(municipality["national_ids"].items()) == [
        (cid, nid) for cid, _name, nid in before["citizens"]
    ]


def test_restore_keeps_what_was_there_aside(app, db, keyring, municipality, instance, tmp_path):
    target = tmp_path / "backup"
    _cli(app, "backup", "create", str(target))
    (instance / "letters" / "new.pdf").write_bytes(b"made after the backup")
    result = _cli(app, "backup", "restore", str(target), "--yes")
    assert "kept the previous letters" in result.output
    aside = next(instance.glob("letters.before-restore-*"))
    assert (aside / "new.pdf").exists() and not (instance / "letters" / "new.pdf").exists()


@pytest.mark.parametrize(
    "damage",
    ["alter", "remove", "add", "manifest"],
)
def test_a_damaged_backup_is_refused_and_nothing_changes(
    app, db, keyring, municipality, instance, tmp_path, damage
):
    target = tmp_path / "backup"
    _cli(app, "backup", "create", str(target))
    letter = target / "letters" / "7" / "merged.pdf"
    if damage == "alter":
        letter.write_bytes(b"%PDF-1.7 forged")
    elif damage == "remove":
        letter.unlink()
    elif damage == "add":
        (target / "keys" / "extra.pem").write_text("planted")
    else:
        (target / "manifest.json").write_text("{not json")
    before = _snapshot(db, keyring)
    result = _cli(app, "backup", "restore", str(target), "--yes", ok=False)
    assert "Nothing was restored" in result.output
    assert _snapshot(db, keyring) == before
    assert not list(instance.glob("*.before-restore-*"))


def test_backup_refuses_a_folder_that_is_not_empty(app, instance, tmp_path):
    target = tmp_path / "full"
    target.mkdir()
    (target / "something").write_text("x")
    result = _cli(app, "backup", "create", str(target), ok=False)
    assert "not empty" in result.output


def test_an_unfinished_backup_has_no_manifest_and_is_refused(app, tmp_path):
    target = tmp_path / "unfinished"
    target.mkdir()
    (target / "database.sqlite3").write_bytes(b"half")
    with pytest.raises(manifest.ManifestMismatch, match="cannot be read"):
        manifest.check(target)
