"""`flask letters batch`: the same files in the foreground, non-zero exit naming failures."""

import pytest

from portal.letters import content
from tests.factories import make_citizen


@pytest.fixture
def runner(app, letters_config):
    return app.test_cli_runner()


def test_batch_command_writes_the_files(runner, db, district, tmp_path):
    for lang in ("da", "en"):
        make_citizen(db, district=district, language=lang)
    db.commit()
    out = tmp_path / "print"
    result = runner.invoke(args=["letters", "batch", "--district", "Nordby", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "merged.pdf").is_file() and (out / "manifest.csv").is_file()
    assert len(list(out.glob("NH-*.pdf"))) == 2
    assert "2 letters in" in result.output
    again = runner.invoke(
        args=[
            "letters",
            "batch",
            "--district",
            "Nordby",
            "--only-new",
            "--out",
            str(tmp_path / "again"),
        ]
    )
    assert again.exit_code == 0 and "no letters to make" in again.output


def test_batch_command_fails_naming_the_failed_letters(runner, db, district, tmp_path, monkeypatch):
    good = make_citizen(db, district=district)
    bad = make_citizen(db, district=district, address="")
    db.commit()
    result = runner.invoke(
        args=["letters", "batch", "--district", "Nordby", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    assert f"{content.reference_of(bad, {})} {bad.name}: address_missing" in result.output
    assert content.reference_of(good, {}) not in result.output.split("failed:")[1]


def test_unknown_district_is_a_usage_error(runner, db):
    result = runner.invoke(args=["letters", "batch", "--district", "Atlantis"])
    assert result.exit_code == 2 and "no district named 'Atlantis'" in result.output
