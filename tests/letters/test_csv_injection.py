"""Every CSV the portal writes opens as text in a spreadsheet, split on `,` or on `;`."""

import csv
import io
from pathlib import Path

import pytest

from portal.audit.services import SYSTEM
from portal.documents import csvcells
from portal.letters import scope, services
from portal.letters.batch import run_batch
from tests.factories import NOW, make_citizen

HOSTILE = [
    "Ib;=1+1",
    "Ib,=1+1",
    '=HYPERLINK("http://x")',
    "+45 1234",
    "-2+3",
    "@SUM(A1)",
    "Ib; =1+1",
    'Ib;"=1+1',
    "Ib\t=1+1",
    "Ib;;@x",
    "Åse,Ørsted;+1",
]
TRIGGERS = ("=", "+", "-", "@")


def _cells(text: str, delimiter: str) -> list[str]:
    """What a spreadsheet shows: csv's reading, and a naive split that ignores quotes."""
    parsed = [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]
    naive = [c for line in text.splitlines() for c in line.split(delimiter)]
    return parsed + naive


def _assert_no_formula(text: str) -> None:
    for delimiter in (",", ";", "\t"):
        for cell in _cells(text, delimiter):
            shown = cell.strip().lstrip('"').strip()
            assert not shown.startswith(TRIGGERS), (delimiter, cell, text)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_cell_is_text_in_both_delimiters(value):
    for delimiter in (",", ";"):
        out = io.StringIO()
        csvcells.writer(out, delimiter=delimiter).writerow(["ref", value, 3])
        _assert_no_formula(out.getvalue())


def test_harmless_cells_keep_their_text():
    out = io.StringIO()
    csvcells.writer(out).writerow(["Skovvej 1, 4100 Ringsted", "Åse Ørsted", 2, None])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["Skovvej 1, 4100 Ringsted", "Åse Ørsted", "2", ""]
    ]


def test_the_letter_manifest_is_safe(app, db, district, tmp_path, letters_config):
    for i, name in enumerate(HOSTILE[:4], start=1):
        make_citizen(db, district=district, name=name, address=f"Vej {i};=1+{i}")
    db.commit()
    chosen = scope.Scope(district.id, None, district.name)
    batch = services.create_batch(
        db, chosen, only_new=False, actor=SYSTEM, now=NOW, directory=tmp_path / "out"
    )
    db.commit()
    run_batch(db, batch.id, config=app.config, keyring=app.extensions["keyring"], clock=lambda: NOW)
    text = (Path(batch.directory) / "manifest.csv").read_text(encoding="utf-8-sig")
    assert text.count("\n") == 5
    _assert_no_formula(text)


def test_every_csv_the_portal_writes_goes_through_the_safe_writer():
    root = Path(__file__).resolve().parents[2] / "portal"
    raw = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "csvcells.py"
        and ("csv.writer(" in (text := path.read_text(encoding="utf-8")) or "DictWriter(" in text)
    ]
    assert not raw, f"use portal.documents.csvcells.writer instead of csv.writer in {raw}"
