"""Each audit test gets its own checkpoint folder and checkpoint key."""

import pytest


@pytest.fixture(autouse=True)
def checkpoint_paths(app, tmp_path, monkeypatch):
    """AUDIT_CHECKPOINT_DIR and AUDIT_CHECKPOINT_KEY under this test's tmp_path."""
    paths = {
        "dir": tmp_path / "checkpoints",
        "key": tmp_path / "keys" / "audit-checkpoint.pem",
    }
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_DIR", str(paths["dir"]))
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_KEY", str(paths["key"]))
    return paths
