"""Production refuses to start when the checkpoint key is lost or lies with the checkpoints."""

from portal.audit import checkpoints
from portal.audit.production import _checkpoint_key


def _problems(app, db):
    return list(_checkpoint_key(app.config, db))


def test_no_key_and_no_checkpoint_yet_is_fine(app, db):
    assert _problems(app, db) == []


def test_a_lost_key_with_checkpoints_signed_is_refused(app, db, now, checkpoint_paths):
    checkpoints.make_checkpoint(db, app.config, app.instance_path, now=now)
    db.commit()
    assert _problems(app, db) == []
    checkpoint_paths["key"].unlink()
    found = _problems(app, db)
    assert len(found) == 1 and "is missing, but 1 checkpoints were signed" in found[0]


def test_a_key_inside_the_checkpoint_folder_is_refused(app, db, checkpoint_paths, monkeypatch):
    inside = checkpoint_paths["dir"] / "key.pem"
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_KEY", str(inside))
    assert any("keep the key apart" in p for p in _problems(app, db))


def test_a_public_key_setting_that_points_nowhere_is_refused(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_PUBLIC_KEY", str(tmp_path / "none.pem"))
    assert any("does not exist" in p for p in _problems(app, db))
