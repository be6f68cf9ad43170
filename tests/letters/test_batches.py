"""Batches without HTTP: files, failures, cancel, crash and resume, posting."""

import csv
import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.citizens import lifecycle
from portal.letters import batch as batch_module
from portal.letters import content, scope, services
from portal.letters.batch import run_batch
from portal.letters.models import Letter, LetterBatch
from portal.letters.output import MANIFEST_COLUMNS, MANIFEST_HEADERS
from portal.letters.progress import progress_of
from tests.factories import NOW, make_citizen
from tests.letters.conftest import pdf_text


class Crash(BaseException):
    """Stands in for the process dying (not an Exception: nothing may catch it)."""


@pytest.fixture
def citizens(db, district):
    """Four citizens in three languages, in postal order of their addresses."""
    people = [
        make_citizen(db, district=district, language=lang, address=f"Skovvej {i}")
        for i, lang in enumerate(("da", "sv", "en", "da"), start=1)
    ]
    db.commit()
    return people


def _batch(db, district, tmp_path, only_new=False):
    chosen = scope.Scope(district.id, None, district.name)
    batch = services.create_batch(
        db, chosen, only_new=only_new, actor=SYSTEM, now=NOW, directory=tmp_path / "out"
    )
    db.commit()  # as the view does
    return batch


def _run(app, db, batch_id, **kw):
    kw.setdefault("clock", lambda: NOW)  # the same clock as the services in these tests
    return run_batch(db, batch_id, config=app.config, keyring=app.extensions["keyring"], **kw)


