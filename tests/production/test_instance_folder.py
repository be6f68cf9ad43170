"""PORTAL_INSTANCE_PATH chooses the instance folder (config.py, secrets, keys/, letters/), so a
municipality can keep it on a mounted volume outside the code; a test config's INSTANCE_PATH
still wins, and a relative path is refused rather than followed from the working directory."""

import json

import pytest

from portal import create_app
from tests.conftest import make_test_config


def _config_without_folder(app, **extra) -> dict:
    """The suite's test config with no instance folder and no keys: create_app must find both."""
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], "unused")
    for name in ("INSTANCE_PATH", "FIELD_KEYS", "SECRET_KEY"):
        config.pop(name)
    return config | extra


def test_the_environment_variable_chooses_the_instance_folder(app, tmp_path, monkeypatch):
    mounted = tmp_path / "volume" / "portal-instance"
    mounted.mkdir(parents=True)
    (mounted / "config.py").write_text('MUNICIPALITY_NAME = "Mounted Kommune"\n')
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(mounted))

    portal = create_app(_config_without_folder(app))

    assert portal.instance_path == str(mounted)
    assert portal.config["MUNICIPALITY_NAME"] == "Mounted Kommune"  # its config.py is read
    assert (mounted / "secret_key").read_text().strip() == portal.config["SECRET_KEY"]
    keys = json.loads((mounted / "keys" / "fields.json").read_text())
    assert keys == portal.config["FIELD_KEYS"]

    # The CLI works on the same folder: a backup carries the mounted folder's keys.
    backup = tmp_path / "backup"
    result = portal.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    assert result.exit_code == 0, result.output
    assert json.loads((backup / "keys" / "fields.json").read_text()) == keys


def test_a_missing_folder_is_created_and_a_test_config_still_wins(app, tmp_path, monkeypatch):
    folder = tmp_path / "not-yet" / "instance"
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(folder))
    portal = create_app(_config_without_folder(app))
    assert portal.instance_path == str(folder)
    assert (folder / "keys" / "fields.json").is_file()

    chosen = tmp_path / "from-test-config"
    portal = create_app(_config_without_folder(app, INSTANCE_PATH=str(chosen)))
    assert portal.instance_path == portal.config["INSTANCE_PATH"] == str(chosen)


def test_a_relative_path_is_refused(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", "portal-instance")
    with pytest.raises(ValueError, match="PORTAL_INSTANCE_PATH.*absolute"):
        create_app(_config_without_folder(app))
    assert not (tmp_path / "portal-instance").exists()