def _manifest(directory: Path) -> list[dict]:
    """The manifest's rows by English column name (the header is in the municipality's
    language: Danish in these tests)."""
    raw = (directory / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads it as UTF-8
    with open(directory / "manifest.csv", newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert tuple(rows[0]) == MANIFEST_HEADERS["da"]
    return [dict(zip(MANIFEST_COLUMNS, row, strict=True)) for row in rows[1:]]


def test_batch_writes_letters_print_file_and_manifest(
    app, db, district, citizens, tmp_path, letters_config
):
    batch = _batch(db, district, tmp_path)
    result = _run(app, db, batch.id)
    assert (result.status, result.done, result.failed) == ("done", 4, 0)
    out = Path(batch.directory)
    rows = _manifest(out)
    assert [r["name"] for r in rows] == [c.name for c in citizens]
    assert set(rows[0]) == {"reference", "name", "address", "file", "pages", "sha256"}
    for row, citizen in zip(rows, citizens, strict=True):
        data = (out / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        assert int(row["pages"]) == len(PdfReader(out / row["file"]).pages)
        assert row["address"] == f"{citizen.address}, {citizen.postcode} {citizen.city}"
        assert row["reference"] == content.reference_of(citizen, app.config)
    merged = PdfReader(out / "merged.pdf")
    assert len(merged.pages) == sum(-(-int(r["pages"]) // 2) * 2 for r in rows)
    assert citizens[1].code[:4] in pdf_text(out / "merged.pdf")
    assert not list(out.glob(".*.tmp"))


def test_a_failing_letter_is_listed_and_the_rest_are_made(
    app, db, district, citizens, tmp_path, letters_config, monkeypatch
):
    original = content.information_context

    def broken(citizen, **kw):
        if citizen.id == citizens[1].id:
            raise RuntimeError("printer font missing")
        return original(citizen, **kw)

    monkeypatch.setattr(content, "information_context", broken)
    citizens[2].address = " "  # an incomplete address is a named problem
    db.commit()
    batch = _batch(db, district, tmp_path)
    result = _run(app, db, batch.id)
    assert (result.status, result.done, result.failed) == ("done", 2, 2)
    reasons = {name: reason for _ref, name, reason in result.failures}
    assert reasons[citizens[1].name] == "RuntimeError: printer font missing"
    assert reasons[citizens[2].name] == "address_missing"
    assert [r["name"] for r in _manifest(Path(batch.directory))] == [
        citizens[0].name,
        citizens[3].name,
    ]
    progress = progress_of(db, db.get(LetterBatch, batch.id), NOW, app.config)
    assert (progress.done, progress.failed, progress.resumable) == (2, 2, True)

    monkeypatch.setattr(content, "information_context", original)
    citizens[2].address = "Skovvej 3"
    db.commit()
    services.resume_batch(db, batch.id, actor=SYSTEM, now=NOW)
    db.commit()
    result = _run(app, db, batch.id)
    assert (result.status, result.done, result.failed) == ("done", 4, 0)
    assert len(_manifest(Path(batch.directory))) == 4


def test_cancel_stops_after_the_letter_in_hand_and_resume_finishes(
    app, db, district, citizens, tmp_path, letters_config
):
    batch = _batch(db, district, tmp_path)

    def cancel_after_first(done, failed, total):
        if done == 1:
            services.cancel_batch(db, batch.id, actor=SYSTEM, now=NOW)
            db.commit()

    result = _run(app, db, batch.id, on_progress=cancel_after_first)
    assert result.status == "cancelled" and 1 <= result.done < 4  # the letters in hand finish
    assert len(list(Path(batch.directory).glob("NH-*.pdf"))) == result.done
    assert not (Path(batch.directory) / "merged.pdf").exists()
    with pytest.raises(services.BatchStateError):
        services.mark_posted(db, batch.id, actor=SYSTEM, now=NOW)

    services.resume_batch(db, batch.id, actor=SYSTEM, now=NOW)
    db.commit()
    result = _run(app, db, batch.id)
    assert (result.status, result.done) == ("done", 4)


def test_cancel_of_a_queued_batch_is_immediate(app, db, district, citizens, tmp_path):
    batch = _batch(db, district, tmp_path)
    services.cancel_batch(db, batch.id, actor=SYSTEM, now=NOW)
    db.commit()
    assert db.get(LetterBatch, batch.id).status == "cancelled"
    assert _run(app, db, batch.id).claimed is False


def test_resume_after_a_crash_makes_only_what_is_missing(
    app, db, district, citizens, tmp_path, letters_config, monkeypatch
):
    """Killed twice: once after a file was written but before it was recorded, once while
    building a letter. Resuming renders exactly the missing letters, and nothing twice."""
    rendered = []
    real_render = batch_module.RenderPool.submit

    def counting_submit(pool, html, path):
        rendered.append(Path(path).name)
        return real_render(pool, html, path)

    monkeypatch.setattr(batch_module.RenderPool, "submit", counting_submit)
    real_finish = batch_module._Run.finish_one
    calls = []

    def crash_on_second_record(run, future):
        calls.append(1)
        if len(calls) == 2:
            raise Crash  # the second file is on disk, its row still says pending
        return real_finish(run, future)

    monkeypatch.setattr(batch_module._Run, "finish_one", crash_on_second_record)
    batch = _batch(db, district, tmp_path)
    with pytest.raises(Crash):
        _run(app, db, batch.id)
    db.rollback()
    assert db.get(LetterBatch, batch.id).status == "running"  # as a killed server leaves it
    out = Path(batch.directory)
    assert len(list(out.glob("NH-*.pdf"))) == 2
    letters = list(_letters(db, batch.id))
    recorded = {x.filename: (out / x.filename).stat().st_ino for x in letters if x.status == "done"}
    assert len(recorded) == 1  # one of the two files on disk made it into the database

    monkeypatch.setattr(batch_module._Run, "finish_one", real_finish)
    assert _run(app, db, batch.id).claimed is False  # its heartbeat is still fresh
    later = NOW + timedelta(minutes=10)
    progress = progress_of(db, db.get(LetterBatch, batch.id), later, app.config)
    assert progress.status == "interrupted" and progress.resumable

    rendered.clear()
    result = _run(app, db, batch.id, clock=lambda: later)
    assert (result.status, result.done) == ("done", 4)
    expected = [x.filename for x in _letters(db, batch.id) if x.filename not in recorded]
    assert rendered == expected and len(expected) == 3  # the rest, each once
    for name, inode in recorded.items():
        assert (out / name).stat().st_ino == inode  # the recorded letter was not made again
    rows = _manifest(out)
    assert len(rows) == len({r["reference"] for r in rows}) == 4
    assert len(list(out.glob("NH-*.pdf"))) == 4


def _letters(db, batch_id):
    return db.scalars(select(Letter).where(Letter.batch_id == batch_id).order_by(Letter.position))


def test_a_lost_file_is_made_again_on_resume(app, db, district, citizens, tmp_path, letters_config):
    batch = _batch(db, district, tmp_path)
    _run(app, db, batch.id)
    lost = next(iter(_letters(db, batch.id)))
    (Path(batch.directory) / lost.filename).unlink()
    assert batch_module.missing_letter_ids(db, db.get(LetterBatch, batch.id)) == [lost.id]


def test_two_rendering_processes(app, db, district, citizens, tmp_path, letters_config):
    batch = _batch(db, district, tmp_path)
    result = _run(app, db, batch.id, processes=2)
    assert (result.status, result.done) == ("done", 4)
    assert len(_manifest(Path(batch.directory))) == 4


def test_posting_marks_letters_and_moves_registered_citizens_on(
    app, db, district, citizens, tmp_path, letters_config
):
    lifecycle.booked(citizens[3])
    db.commit()
    batch = _batch(db, district, tmp_path)
    _run(app, db, batch.id)
    later = NOW + timedelta(days=1)
    services.mark_posted(db, batch.id, actor=SYSTEM, now=later)
    db.commit()
    assert [c.status for c in citizens] == ["letter_sent"] * 3 + ["booked"]  # never downgraded
    assert {letter.posted_at for letter in _letters(db, batch.id)} == {later}
    assert db.scalar(select(AuditRecord).where(AuditRecord.action == "letters.batch_posted"))
    history = services.letters_of(db, citizens[0].id)
    assert [(h.batch_id, h.posted_at) for h in history] == [(batch.id, later)]


def test_only_new_leaves_out_citizens_with_a_letter(
    app, db, district, citizens, tmp_path, letters_config
):
    chosen = scope.Scope(district.id, None, district.name)
    assert sum(scope.count_by_language(db, chosen, only_new=True).values()) == 4
    batch = _batch(db, district, tmp_path)
    assert sum(scope.count_by_language(db, chosen, only_new=True).values()) == 0
    services.cancel_batch(db, batch.id, actor=SYSTEM, now=NOW)
    db.commit()
    assert sum(scope.count_by_language(db, chosen, only_new=True).values()) == 4
    services.record_single_posted(db, citizens[0].id, actor=SYSTEM, now=NOW)
    db.commit()
    assert scope.count_by_language(db, chosen, only_new=True) == {"sv": 1, "en": 1, "da": 1}
    with pytest.raises(services.NothingToSend):
        services.create_batch(
            db,
            scope.Scope(district.id + 99, None, "x"),
            only_new=False,
            actor=SYSTEM,
            now=NOW,
            directory=tmp_path,
        )


def test_broken_rendering_processes_leave_the_batch_interrupted_and_resumable(
    app, db, district, citizens, tmp_path, letters_config, monkeypatch
):
    from concurrent.futures.process import BrokenProcessPool

    from portal.documents import pool

    def dead(*_args, **_kw):
        raise BrokenProcessPool("a rendering process was killed")

    monkeypatch.setattr(pool, "render_to_file", dead)
    batch = _batch(db, district, tmp_path)
    with pytest.raises(batch_module.Interrupted):
        _run(app, db, batch.id)
    stopped = db.get(LetterBatch, batch.id)
    assert stopped.status == "interrupted" and "rendering processes" in stopped.note
    monkeypatch.undo()
    services.resume_batch(db, batch.id, actor=SYSTEM, now=NOW)
    db.commit()
    assert _run(app, db, batch.id).status == "done"
